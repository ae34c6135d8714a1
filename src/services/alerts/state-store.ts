import { z } from 'zod';
import { isDuplicateKeyError, RECIPIENT_KINDS, type Models } from '../../store';
import {
  emptyGroup,
  type DeadLetterAlert,
  type DigestAlert,
  type GroupState,
  type JobAlert,
  type QuotaAlert,
} from './grouping';

/**
 * Alert state documents (collection alertStates) as the notifier's GroupState. The notifier is
 * their one writer (alerts are keyed by tenant, so one consumer handles a tenant's alerts in
 * order); quota-check only inserts a group's document once, to remember that it sent its alert.
 */

const count = z.number().int().nonnegative().catch(0);
const date = z.date().optional().catch(undefined);

const refSchema = z.object({
  kind: z.enum(RECIPIENT_KINDS),
  target: z.string(),
  messageId: z.string(),
  episode: z.number(),
  version: z.number(),
  postedAt: z.date(),
});

/** An alert kept whole in the state, as the notifier wrote it. */
const storedAlert = <T>() =>
  z
    .custom<T>((value) => typeof value === 'object' && value !== null && 'kind' in value)
    .optional()
    .catch(undefined);

const storedSchema = z.object({
  episode: count,
  version: count,
  count,
  streak: count,
  alerting: z.boolean().catch(false),
  failing: z.array(z.string()).catch([]),
  untracked: count,
  recovered: count,
  firstAt: date,
  lastAt: date,
  last: z
    .object({
      transferId: z.string(),
      connectionId: z.string(),
      entity: z.enum(['order', 'product', 'stock']),
      reference: z.string().optional(),
      error: z.object({ code: z.string(), message: z.string() }),
    })
    .optional()
    .catch(undefined),
  reason: z.string().optional().catch(undefined),
  quota: storedAlert<QuotaAlert>(),
  job: storedAlert<JobAlert>(),
  digest: storedAlert<DigestAlert>(),
  deadLetter: storedAlert<DeadLetterAlert>(),
  mutedUntil: date,
  resolvedAt: date,
  lastSentAt: date,
  // A reference the notifier cannot read is dropped: the message is posted anew rather than lost.
  messageRefs: z
    .array(z.unknown())
    .catch([])
    .transform((refs) => refs.flatMap((ref) => refSchema.safeParse(ref).data ?? [])),
  appliedIds: z.array(z.string()).catch([]),
});

/** The groups of one tenant by group key; a group without a document is absent. */
export async function loadGroups(
  models: Pick<Models, 'AlertState'>,
  tenantId: string,
  groupKeys: string[],
): Promise<Map<string, GroupState>> {
  const docs = await models.AlertState.find({ tenantId, groupKey: { $in: groupKeys } }).lean();
  const groups = new Map<string, GroupState>();
  for (const doc of docs) {
    const { messageRefs, ...stored } = storedSchema.parse(doc);
    const state: GroupState = { ...emptyGroup(tenantId, doc.groupKey), refs: messageRefs };
    for (const [key, value] of Object.entries(stored)) if (value !== undefined) Object.assign(state, { [key]: value });
    groups.set(doc.groupKey, state);
  }
  return groups;
}

const OPTIONAL_FIELDS = [
  'firstAt',
  'lastAt',
  'last',
  'reason',
  'quota',
  'job',
  'digest',
  'deadLetter',
  'mutedUntil',
  'resolvedAt',
  'lastSentAt',
] as const;

/** Writes a group's whole state (what it does not have any more is removed). */
export async function saveGroup(models: Pick<Models, 'AlertState'>, state: GroupState): Promise<void> {
  const { tenantId, groupKey, refs, ...fields } = state;
  const set: Record<string, unknown> = { messageRefs: refs };
  const unset: Record<string, 1> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) set[key] = value;
  for (const key of OPTIONAL_FIELDS) if (state[key] === undefined) unset[key] = 1;
  const write = () =>
    models.AlertState.updateOne(
      { tenantId, groupKey },
      { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) },
      // The schema names only the fields quota-check writes; the notifier keeps more.
      { upsert: true, strict: false },
    );
  try {
    await write();
  } catch (error) {
    // quota-check inserted the group's document between our read and write: update it instead.
    if (!isDuplicateKeyError(error)) throw error;
    await write();
  }
}
