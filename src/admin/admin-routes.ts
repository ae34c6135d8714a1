import { once } from 'node:events';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../config/logger';
import type { AdminScope, AdminToken } from '../domain/admin-tokens';
import { DURATION_HELP, parseDuration } from '../domain/durations';
import { parseTenantSpec, SPEC_ID } from '../domain/tenant-spec';
import { checkJsonDepth, tooDeepMessage } from '../http/json-limits';
import { TenantBusy, TenantNotFound, TenantSpecRefused, type Operator } from '../services/tenants/contract';
import type { TenantOperations } from '../services/tenants/operations';
import { MAX_SECRET_OVERLAP_MS } from '../services/tenants/rotate-secret';
import { adminCallerOf, createTokenCheck, requireScope } from './bearer-auth';
import { buildAdminOpenApi } from './openapi';

/** Where the admin API is mounted. */
export const ADMIN_PATH = '/admin/v1';

export interface AdminRoutesDeps {
  /** ADMIN_TOKENS, parsed. */
  tokens: readonly AdminToken[];
  tenants: TenantOperations;
  logger: Logger;
  /** A spec is a few kilobytes; a megabyte leaves room for hundreds of systems and rules. */
  maxBodyBytes?: number;
}

/** An answer other than 2xx, with the error code and message every admin answer carries. */
class AdminRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const actorOf = (res: Response): Operator => ({ platform: 'admin', userId: adminCallerOf(res).name });

function tenantIdOf(req: Request): string {
  const id = String(req.params.id);
  if (!SPEC_ID.test(id))
    throw new AdminRefusal(400, 'invalid_id', 'a tenant id is lower-case letters, digits and dashes');
  return id;
}

/**
 * `/admin/v1`: tenants for operators and the IEX platform. Every route needs a named bearer token
 * from ADMIN_TOKENS with enough scope (read: list and show; write: apply, link codes, rotation;
 * admin: export and erase), and every change is audited under the token's name. The OpenAPI
 * document is generated from the same zod schemas the routes validate with.
 */
export function createAdminRoutes(deps: AdminRoutesDeps): Router {
  const router = express.Router();
  const check = createTokenCheck(deps.tokens);
  const allow = (scope: AdminScope) => requireScope(check, scope);
  const maxBodyBytes = deps.maxBodyBytes ?? 1_048_576;
  const openApi = buildAdminOpenApi(ADMIN_PATH);

  /** JSON bodies, their depth bounded before parsing (see src/http/json-limits.ts). */
  const jsonBody = [
    express.raw({ type: () => true, limit: maxBodyBytes }),
    (req: Request, _res: Response, next: NextFunction) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (raw.length === 0) {
        req.body = undefined;
        return next();
      }
      if (!checkJsonDepth(raw).ok) return next(new AdminRefusal(400, 'invalid_json', tooDeepMessage()));
      try {
        req.body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return next(new AdminRefusal(400, 'invalid_json', 'the body is not JSON'));
      }
      next();
    },
  ];

  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  router.get('/tenants', allow('read'), async (_req, res) => {
    res.json({ tenants: await deps.tenants.list() });
  });

  router.get('/tenants/:id', allow('read'), async (req, res) => {
    res.json(await deps.tenants.show(tenantIdOf(req)));
  });

  router.put('/tenants/:id', allow('write'), ...jsonBody, async (req, res) => {
    const id = tenantIdOf(req);
    const body = req.body as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AdminRefusal(400, 'invalid_spec', 'the body is a tenant specification (a JSON object)');
    }
    const given = (body as { id?: unknown }).id;
    if (given !== undefined && given !== id) {
      throw new AdminRefusal(400, 'invalid_spec', `the body's id "${String(given)}" is not the path's "${id}"`, {
        problems: [{ path: 'id', message: `must be "${id}", the id in the path` }],
      });
    }
    const parsed = parseTenantSpec({ ...(body as object), id });
    if (!parsed.ok)
      throw new AdminRefusal(400, 'invalid_spec', 'the specification has problems', { problems: parsed.problems });
    const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
    const result = await deps.tenants.apply(parsed.spec, { actor: actorOf(res), dryRun });
    res.status(result.created && result.applied ? 201 : 200).json(result);
  });

  router.post('/tenants/:id/link-codes', allow('write'), async (req, res) => {
    const { code, expiresAt } = await deps.tenants.linkCode(tenantIdOf(req));
    res.status(201).json({ code, expiresAt: expiresAt.toISOString(), use: `/iex link ${code}` });
  });

  router.post('/tenants/:id/webhook-secret/rotate', allow('write'), ...jsonBody, async (req, res) => {
    const id = tenantIdOf(req);
    const overlap = (req.body as { overlap?: unknown } | undefined)?.overlap ?? req.query.overlap;
    let overlapMs: number | undefined;
    if (overlap !== undefined) {
      overlapMs = typeof overlap === 'string' ? parseDuration(overlap) : undefined;
      if (overlapMs === undefined || overlapMs > MAX_SECRET_OVERLAP_MS) {
        throw new AdminRefusal(400, 'invalid_overlap', `overlap is a duration up to 7 days: ${DURATION_HELP}`, {
          problems: [{ path: 'overlap', message: `a duration such as ${DURATION_HELP}, at most 1w` }],
        });
      }
    }
    const rotated = await deps.tenants.rotateWebhookSecret(id, {
      actor: actorOf(res),
      ...(overlapMs === undefined ? {} : { overlapMs }),
    });
    res.set('Cache-Control', 'no-store').json({
      secret: rotated.secret,
      previousValidUntil: rotated.previousValidUntil?.toISOString() ?? null,
      note: 'the secret is shown this once',
    });
  });

  router.get('/tenants/:id/export', allow('admin'), async (req, res) => {
    const id = tenantIdOf(req);
    // Headers go out with the first chunk: an unknown tenant is still answered 404, and a
    // long export is not cut short by the request deadline once it has started.
    await deps.tenants.exportTo(id, async (chunk) => {
      if (!res.headersSent) {
        res
          .status(200)
          .type('application/json')
          .set('Cache-Control', 'no-store')
          .set('Content-Disposition', `attachment; filename="${id}-export.json"`);
      }
      if (!res.write(chunk)) await once(res, 'drain');
    });
    deps.logger.info({ tenantId: id, by: adminCallerOf(res).name }, 'tenant exported');
    res.end();
  });

  router.delete('/tenants/:id', allow('admin'), async (req, res) => {
    const id = tenantIdOf(req);
    const result = await deps.tenants.erase(id, { actor: actorOf(res) });
    res.json(result);
  });

  // Refusals and the contract's errors as their statuses; anything else goes on to the server's handler (500).
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof AdminRefusal) {
      res.status(error.status).json({ error: error.code, message: error.message, ...error.extra });
    } else if (error instanceof TenantSpecRefused) {
      res
        .status(400)
        .json({ error: 'invalid_spec', message: 'the specification cannot be applied', problems: error.problems });
    } else if (error instanceof TenantNotFound) {
      res.status(404).json({ error: 'not_found', message: error.message });
    } else if (error instanceof TenantBusy) {
      res.status(409).set('Retry-After', '5').json({ error: 'conflict', message: error.message });
    } else {
      next(error);
    }
  });
  return router;
}
