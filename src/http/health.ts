import type { Request, Response } from 'express';
import { DeadlineExceeded, withDeadline } from '../domain/with-deadline';
import type { Metrics } from '../config/metrics';

/** What a check found: true is "ok", false "unreachable", a problem is reported in its own words. */
export type CheckOutcome = boolean | { problem: string };

export interface DependencyCheck {
  name: string;
  check(): Promise<CheckOutcome>;
  /**
   * What to report when the check did not finish within the deadline; default "timeout after N ms".
   * The store tells a server it has lost ("unreachable") from one that is connected but silent.
   */
  onTimeout?(ms: number): string;
}

/** HEALTH_TIMEOUT_MS's default; callers pass the configured one. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 2500;

/** The word /healthz shows for a check: "ok", or why not. A check that throws or hangs has failed. */
async function runCheck({ name, check, onTimeout }: DependencyCheck, timeoutMs: number): Promise<string> {
  try {
    const outcome = await withDeadline(check(), timeoutMs, `health check ${name}`);
    if (outcome === true) return 'ok';
    return outcome === false ? 'unreachable' : outcome.problem;
  } catch (error) {
    if (error instanceof DeadlineExceeded) return onTimeout?.(timeoutMs) ?? `timeout after ${timeoutMs} ms`;
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * GET /healthz: each dependency separately, each within `timeoutMs`; 503 while any of them fails,
 * with what failed by name (`{"status":"unavailable","checks":{"mongodb":"timeout after 2500 ms",…}}`).
 */
export function healthHandler(checks: DependencyCheck[], metrics: Metrics, timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS) {
  return async (_req: Request, res: Response) => {
    const results = await Promise.all(
      checks.map(async (check) => [check.name, await runCheck(check, timeoutMs)] as const),
    );
    for (const [name, result] of results) metrics.dependencyUp.set({ dependency: name }, result === 'ok' ? 1 : 0);
    const healthy = results.every(([, result]) => result === 'ok');
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'ok' : 'unavailable',
      checks: Object.fromEntries(results),
    });
  };
}
