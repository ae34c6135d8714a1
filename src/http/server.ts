import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../config/logger';
import { withDeadline } from '../domain/with-deadline';
import { DEFAULT_HEALTH_TIMEOUT_MS, healthHandler, type DependencyCheck } from './health';
import type { Metrics } from '../config/metrics';
import { requestDeadline, timedOut } from './request-deadline';
import { requestMetrics } from './request-metrics';

/** REQUEST_TIMEOUT_MS's default; the service passes the configured one. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface HttpServerDeps {
  logger: Logger;
  metrics: Metrics;
  checks: DependencyCheck[];
  /** Routers that own a path each (/webhooks, /slack, /discord); mounted before the fallbacks. */
  routers?: Array<{ path: string; router: Router }>;
  /** HEALTH_TIMEOUT_MS: each /healthz check that takes longer fails with "timeout after N ms". */
  healthTimeoutMs?: number;
  /** REQUEST_TIMEOUT_MS: a request not answered by then gets 503 {"error":"timeout"} and Retry-After. */
  requestTimeoutMs?: number;
  /** Run (each within the health deadline, failures ignored) before /metrics answers: fresh gauges. */
  beforeScrape?: Array<() => Promise<unknown>>;
}

/**
 * The service's one HTTP surface. Routes parse their own bodies (webhook signatures are computed
 * over the raw bytes), so there is no global body parser here.
 */
export function createHttpApp({
  logger,
  metrics,
  checks,
  routers = [],
  healthTimeoutMs = DEFAULT_HEALTH_TIMEOUT_MS,
  requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  beforeScrape = [],
}: HttpServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // First, so they cover every route below, the fallbacks and the error handler included.
  app.use(requestMetrics(metrics, ['/healthz', '/metrics', ...routers.map(({ path }) => path)]));
  app.use(requestDeadline({ timeoutMs: requestTimeoutMs, logger }));
  app.get('/healthz', healthHandler(checks, metrics, healthTimeoutMs));
  app.get('/metrics', async (_req, res) => {
    await Promise.all(
      beforeScrape.map((refresh) => withDeadline(refresh(), healthTimeoutMs, 'metrics refresh').catch(() => undefined)),
    );
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  for (const { path, router } of routers) app.use(path, router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  // Express recognises an error handler by its four parameters.
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (timedOut(res)) {
      // The client had its 503 long ago; the failure still deserves a line.
      logger.warn({ err: error, method: req.method, path: req.path }, 'a request failed after it had timed out');
      return;
    }
    // Half a response is out: Express's own handler ends the connection, which tells the client.
    if (res.headersSent) return next(error);
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
