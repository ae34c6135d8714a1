import { ACTIONS, COMMANDS } from '../../src/commands/catalog';
import { createCommandCore, type CommandCore, type CommandCoreDeps } from '../../src/commands/core';
import type { Config } from '../../src/config/config';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming, type Naming } from '../../src/kafka/topics';
import { connectStore, type Store } from '../../src/store';
import { createStorePorts } from '../../src/services/ports';
import { randomBytes } from 'node:crypto';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { Reply } from '../../src/chat/reply';
import type { Models } from '../../src/store';
import { createTestTenant } from '../fixtures/tenants';
import { captureLogger, testConfig } from './test-env';

export interface CoreUnderTest {
  config: Config;
  store: Store;
  producer: EventProducer;
  naming: Naming;
  core: CommandCore;
  stop(): Promise<void>;
}

/**
 * What a test may change about the core: a fixed or movable clock, so that periods and
 * prorating come out the same on every run; a part of the catalogue, so that a test of one
 * section does not depend on the rest.
 */
export type CommandCoreOptions = Partial<Pick<CommandCoreDeps, 'clock' | 'commands' | 'actions'>>;

/**
 * The whole command catalogue (or `options.commands` and `options.actions`) on the real store and
 * broker, without HTTP or a chat platform: isolated in its own database and topic namespace.
 */
export async function startCommandCore(clientId: string, options: CommandCoreOptions = {}): Promise<CoreUnderTest> {
  const config = testConfig();
  const { logger } = captureLogger();
  const store = connectStore(config.MONGO_URL);
  await store.ready();
  const naming = createNaming(config.KAFKA_NAMESPACE);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId, logger });
  await ensureTopics(kafka, naming, { partitions: 1, replicationFactor: 1 });
  const producer = createEventProducer(kafka, naming);
  await producer.connect();
  const core = createCommandCore({
    ports: createStorePorts({ models: store.models, producer, logger }),
    logger,
    commands: options.commands ?? COMMANDS,
    actions: options.actions ?? ACTIONS,
    clock: options.clock,
  });
  return {
    config,
    store,
    producer,
    naming,
    core,
    async stop() {
      await producer.disconnect();
      await store.connection.dropDatabase();
      await store.close();
    },
  };
}

/** A test tenant bound to a Slack workspace of its own, with an owner, an admin and a viewer. */
export async function linkedSlackTenant(models: Models) {
  const { tenantId } = await createTestTenant(models);
  const workspaceId = `T${randomBytes(4).toString('hex').toUpperCase()}`;
  await models.Binding.create({ platform: 'slack', workspaceId, channelId: '', tenantId });
  await models.Member.create([
    { tenantId, platform: 'slack', platformUserId: 'UOWNER1', role: 'owner' },
    { tenantId, platform: 'slack', platformUserId: 'UADMIN1', role: 'admin' },
    { tenantId, platform: 'slack', platformUserId: 'UVIEWER1', role: 'viewer' },
  ]);
  const as = (userId: string): Caller => ({
    platform: 'slack',
    userId,
    workspaceId,
    channelId: 'C1',
    displayName: userId.toLowerCase(),
  });
  return { tenantId, workspaceId, owner: as('UOWNER1'), admin: as('UADMIN1'), viewer: as('UVIEWER1') };
}

/**
 * The core with its replies' no-break spaces made plain. Amounts keep their parts together with
 * them ("DKK 1,234.50", "1.234,50 kr."), as a chat should; a test that writes amounts as people
 * type them reads the replies through this.
 */
export function withPlainSpaces(core: CommandCore): CommandCore {
  const plain = (answer: Reply): Reply => JSON.parse(JSON.stringify(answer).replace(/\u00a0/g, ' ')) as Reply;
  return {
    commands: core.commands,
    handleCommand: async (...args) => plain(await core.handleCommand(...args)),
    handleOptions: async (...args) => plain(await core.handleOptions(...args)),
    handleAction: async (...args) => plain(await core.handleAction(...args)),
  };
}
