import { z } from 'zod';
import { actorSchema } from '../../domain/commands';
import { alertEventSchema } from '../../domain/alerts';

/**
 * A mute of an alert group, chosen with a button. It travels on iex.alerts.v1, keyed by tenant
 * like the group's alerts, so the notifier — the one writer of alert state — applies it in order
 * with them; a button writing the state directly would race the notifier (FerretDB loses one of
 * two concurrent updates of a document).
 */
export const alertMuteSchema = z.object({
  kind: z.literal('alert.mute'),
  id: z.string().min(1),
  tenantId: z.string().min(1),
  groupKey: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  mutedUntil: z.iso.datetime({ offset: true }),
  actor: actorSchema,
});

export type AlertMute = z.infer<typeof alertMuteSchema>;

/** What the notifier reads from iex.alerts.v1. */
export const notifierMessageSchema = z.union([alertEventSchema, alertMuteSchema]);
