import { z } from 'zod';
import { ADMIN_SCOPES } from '../domain/admin-tokens';
import { tenantSpecSchema } from '../domain/tenant-spec';

/** What a refused request answers: a code, a sentence, and for a bad spec each problem by its path. */
const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const changeSchema = z.object({
  path: z.string(),
  change: z.enum(['added', 'changed', 'removed']),
  from: z.string().optional(),
  to: z.string().optional(),
});

const applyResultSchema = z.object({
  tenantId: z.string(),
  created: z.boolean(),
  changes: z.array(changeSchema),
  applied: z.boolean(),
  webhookSecret: z.string().optional().describe('only when this apply created the tenant: shown once'),
});

const linkCodeSchema = z.object({ code: z.string(), expiresAt: z.iso.datetime(), use: z.string() });
const rotateRequestSchema = z.object({
  overlap: z.string().optional().describe('e.g. 24h (the default), 0m, 3d; at most 1w'),
});
const rotateResultSchema = z.object({
  secret: z.string(),
  previousValidUntil: z.iso.datetime().nullable(),
  note: z.string(),
});

/** A zod schema as an OpenAPI 3.1 schema object (JSON Schema 2020-12, without its `$schema`). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const answer = (description: string, ref?: string) => ({ description, ...(ref ? { content: json(ref) } : {}) });
const refusals = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      answer(
        {
          400: 'bad input: each problem names its path',
          401: 'no token, or not one of ADMIN_TOKENS',
          403: "the token's scope does not allow this",
          404: 'no such tenant',
          409: 'another change of this tenant is under way; try again',
        }[status] ?? 'refused',
        'Error',
      ),
    ]),
  );
const tenantId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
};
const scoped = (scope: (typeof ADMIN_SCOPES)[number]) => ({ security: [{ bearer: [] }], 'x-scope': scope });

/** The admin API's OpenAPI document, from the schemas the routes validate with. */
export function buildAdminOpenApi(basePath: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'IEX ChatOps admin API',
      version: '1',
      description:
        'Tenants for operators and the IEX platform. Bearer tokens come from ADMIN_TOKENS (name:token[:scope]); ' +
        `scopes ${ADMIN_SCOPES.join(' < ')}, each allowing what the ones before it do. Every change is audited under the token's name.`,
    },
    servers: [{ url: basePath }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        TenantSpec: schemaOf(tenantSpecSchema, 'input'),
        ApplyResult: schemaOf(applyResultSchema),
        LinkCode: schemaOf(linkCodeSchema),
        RotateRequest: schemaOf(rotateRequestSchema),
        RotateResult: schemaOf(rotateResultSchema),
        Error: schemaOf(errorSchema),
      },
    },
    paths: {
      '/tenants': {
        get: {
          summary: 'List the tenants',
          ...scoped('read'),
          responses: { 200: answer('the tenants'), ...refusals(401, 403) },
        },
      },
      '/tenants/{id}': {
        parameters: [tenantId],
        get: {
          summary: 'One tenant as a specification (secrets only shown as set)',
          ...scoped('read'),
          responses: { 200: answer('the tenant'), ...refusals(401, 403, 404) },
        },
        put: {
          summary: 'Apply a specification: creates the tenant or changes exactly what differs',
          ...scoped('write'),
          parameters: [
            { name: 'dryRun', in: 'query', schema: { type: 'boolean' }, description: 'only say what would change' },
          ],
          requestBody: { required: true, content: json('TenantSpec') },
          responses: {
            200: answer('applied (or nothing to change: changes is empty)', 'ApplyResult'),
            201: answer('created; webhookSecret is shown this once', 'ApplyResult'),
            ...refusals(400, 401, 403, 409),
          },
        },
        delete: {
          summary: 'Erase the tenant: every document but its invoices, which are kept anonymised',
          ...scoped('admin'),
          responses: { 200: answer('what was removed'), ...refusals(401, 403, 409) },
        },
      },
      '/tenants/{id}/link-codes': {
        parameters: [tenantId],
        post: {
          summary: 'A one-time code for /iex link CODE, valid 24 hours',
          ...scoped('write'),
          responses: { 201: answer('the code', 'LinkCode'), ...refusals(401, 403, 404) },
        },
      },
      '/tenants/{id}/webhook-secret/rotate': {
        parameters: [tenantId],
        post: {
          summary: 'A new engine webhook secret; the old one keeps working for the overlap',
          ...scoped('write'),
          requestBody: { required: false, content: json('RotateRequest') },
          responses: {
            200: answer('the new secret, shown this once', 'RotateResult'),
            ...refusals(400, 401, 403, 404, 409),
          },
        },
      },
      '/tenants/{id}/export': {
        parameters: [tenantId],
        get: {
          summary: 'Everything held about the tenant as one JSON document',
          ...scoped('admin'),
          responses: { 200: answer('the export (streamed)'), ...refusals(401, 403, 404) },
        },
      },
    },
  };
}
