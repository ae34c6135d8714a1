/**
 * Every topic the product uses, in one place. Names carry their contract version (`.v1`) so a v2
 * can live beside it. A namespace (KAFKA_NAMESPACE) prefixes topics and consumer groups, so
 * several environments or test runs can share one cluster without reading each other's events.
 */
export const TOPICS = {
  webhooksRaw: 'iex.webhooks.raw.v1',
  transfers: 'iex.transfers.v1',
  alerts: 'iex.alerts.v1',
  commands: 'iex.commands.v1',
  deadLetter: 'iex.dlq.v1',
  /** Customers as the IEX platform publishes them: tenant upserted (a spec) or deleted. */
  tenants: 'iex.tenants.v1',
} as const;

export type TopicId = keyof typeof TOPICS;

export interface Naming {
  topic(id: TopicId): string;
  group(groupId: string): string;
}

export function createNaming(namespace: string): Naming {
  const prefix = namespace ? `${namespace}.` : '';
  return {
    topic: (id) => `${prefix}${TOPICS[id]}`,
    group: (groupId) => `${prefix}${groupId}`,
  };
}
