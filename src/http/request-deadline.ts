import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../config/logger';

export interface RequestDeadlineOptions {
  /** REQUEST_TIMEOUT_MS: a response not started by then is answered 503 for the handler. */
  timeoutMs: number;
  /** Seconds a client is asked to wait before retrying (the Retry-After header). */
  retryAfterSeconds?: number;
  logger: Logger;
}

/** True once the deadline answered this request: whatever its handler does later goes nowhere. */
export function timedOut(res: Response): boolean {
  return res.locals.timedOut === true;
}

/**
 * Makes every later write to `res` do nothing: the handler that was too late still runs to its end
 * (the work is not cancelled), but its answer cannot reach a client that already has one, and
 * cannot throw ERR_HTTP_HEADERS_SENT or emit a write-after-end error nobody listens to (which
 * would end the process).
 */
function dropLateAnswer(res: Response, onLate: () => void): void {
  let told = false;
  const late = () => {
    if (!told) onLate();
    told = true;
  };
  const callbackOf = (args: unknown[]) => args.find((arg): arg is () => void => typeof arg === 'function');
  res.setHeader = ((..._args: unknown[]) => (late(), res)) as Response['setHeader'];
  res.appendHeader = ((..._args: unknown[]) => (late(), res)) as Response['appendHeader'];
  res.removeHeader = () => late();
  res.writeHead = ((..._args: unknown[]) => (late(), res)) as Response['writeHead'];
  res.flushHeaders = () => late();
  res.write = ((...args: unknown[]) => {
    late();
    const callback = callbackOf(args);
    if (callback) process.nextTick(callback);
    return true;
  }) as Response['write'];
  res.end = ((...args: unknown[]) => {
    late();
    const callback = callbackOf(args);
    if (callback) process.nextTick(callback);
    return res;
  }) as Response['end'];
  res.on('error', () => undefined);
}

/**
 * Every request gets an answer within `timeoutMs`: when its handler has not started a response by
 * then (it waits on a store or broker that does not answer), the client gets 503
 * `{"error":"timeout"}` with Retry-After, and the handler's own answer, whenever it comes, is
 * dropped. A response that has started (headers sent) is left to finish.
 *
 * No route is excluded: the webhook routes wait for Kafka at most INGEST_KAFKA_TIMEOUT_MS (the
 * configuration keeps that below this deadline), /healthz at most HEALTH_TIMEOUT_MS, the Slack and
 * Discord routes acknowledge within Slack's and Discord's 3 seconds and do their work after
 * answering, and the /view pages are single reads.
 */
export function requestDeadline({ timeoutMs, retryAfterSeconds = 5, logger }: RequestDeadlineOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = Date.now();
    // Routers rewrite req.path while they route; the full path is what a person looks for in the log.
    const path = req.path;
    const timer = setTimeout(() => {
      if (res.headersSent || res.writableEnded) return;
      res.locals.timedOut = true;
      logger.warn({ method: req.method, path, timeoutMs }, 'request not answered in time; answered 503');
      res
        .status(503)
        .set('Retry-After', String(retryAfterSeconds))
        .json({ error: 'timeout', message: `no answer within ${timeoutMs} ms; retry later` });
      dropLateAnswer(res, () =>
        logger.warn(
          { method: req.method, path, afterMs: Date.now() - started },
          'dropped the answer of a request that had timed out',
        ),
      );
    }, timeoutMs);
    const stop = () => clearTimeout(timer);
    res.once('finish', stop);
    res.once('close', stop);
    next();
  };
}
