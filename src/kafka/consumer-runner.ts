import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { z } from 'zod';
import type { Logger } from '../config/logger';
import type { Metrics } from '../ingest/metrics';
import { describeIssues } from '../domain/events';
import type { EventProducer } from './producer';
import type { Naming, TopicId } from './topics';

/** One message that passed parsing and validation, with where it came from. */
export interface DecodedMessage<T> {
  value: T;
  key: string | null;
  topic: string;
  partition: number;
  offset: string;
}

export interface HandleResult<T> {
  /** Valid messages the handler cannot process, ever (e.g. an unknown tenant): dead-lettered. */
  rejected?: Array<{ message: DecodedMessage<T>; reason: string }>;
}

/** One consumer group: what it reads, how a message must look, and what it does with a batch. */
export interface ConsumerDefinition<T> {
  groupId: string;
  topics: TopicId[];
  schema: z.ZodType<T>;
  /**
   * Processes one batch of valid messages of one partition, in order. Must be idempotent: after a
   * crash or a rebalance the same messages come again. Throwing means "try again later"; the batch
   * is not committed.
   */
  handle(messages: DecodedMessage<T>[]): Promise<HandleResult<T> | void>;
}

export interface ConsumerRunnerDeps {
  kafka: Kafka;
  naming: Naming;
  producer: EventProducer;
  logger: Logger;
  metrics?: Pick<Metrics, 'consumed' | 'deadLettered' | 'retries'>;
  /** Largest group of messages handed to `handle` at once. */
  maxBatchSize?: number;
  /** Backoff between retries of a failing batch. */
  retryDelayMs?: { initial: number; max: number };
  /** Consumer group session timeout; also bounds how fast a dead member is replaced. */
  sessionTimeoutMs?: number;
  /** Start at the beginning of a topic when the group has no committed offset (default true). */
  fromBeginning?: boolean;
}

export interface ConsumerRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const DEAD_LETTER_HEADERS = {
  reason: 'x-iex-dlq-reason',
  topic: 'x-iex-dlq-topic',
  partition: 'x-iex-dlq-partition',
  offset: 'x-iex-dlq-offset',
  group: 'x-iex-dlq-group',
  at: 'x-iex-dlq-at',
} as const;

const HEARTBEAT_INTERVAL_MS = 3_000;

type Decoded<T> = { ok: true; message: DecodedMessage<T> } | { ok: false; reason: string };

export function decodeMessage<T>(
  schema: z.ZodType<T>,
  topic: string,
  partition: number,
  raw: KafkaMessage,
): Decoded<T> {
  if (!raw.value) return { ok: false, reason: 'empty message' };
  let json: unknown;
  try {
    json = JSON.parse(raw.value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `not valid JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `failed validation: ${describeIssues(parsed.error).join('; ')}` };
  return {
    ok: true,
    message: { value: parsed.data, key: raw.key?.toString('utf8') ?? null, topic, partition, offset: raw.offset },
  };
}

/**
 * Runs a consumer group with at-least-once delivery: offsets are committed only after the handler
 * succeeded; a message that cannot be parsed or validated goes to the dead-letter topic with its
 * reason and original bytes, and never blocks the partition; any other failure (the store is down,
 * say) is retried with backoff, holding the partition, until it succeeds or the runner stops.
 */
export function createConsumerRunner<T>(definition: ConsumerDefinition<T>, deps: ConsumerRunnerDeps): ConsumerRunner {
  const { kafka, naming, producer } = deps;
  const maxBatchSize = deps.maxBatchSize ?? 500;
  const retryDelay = deps.retryDelayMs ?? { initial: 200, max: 10_000 };
  const groupId = naming.group(definition.groupId);
  const logger = deps.logger.child({ consumer: definition.groupId });
  let consumer: Consumer | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  const deadLetter = async (topic: string, partition: number, raw: KafkaMessage, reason: string) => {
    logger.warn({ topic, partition, offset: raw.offset, reason }, 'message sent to the dead-letter topic');
    await producer.send('deadLetter', [
      {
        key: raw.key?.toString('utf8') ?? `${topic}:${partition}:${raw.offset}`,
        value: raw.value ?? Buffer.alloc(0),
        headers: {
          ...raw.headers,
          [DEAD_LETTER_HEADERS.reason]: reason,
          [DEAD_LETTER_HEADERS.topic]: topic,
          [DEAD_LETTER_HEADERS.partition]: String(partition),
          [DEAD_LETTER_HEADERS.offset]: raw.offset,
          [DEAD_LETTER_HEADERS.group]: groupId,
          [DEAD_LETTER_HEADERS.at]: new Date().toISOString(),
        },
      },
    ]);
  };

  /** Waits before the next try, heartbeating so the group does not evict us while the store is down. */
  const backoff = async (attempt: number, heartbeat: () => Promise<void>) => {
    const delay = Math.min(retryDelay.max, retryDelay.initial * 2 ** Math.min(attempt, 16));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wakeUp = undefined;
    await heartbeat().catch(() => undefined);
  };

  /** Runs `work` until it succeeds; false when the runner stops or loses the partition first. */
  const untilDone = async (what: string, payload: EachBatchPayload, work: () => Promise<void>) => {
    for (let attempt = 0; ; attempt += 1) {
      if (stopping || !payload.isRunning() || payload.isStale()) return false;
      // A batch may take longer than the session timeout on a slow store; without heartbeats the
      // group would evict this member, reject its commit and hand the batch to someone else.
      const beat = setInterval(() => void payload.heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
      try {
        await work();
        return true;
      } catch (error) {
        logger.warn(
          { err: error, attempt: attempt + 1, partition: payload.batch.partition },
          `${what} failed; retrying`,
        );
        deps.metrics?.retries.inc({ group: definition.groupId });
        await backoff(attempt, payload.heartbeat);
      } finally {
        clearInterval(beat);
      }
    }
  };

  const eachBatch = async (payload: EachBatchPayload) => {
    const { batch } = payload;
    for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
      const chunk = batch.messages.slice(start, start + maxBatchSize);
      const valid: DecodedMessage<T>[] = [];
      const invalid: Array<{ raw: KafkaMessage; reason: string }> = [];
      for (const raw of chunk) {
        const decoded = decodeMessage(definition.schema, batch.topic, batch.partition, raw);
        if (decoded.ok) valid.push(decoded.message);
        else invalid.push({ raw, reason: decoded.reason });
      }

      let rejected: NonNullable<HandleResult<T>['rejected']> = [];
      const handled =
        valid.length === 0 ||
        (await untilDone('handling a batch', payload, async () => {
          rejected = (await definition.handle(valid))?.rejected ?? [];
        }));
      if (!handled) return;

      const byOffset = new Map(chunk.map((raw) => [raw.offset, raw]));
      const deadLetters = [
        ...invalid,
        ...rejected.flatMap(({ message, reason }) => {
          const raw = byOffset.get(message.offset);
          return raw ? [{ raw, reason }] : [];
        }),
      ];
      const sent = await untilDone('dead-lettering', payload, async () => {
        for (const { raw, reason } of deadLetters) await deadLetter(batch.topic, batch.partition, raw, reason);
      });
      if (!sent) return;
      deps.metrics?.consumed.inc({ group: definition.groupId }, chunk.length - deadLetters.length);
      deps.metrics?.deadLettered.inc({ group: definition.groupId }, deadLetters.length);

      const last = chunk[chunk.length - 1];
      if (last) payload.resolveOffset(last.offset);
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
    }
  };

  const start = async (): Promise<void> => {
    stopping = false;
    await consumer?.disconnect().catch(() => undefined);
    consumer = kafka.consumer({
      groupId,
      sessionTimeout: deps.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
      // kafkajs restarts by itself after retriable errors; anything else would leave the group
      // silently without a member, so start again after a pause.
      if (!payload.restart && !stopping) {
        setTimeout(() => {
          if (!stopping)
            void start().catch((error: unknown) => logger.error({ err: error }, 'consumer restart failed'));
        }, 5_000).unref();
      }
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: definition.topics.map((id) => naming.topic(id)),
      fromBeginning: deps.fromBeginning ?? true,
    });
    await consumer.run({ eachBatchAutoResolve: false, autoCommit: true, eachBatch });
    logger.info({ groupId, topics: definition.topics }, 'consumer started');
  };

  return {
    start,
    async stop() {
      stopping = true;
      wakeUp?.();
      await consumer?.disconnect();
      consumer = undefined;
      logger.info('consumer stopped');
    },
  };
}

/** Declares a consumer group; an identity function that lets TypeScript infer the message type. */
export function defineConsumer<T>(definition: ConsumerDefinition<T>): ConsumerDefinition<T> {
  return definition;
}
