import { idSchema, referenceSchema } from '../domain/events';

/** Whom and what a dead-lettered message was about, as far as it says. */
export interface DeadLetterSubject {
  tenantId?: string;
  transferId?: string;
  reference?: string;
}

const asId = (value: unknown) => idSchema.safeParse(value).data;

/**
 * The tenant (and, for a transfer event, the transfer and its reference) of a message, from its
 * key first — the service keys every message by tenant (`tenant` or `tenant:transfer`), set where
 * the tenant was verified — then from a `tenantId` field of its JSON body. Nothing when neither
 * names one: such a dead letter is only logged and counted.
 */
export function subjectOf(key: string | null, value: Buffer | null): DeadLetterSubject {
  const subject: DeadLetterSubject = {};
  let body: Record<string, unknown> | undefined;
  if (value && value.length > 0) {
    try {
      const parsed: unknown = JSON.parse(value.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        body = parsed as Record<string, unknown>;
      }
    } catch {
      // Not JSON: the key is all there is.
    }
  }
  const [keyTenant, keyTransfer, ...rest] = key?.split(':') ?? [];
  const fromKey = rest.length === 0 ? asId(keyTenant) : undefined;
  const tenantId = fromKey ?? asId(body?.tenantId);
  if (tenantId) subject.tenantId = tenantId;
  // A transfer named by the key is the transfer; a body's only when it is the key's tenant's.
  const transferId = fromKey ? asId(keyTransfer) : undefined;
  const bodyTransfer = body && (!fromKey || body.tenantId === fromKey) ? asId(body.transferId) : undefined;
  if (transferId ?? bodyTransfer) subject.transferId = (transferId ?? bodyTransfer)!;
  const reference = referenceSchema.min(1).safeParse(body?.reference).data;
  if (reference && subject.transferId) subject.reference = reference;
  return subject;
}

/** Where a message was read, as one string: what tells one dead-lettered message from another. */
export function originOf(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}
