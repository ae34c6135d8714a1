import type { Request, Response } from 'express';
import { withDeadline } from '../util/with-deadline';
import type { Metrics } from './metrics';

export interface DependencyCheck {
  name: string;
  check(): Promise<boolean>;
}

const CHECK_TIMEOUT_MS = 2500;

/** A check that throws or hangs counts as a failed check. */
function runCheck({ name, check }: DependencyCheck): Promise<boolean> {
  return withDeadline(check(), CHECK_TIMEOUT_MS, `health check ${name}`).catch(() => false);
}

/** GET /healthz: each dependency separately; 503 while any of them is unreachable. */
export function healthHandler(checks: DependencyCheck[], metrics: Metrics) {
  return async (_req: Request, res: Response) => {
    const results = await Promise.all(checks.map(async (check) => [check.name, await runCheck(check)] as const));
    for (const [name, ok] of results) metrics.dependencyUp.set({ dependency: name }, ok ? 1 : 0);
    const healthy = results.every(([, ok]) => ok);
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'ok' : 'unavailable',
      checks: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'unreachable'])),
    });
  };
}
