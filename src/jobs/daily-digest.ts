import { timeZoneOf } from '../domain/zoned-time';
import { commonReason, errorGist } from '../services/alerts/group-state';
import { readAllowance } from '../services/billing/quota-check';
import type { Logger } from '../config/logger';
import { digestGroupKey, type AlertEvent } from '../domain/alerts';
import { dayBounds, digestDue } from '../domain/digest';
import { ENTITIES } from '../domain/events';
import { dayAndPeriod } from '../domain/periods';
import type { EventProducer } from '../kafka/producer';
import { isDuplicateKeyError, readTransferViews, readUsage, type Models } from '../store';
import { defineJob } from './define-job';

export interface DailyDigestDeps {
  models: Models;
  producer: Pick<EventProducer, 'sendJson'>;
  settings: {
    /** The local hour (0–23, each tenant's time zone) from which yesterday's digest is sent. */
    digestHour: number;
  };
  now(): Date;
}

export interface DigestSummary {
  /** Tenants whose digest this run sent. */
  sent: number;
  /** Tenants whose digest was due but sent before (by an earlier run or another instance). */
  alreadySent: number;
}

type DigestAlert = Extract<AlertEvent, { kind: 'digest' }>;

/** The digest alert carries at most this many causes (its schema's limit). */
const MAX_CAUSES = 20;
/** A day's record is kept past the one day it is due on; the scheduler deletes it afterwards. */
const CLAIM_MS = 7 * 24 * 60 * 60 * 1000;
/** A claim not marked sent within this long belongs to an instance that died while sending. */
const SENDING_MS = 10 * 60 * 1000;

/**
 * The daily digest: each tenant with digest recipients gets one `digest` alert about yesterday (in
 * its time zone) once its local time has reached the digest hour. It runs hourly, so every zone
 * gets its digest at its own hour, and a service that was down at that hour sends it at its next
 * run that day. A day is sent once across instances and runs: a lease named after tenant and day
 * is inserted before the alert goes out, and a unique-index refusal means it was sent already.
 * The lease is marked done once the alert is out; one left undone by an instance that died while
 * sending is sent again by a later run (the alert's id is per tenant and day, so the notifier
 * shows it once even if the dead instance had sent it).
 */
export const dailyDigest = defineJob<DailyDigestDeps, DigestSummary>({
  name: 'daily-digest',
  schedule: '0 * * * *',
  async run({ models, producer, settings, now }, { logger, signal, instanceId }) {
    const at = now();
    const summary: DigestSummary = { sent: 0, alreadySent: 0 };
    const tenantIds: string[] = await models.NotificationRule.distinct('tenantId', { trigger: 'digest' });
    const tenants = await models.Tenant.find({ tenantId: { $in: tenantIds } }, { tenantId: 1, timezone: 1 }).lean();

    for (const tenant of tenants) {
      if (signal.aborted) break;
      const timezone = timeZoneOf(tenant.timezone);
      const day = digestDue(at, timezone, settings.digestHour);
      if (!day) continue;
      const log = logger.child({ tenantId: tenant.tenantId, day });
      const claim = digestGroupKey(tenant.tenantId, day);
      try {
        // Most hourly runs find the day sent: skip the reads that would build it again.
        const earlier = await models.Lease.findOne({ name: claim }, { done: 1, until: 1 }).lean();
        const abandoned = earlier?.done === false && earlier.until < at;
        if (earlier && !abandoned) {
          summary.alreadySent += 1;
          continue;
        }
        const digest = await buildDigest(models, tenant.tenantId, timezone, day, at);
        if (abandoned) log.warn('the instance sending this digest stopped before it was done; sending it again');
        else if (!(await claimDay(models, claim, instanceId, at))) {
          summary.alreadySent += 1;
          continue;
        }
        await send(models, producer, digest, claim, at, log);
        summary.sent += 1;
      } catch (err) {
        // The next hourly run tries this tenant again; the others go on.
        log.error({ err }, 'could not send the daily digest');
      }
    }
    logger.info({ ...summary }, 'daily digests');
    return summary;
  },
});

/** True when this run may send the day's digest; false when another run or instance has. */
async function claimDay(models: Pick<Models, 'Lease'>, name: string, owner: string, at: Date): Promise<boolean> {
  try {
    // Without a tick, the scheduler's takeover leaves this claim to the digest job.
    await models.Lease.create({
      name,
      owner,
      job: 'daily-digest',
      until: new Date(at.getTime() + SENDING_MS),
      done: false,
    });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

async function send(
  models: Pick<Models, 'Lease'>,
  producer: DailyDigestDeps['producer'],
  digest: DigestAlert,
  claim: string,
  at: Date,
  log: Logger,
): Promise<void> {
  try {
    await producer.sendJson('alerts', [{ key: digest.tenantId, value: digest }]);
  } catch (err) {
    // Not sent: give the day back so the next hourly run sends it.
    await models.Lease.deleteOne({ name: claim }).catch((again: unknown) => log.warn({ err: again }, 'claim kept'));
    throw err;
  }
  await models.Lease.updateOne({ name: claim }, { $set: { done: true, until: new Date(at.getTime() + CLAIM_MS) } });
  log.info({ failed: digest.failuresByCause.length, held: digest.held }, 'daily digest sent');
}

/**
 * Yesterday's counts, its failures by cause, the period's quota so far and what is held now. All
 * read by `_id` (on FerretDB v1 any other filter reads the whole collection; on MongoDB `_id` is
 * the primary index): the counts from the tenant's usage documents `<tenant>:<period>:<partition>`
 * (readUsage); the failures and the held transfers from the recorder's view documents
 * `view:<tenant>:<partition>` in transferViews (readTransferViews), after `partitions:<tenant>`.
 */
export async function buildDigest(
  models: Models,
  tenantId: string,
  timezone: string,
  day: string,
  at: Date,
): Promise<DigestAlert> {
  const { period } = dayAndPeriod(at, timezone);
  const { start, end } = dayBounds(day, timezone);
  const [dayUsage, allowance, views] = await Promise.all([
    readUsage(models, tenantId, day.slice(0, 7)),
    readAllowance(models, tenantId, period),
    readTransferViews(models, tenantId),
  ]);
  // The lists keep each partition's latest failed and held transfers (VIEW_LIMITS, 2,000 each): a
  // tenant with more than that counts only those, in the causes and in `held`.
  const failed = views.failed.filter(
    ({ status, finishedAt }) => status === 'failed' && finishedAt && finishedAt >= start && finishedAt < end,
  );
  const held = views.held.length;

  const bucket = dayUsage.days.find((candidate) => candidate.day === day);
  const transfers = Object.fromEntries(
    ENTITIES.map((entity) => [
      entity,
      {
        created: bucket?.[entity].created ?? 0,
        updated: bucket?.[entity].updated ?? 0,
        failed: bucket?.[entity].failed ?? 0,
      },
    ]),
  ) as DigestAlert['transfers'];

  const causes = new Map<string, { code: string; reason: string; count: number }>();
  for (const { error } of failed) {
    const code = error?.code ?? 'unknown';
    const gist = errorGist(error?.message ?? code);
    const cause = causes.get(code);
    if (cause) Object.assign(cause, { count: cause.count + 1, reason: commonReason(cause.reason, gist, code) });
    else causes.set(code, { code, reason: gist, count: 1 });
  }
  const failuresByCause = [...causes.values()]
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, MAX_CAUSES);

  const groupKey = digestGroupKey(tenantId, day);
  return {
    kind: 'digest',
    id: groupKey,
    tenantId,
    groupKey,
    occurredAt: at.toISOString(),
    day,
    period,
    transfers,
    failuresByCause,
    // Without a subscription nothing is included: all used, none left.
    quota: allowance
      ? { used: allowance.used, allowance: allowance.allowance }
      : { used: (await readUsage(models, tenantId, period)).ordersUsed, allowance: 0 },
    held,
  };
}
