import { z } from 'zod';
import { MUTE_ACTION, MUTE_HOURS } from '../../alerts/message';
import { MUTE_JOB_ACTION } from '../../alerts/job-message';
import { failureGroupKey, jobGroupKey } from '../../domain/alerts';
import { defineAction } from '../define';
import { UserError } from '../errors';
import { notice } from '../reply';
import { formatWhen } from '../transfer-log';

// The alert port joins CorePorts in ports/index.ts; until then it is reached through this type.

const hoursValue = z.enum(MUTE_HOURS.map(String) as [string, ...string[]]).transform(Number);

/**
 * Mute 1 h / Mute 24 h on a failure alert: the group's failures are still counted, but not posted
 * until then. The other buttons of an alert are other commands' actions: Retry is `retry.ask`
 * (which says how many it would retry), Open log is `log.page`, Top up is the top-up's pack choice.
 */
const muteAction = defineAction({
  id: MUTE_ACTION,
  role: 'admin',
  values: z.object({
    conn: z.string().min(1),
    code: z.string().min(1),
    h: hoursValue,
  }),
  async run(ctx, { conn, code, h: hours }) {
    const connection = await ctx.ports.connections.get(ctx.tenantId, conn);
    if (!connection) throw new UserError('not_found', 'That connection no longer exists, so there is nothing to mute.');
    const groupKey = failureGroupKey(ctx.tenantId, conn, code);
    const until = new Date(ctx.now.getTime() + hours * 60 * 60 * 1000);
    await ctx.ports.alerts.mute(ctx.tenantId, groupKey, until, ctx.caller);
    await ctx.ports.changes.record({
      tenantId: ctx.tenantId,
      caller: ctx.caller,
      action: 'alert.mute',
      target: groupKey,
      details: { connection: connection.label, errorCode: code, hours, until: until.toISOString() },
    });
    const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
    return notice(
      `Muted for ${hours} h, until ${formatWhen(until, ctx.now, timezone)}: failures of ${connection.label} (${connection.entity}) ` +
        `with error \`${code}\` are counted but not posted. The alert message says so too.`,
    );
  },
});

/** Mute 1 h / Mute 24 h on a job's alert (missed or failing runs): counted, not posted, until then. */
const muteJobAction = defineAction({
  id: MUTE_JOB_ACTION,
  role: 'admin',
  values: z.object({ conn: z.string().min(1), h: hoursValue }),
  async run(ctx, { conn, h: hours }) {
    const connection = await ctx.ports.connections.get(ctx.tenantId, conn);
    if (!connection) throw new UserError('not_found', 'That connection no longer exists, so there is nothing to mute.');
    // A connection's job is named after it (src/jobs/connection-sync/sync-run.ts).
    const groupKey = jobGroupKey(ctx.tenantId, conn);
    const until = new Date(ctx.now.getTime() + hours * 60 * 60 * 1000);
    await ctx.ports.alerts.mute(ctx.tenantId, groupKey, until, ctx.caller);
    await ctx.ports.changes.record({
      tenantId: ctx.tenantId,
      caller: ctx.caller,
      action: 'alert.mute',
      target: groupKey,
      details: { connection: connection.label, hours, until: until.toISOString() },
    });
    const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
    return notice(
      `Muted for ${hours} h, until ${formatWhen(until, ctx.now, timezone)}: missed and failed runs of ${connection.label} (${connection.entity}) are counted but not posted.`,
    );
  },
});

/** The actions of the buttons on channel alerts. */
export const alertActions = [muteAction, muteJobAction];
