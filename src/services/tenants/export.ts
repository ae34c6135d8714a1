import type { mongo } from 'mongoose';
import type { Models } from '../../store';
import { TenantNotFound } from './contract';
import { keyedByTenant, tenantKeyedModels, unselectedPaths, UNMODELLED_TENANT_COLLECTIONS } from './tenant-collections';

/**
 * Everything the service holds about one tenant, as one JSON document (issue 13: a customer's
 * right of access, and what they take with them):
 *
 *   { format, exportedAt, tenantId, tenant, subscription, systems, connections, …, transfers, … }
 *
 * Written as it is read: each collection through one cursor, document by document, waiting for
 * the output to drain. A tenant with 10,000 transfers and their payloads never sits in memory
 * whole. Secrets are left out: every field a schema never selects (`select: false`: the webhook
 * secrets, a system's `secrets`) and a link code's hash. Payloads and events, which the store keeps
 * as JSON text, are written as JSON.
 *
 * Left out as derived from the rest (the transfer log's views, job-run buckets, open-run markers):
 * their content is in `transfers` and `jobRuns`.
 */

export const EXPORT_FORMAT = 'iex-tenant-export/1';

export type ExportOutput = NodeJS.WritableStream | ((chunk: string) => Promise<void>);

export interface ExportSummary {
  /** Documents written per section. */
  counts: Record<string, number>;
}

/** Collections whose content is derived from another's and says nothing new. */
const DERIVED = new Set(['transferViews', 'jobRunViews', 'openRuns']);

/** The sections in the order a reader meets them; any other tenant collection follows. */
const ORDER = [
  'systems',
  'connections',
  'jobs',
  'notificationRules',
  'members',
  'bindings',
  'linkCodes',
  'transfers',
  'transferEvents',
  'usage',
  'invoices',
  'topUps',
  'auditEntries',
  'alertStates',
  'mails',
  'retryJobs',
  'jobRuns',
  'homeViewers',
];

/** Fields left out of a section besides the schema's unselected ones. */
const OMITTED: Record<string, string[]> = {
  // The hash of a one-time code that binds a workspace: a credential.
  linkCodes: ['codeHash'],
};

/** Stored JSON text back as JSON; text that does not parse stays text. */
function parsed(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

type Doc = Record<string, unknown>;

/** Payloads and events as JSON instead of the text the store keeps them in. */
const READABLE: Record<string, (doc: Doc) => Doc> = {
  transfers(doc) {
    const side = (value: unknown) => {
      if (!value || typeof value !== 'object') return value;
      const { payloadJson, ...rest } = value as Doc;
      return { ...rest, payload: parsed(payloadJson) };
    };
    const events = Array.isArray(doc.events)
      ? (doc.events as Doc[]).map(({ json, ...rest }) => ({ ...rest, event: parsed(json) }))
      : doc.events;
    return {
      ...doc,
      ...(doc.source ? { source: side(doc.source) } : {}),
      ...(doc.target ? { target: side(doc.target) } : {}),
      events,
    };
  },
  transferEvents({ eventJson, ...rest }) {
    return { ...rest, event: parsed(eventJson) };
  },
};

/**
 * Each chunk written to a stream as it accepts it: on at once while its buffer has room, else
 * once it drained. A stream closed or failed meanwhile (an HTTP client that went away) ends the
 * export with an error instead of leaving it waiting, its cursor open.
 */
function writerFor(out: ExportOutput): (chunk: string) => Promise<void> {
  if (typeof out === 'function') return out;
  const stream = out as NodeJS.WritableStream & { destroyed?: boolean; errored?: Error | null };
  return (chunk) =>
    new Promise<void>((resolve, reject) => {
      if (stream.destroyed) {
        reject(stream.errored ?? new Error('the export output was closed before the export ended'));
        return;
      }
      const accepted = stream.write(chunk, (error?: Error | null) => {
        if (error) reject(error);
      });
      if (accepted) {
        resolve();
        return;
      }
      const settle = (error?: Error) => {
        stream.off('drain', onDrain);
        stream.off('close', onClose);
        stream.off('error', onError);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(new Error('the export output was closed before the export ended'));
      const onError = (error: Error) => settle(error);
      stream.once('drain', onDrain);
      stream.once('close', onClose);
      stream.once('error', onError);
    });
}

/**
 * Writes the tenant's export to `out` (a stream, whose backpressure is respected, or a function
 * awaited for each chunk). Throws TenantNotFound, before writing anything, for an unknown tenant.
 * Does not end a stream.
 */
export async function exportTenant(models: Models, tenantId: string, out: ExportOutput): Promise<ExportSummary> {
  const tenantProjection = projectionOf(unselectedPaths(models.Tenant));
  const tenant = await models.Tenant.collection.findOne({ tenantId }, { projection: tenantProjection });
  if (!tenant) throw new TenantNotFound(tenantId);
  const write = writerFor(out);
  const counts: Record<string, number> = {};

  const subscription = await models.Subscription.collection.findOne({ tenantId });
  await write(
    `{"format":${JSON.stringify(EXPORT_FORMAT)},"exportedAt":${JSON.stringify(new Date().toISOString())}` +
      `,"tenantId":${JSON.stringify(tenantId)},"tenant":${JSON.stringify(withoutSecrets(tenant, models.Tenant))}` +
      `,"subscription":${JSON.stringify(subscription ?? null)}`,
  );

  const single = new Set(['tenants', 'subscriptions']);
  const byTenant: mongo.Filter<mongo.Document> = { tenantId };
  const sources = tenantKeyedModels(models)
    .filter(({ collection }) => !single.has(collection) && !DERIVED.has(collection))
    .map(({ collection, Model }) => ({
      collection,
      native: Model.collection as unknown as mongo.Collection,
      filter: byTenant,
      omit: [...unselectedPaths(Model), ...(OMITTED[collection] ?? [])],
    }));
  const db = models.Tenant.db.db;
  for (const collection of UNMODELLED_TENANT_COLLECTIONS) {
    if (db && !sources.some((source) => source.collection === collection)) {
      sources.push({ collection, native: db.collection(collection), filter: byTenant, omit: [] });
    }
  }
  // Who of the customer's people opened the Home view, per platform (`_id` `<platform>:<tenant>`).
  sources.push({
    collection: 'homeViewers',
    native: models.HomeViewers.collection as unknown as mongo.Collection,
    filter: { _id: { $regex: keyedByTenant(tenantId).source } as never },
    omit: [],
  });
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  sources.sort((a, b) => rank(a.collection) - rank(b.collection) || a.collection.localeCompare(b.collection));

  for (const { collection, native, filter, omit } of sources) {
    const readable = READABLE[collection] ?? ((doc: Doc) => doc);
    await write(`,${JSON.stringify(collection)}:[`);
    let count = 0;
    const cursor = native.find(filter, { projection: projectionOf(omit) }).batchSize(200);
    try {
      for await (const doc of cursor) {
        await write((count === 0 ? '' : ',') + JSON.stringify(readable(doc as Doc)));
        count += 1;
      }
    } finally {
      await cursor.close();
    }
    await write(']');
    counts[collection] = count;
  }
  await write('}\n');
  return { counts };
}

function projectionOf(omit: string[]): Record<string, 0> | undefined {
  return omit.length > 0 ? Object.fromEntries(omit.map((path) => [path, 0 as const])) : undefined;
}

/** The tenant document without its secrets, whatever the projection let through. */
function withoutSecrets(doc: Doc, Model: Models['Tenant']): Doc {
  const copy = { ...doc };
  for (const path of unselectedPaths(Model)) delete copy[path.split('.')[0]!];
  return copy;
}
