import { z } from 'zod';
import { MUTE_ACTION, MUTE_HOURS, MUTE_JOB_ACTION } from '../../chat/alert-actions';
import { failureGroupKey, jobGroupKey } from '../../domain/alerts';
import { changed, defineAction, type CommandContext, type Outcome } from '../define';
import { UserError } from '../errors';
import { entityWord } from '../entity-word';
import { notice } from '../../chat/reply';

// The alert port joins CorePorts in ports/index.ts; until then it is reached through this type.

const hoursValue = z.enum(MUTE_HOURS.map(String) as [string, ...string[]]).transform(Number);

interface MuteRequest {
  conn: string;
  hours: number;
  groupKey: string;
  details?: Record<string, unknown>;
}

interface Muted extends MuteRequest {
  connection: string;
  until: Date;
}

/** What a mute audits and announces. */
const muteEffects = {
  audit: (_values: unknown, muted: Muted) => ({
    action: 'alert.mute',
    target: muted.groupKey,
    details: { connection: muted.connection, ...muted.details, hours: muted.hours, until: muted.until.toISOString() },
  }),
};

/**
 * Mutes one alert group of a connection for `hours`, answered with what is now counted but not
 * posted (`what`, given the connection's name).
 */
async function muteGroup(
  ctx: CommandContext,
  request: MuteRequest,
  what: (connection: string) => string,
): Promise<Outcome<Muted>> {
  const connection = await ctx.ports.connections.get(ctx.tenantId, request.conn);
  if (!connection) throw new UserError('not_found', ctx.t.t('mute.err.gone'));
  const until = new Date(ctx.now.getTime() + request.hours * 60 * 60 * 1000);
  await ctx.ports.alerts.mute(ctx.tenantId, request.groupKey, until, ctx.caller);
  const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
  return changed(
    notice(
      ctx.t.t('mute.done', {
        hours: ctx.t.number(request.hours),
        until: ctx.t.when(until, ctx.now, timezone),
        what: what(`${connection.label} (${entityWord(ctx.t, connection.entity)})`),
      }),
    ),
    { ...request, connection: connection.label, until },
  );
}

/**
 * Mute 1 h / Mute 24 h on a failure alert: the group's failures are still counted, but not posted
 * until then. The other buttons of an alert are other commands' actions: Retry is `retry.ask`
 * (which says how many it would retry), Open log is `log.page`, Top up is the top-up's pack choice.
 */
const muteAction = defineAction({
  id: MUTE_ACTION,
  role: 'admin',
  values: z.object({ conn: z.string().min(1), code: z.string().min(1), h: hoursValue }),
  effects: muteEffects,
  run: (ctx, { conn, code, h: hours }) =>
    muteGroup(
      ctx,
      { conn, hours, groupKey: failureGroupKey(ctx.tenantId, conn, code), details: { errorCode: code } },
      (connection) => ctx.t.t('mute.failures', { connection, code }),
    ),
});

/** Mute 1 h / Mute 24 h on a job's alert (missed or failing runs). */
const muteJobAction = defineAction({
  id: MUTE_JOB_ACTION,
  role: 'admin',
  values: z.object({ conn: z.string().min(1), h: hoursValue }),
  effects: muteEffects,
  // A connection's job is named after it (src/services/connection-sync/sync-run.ts).
  run: (ctx, { conn, h: hours }) =>
    muteGroup(ctx, { conn, hours, groupKey: jobGroupKey(ctx.tenantId, conn) }, (connection) =>
      ctx.t.t('mute.jobRuns', { connection }),
    ),
});

/** The actions of the buttons on channel alerts. */
export const alertActions = [muteAction, muteJobAction];
