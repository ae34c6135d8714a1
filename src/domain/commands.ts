import { z } from 'zod';
import { PLATFORM_NAME } from './closed-lists';

/**
 * Commands on iex.commands.v1, keyed by tenant: what the integration engines must do. Every
 * command has an id the engine can deduplicate by, and says who issued it.
 */
export const actorSchema = z.object({
  /** A chat platform's name, 'console' or 'system'. */
  platform: z.string().regex(PLATFORM_NAME),
  userId: z.string().min(1),
});
export type Actor = z.infer<typeof actorSchema>;

export const SYSTEM_ACTOR: Actor = { platform: 'system', userId: 'iex-chatops' };

const base = {
  id: z.string().min(1),
  tenantId: z.string().min(1),
  issuedAt: z.iso.datetime({ offset: true }),
  actor: actorSchema,
};

export const commandSchema = z.discriminatedUnion('type', [
  /** Run a transfer again: a failed one (retry) or a held one whose connection is back on (release). */
  z.object({
    type: z.literal('transfer.retry'),
    ...base,
    transferId: z.string().min(1),
    connectionId: z.string().min(1),
    reason: z.enum(['retry', 'release']),
  }),
  /** Stop transferring orders until the allowance is raised (quota used up, no auto top-up). */
  z.object({ type: z.literal('orders.hold'), ...base, period: z.string(), reason: z.string() }),
  z.object({ type: z.literal('orders.release'), ...base, period: z.string(), reason: z.string() }),
  /**
   * A change made from chat that engines must obey: a connection, module or the integration
   * switched on or off, a system disconnected or removed, … (`action` says which).
   */
  z.object({
    type: z.literal('settings.changed'),
    ...base,
    action: z.string().min(1),
    target: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  /** A scheduled run: synchronise one connection now. */
  z.object({ type: z.literal('connection.sync'), ...base, connectionId: z.string().min(1), jobId: z.string().min(1) }),
]);

export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];
