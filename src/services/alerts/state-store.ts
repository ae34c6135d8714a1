import { z } from 'zod';
import type { RecipientKind } from '../../domain/closed-lists';
import { isDuplicateKeyError, type Models } from '../../store';
import { emptyGroup, type GroupState } from './group-state';
import { ALERT_KINDS, kindOfGroup } from './registry';

/**
 * Alert state documents (collection alertStates) as the notifier's GroupState. The notifier is
 * their one writer (alerts are keyed by tenant, so one consumer handles a tenant's alerts in
 * order); quota-check only inserts a group's document once, to remember that it sent its alert.
 *
 * A group's subject is stored in its kind's own field (`last`, `quota`, `job`, `digest`, `switchIgnored`,
 * `deadLetter`: see each kind's `field`), as earlier versions wrote it; the field a document has
 * tells its kind.
 */

const count = z.number().int().nonnegative().catch(0);
const date = z.date().optional().catch(undefined);

const refSchema = z.object({
  // Open: a chat platform's name or 'email'; a kind no channel serves is skipped when delivering.
  kind: z.custom<RecipientKind>((value) => typeof value === 'string' && value !== ''),
  target: z.string(),
  messageId: z.string(),
  episode: z.number(),
  version: z.number(),
  postedAt: z.date(),
});

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
  reason: z.string().optional().catch(undefined),
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

/** The kind and subject a stored document holds: the first kind whose field it has and can read. */
function subjectOf(doc: Record<string, unknown>): Pick<GroupState, 'kind' | 'subject'> {
  for (const kind of ALERT_KINDS) {
    if (doc[kind.field] === undefined) continue;
    const read = kind.stored.safeParse(doc[kind.field]);
    if (read.success) return { kind: kind.name, subject: read.data };
  }
  return {};
}

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
    const read = { ...stored, ...subjectOf(doc as Record<string, unknown>) };
    for (const [key, value] of Object.entries(read)) if (value !== undefined) Object.assign(state, { [key]: value });
    groups.set(doc.groupKey, state);
  }
  return groups;
}

const OPTIONAL_FIELDS = ['firstAt', 'lastAt', 'reason', 'mutedUntil', 'resolvedAt', 'lastSentAt'] as const;

/** Writes a group's whole state (what it does not have any more is removed). */
export async function saveGroup(models: Pick<Models, 'AlertState'>, state: GroupState): Promise<void> {
  const { tenantId, groupKey, refs, kind: _kind, subject, ...fields } = state;
  const set: Record<string, unknown> = { messageRefs: refs };
  const unset: Record<string, 1> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) set[key] = value;
  for (const key of OPTIONAL_FIELDS) if (state[key] === undefined) unset[key] = 1;
  const kind = kindOfGroup(state);
  for (const other of ALERT_KINDS) if (other !== kind) unset[other.field] = 1;
  if (kind) set[kind.field] = subject;
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
