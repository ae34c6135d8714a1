import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../config/logger';
import { healthHandler, type DependencyCheck } from './health';
import type { Metrics } from './metrics';

export interface HttpServerDeps {
  logger: Logger;
  metrics: Metrics;
  checks: DependencyCheck[];
  /** Routers that own a path each (/webhooks, /slack, /discord); mounted before the fallbacks. */
  routers?: Array<{ path: string; router: Router }>;
}

/**
 * The service's one HTTP surface. Routes parse their own bodies (webhook signatures are computed
 * over the raw bytes), so there is no global body parser here.
 */
export function createHttpApp({ logger, metrics, checks, routers = [] }: HttpServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', healthHandler(checks, metrics));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  for (const { path, router } of routers) app.use(path, router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  // Express recognises an error handler by its four parameters.
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    if (error.status && error.status < 500) {
      res.status(error.status).json({ error: error.type ?? 'bad_request', message: error.message });
      return;
    }
    const ref = randomUUID().slice(0, 8);
    logger.error({ err: error, ref, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: 'internal', message: `something failed (ref ${ref})` });
  });
  return app;
}
