import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '../config/metrics';

/**
 * Counts every answer by route and status, and times it: what a 5xx-rate or latency alert needs.
 * The route label is one of the paths the service mounts (`/webhooks`, `/slack`, …) or `other`,
 * never the raw URL, so a scanner probing random paths cannot grow the series without bound.
 */
export function requestMetrics(metrics: Pick<Metrics, 'httpRequests' | 'httpDuration'>, routes: readonly string[]) {
  const routeOf = (path: string) => routes.find((route) => path === route || path.startsWith(`${route}/`)) ?? 'other';
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    // Read now: a router rewrites req.path to the part below its mount point.
    const route = routeOf(req.path);
    res.once('finish', () => {
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.httpDuration.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
