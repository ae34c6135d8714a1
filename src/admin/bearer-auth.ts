import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { scopeAllows, type AdminScope, type AdminToken } from '../domain/admin-tokens';

/** The token a request was authenticated with, as the routes see it (never the token itself). */
export interface AdminCaller {
  name: string;
  scope: AdminScope;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Finds the named token a bearer token is. Every configured token is compared, each in constant
 * time over equal-length digests, so neither the time taken nor an early exit tells how much of a
 * guess was right or which token it came close to.
 */
export function createTokenCheck(tokens: readonly AdminToken[]): (presented: string) => AdminCaller | undefined {
  const known = tokens.map((token) => ({ name: token.name, scope: token.scope, digest: digest(token.token) }));
  return (presented) => {
    const candidate = digest(presented);
    let found: AdminCaller | undefined;
    for (const token of known) {
      if (timingSafeEqual(token.digest, candidate) && !found) found = { name: token.name, scope: token.scope };
    }
    return found;
  };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * 401 without a valid `Authorization: Bearer TOKEN` (with `WWW-Authenticate`, and the same answer
 * for a missing and a wrong token), 403 when the token's scope does not reach `needed`.
 */
export function requireScope(check: (presented: string) => AdminCaller | undefined, needed: AdminScope) {
  return (req: Request, res: Response, next: NextFunction) => {
    const presented = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const caller = presented ? check(presented) : undefined;
    if (!caller) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="iex-admin"')
        .json({ error: 'unauthorized', message: 'send a token from ADMIN_TOKENS as Authorization: Bearer TOKEN' });
      return;
    }
    if (!scopeAllows(caller.scope, needed)) {
      res.status(403).json({
        error: 'forbidden',
        message: `the token "${caller.name}" has the scope ${caller.scope}; this needs ${needed}`,
      });
      return;
    }
    res.locals.adminCaller = caller;
    next();
  };
}

export const adminCallerOf = (res: Response): AdminCaller => res.locals.adminCaller as AdminCaller;
