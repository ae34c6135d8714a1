import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { z } from 'zod';
import type { Logger } from '../config/logger';
import type { Metrics } from '../config/metrics';
import { describeIssues } from '../domain/events';
import { describeFailure, isCoordinatorLoading, isDependencyOutage } from './failure-kind';
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
   * crash, a rebalance or a failure the same messages come again, alone or with others (a failing
   * batch is split to find the message that fails). Throwing means "try again later"; the batch is
   * not committed. A dependency outage is waited out; any other error is retried `maxAttempts`
   * times, then the message that causes it is isolated and dead-lettered.
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
  /**
   * Tries of a batch that fails with anything but a dependency outage before it is split to find
   * the failing message; also the tries of that one message before it is dead-lettered (default 3).
   */
  maxAttempts?: number;
  /** Consumer group session timeout; also bounds how fast a dead member is replaced. */
  sessionTimeoutMs?: number;
  /** Start at the beginning of a topic when the group has no committed offset (default true). */
  fromBeginning?: boolean;
  /**
   * Told of each message once it is on the dead-letter topic, before the batch is committed (the
   * service alerts the message's tenant). A dependency outage it throws is retried, holding the
   * partition; any other error is logged and the message stays dead-lettered without it. After a
   * crash the same message can be told again: it must be idempotent.
   */
  onDeadLetter?: (letter: DeadLetterNotice) => Promise<void>;
}

/** A message that was just sent to the dead-letter topic, and why. */
export interface DeadLetterNotice {
  /** Where it was read: topic (namespaced), partition, offset. */
  topic: string;
  partition: number;
  offset: string;
  /** The consumer group (namespaced) that gave up on it. */
  group: string;
  key: string | null;
  value: Buffer | null;
  reason: string;
  at: Date;
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
const DEFAULT_MAX_ATTEMPTS = 3;

/** Why a message went to the dead-letter topic, as the metric's `reason` label says it. */
type DeadLetterKind = 'invalid' | 'rejected' | 'failed';

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
 * reason and original bytes, and never blocks the partition. A dependency outage (the store or the
 * broker is unreachable, see `isDependencyOutage`) is retried with backoff, holding the partition,
 * until it succeeds or the runner stops. Any other failure is retried `maxAttempts` times, then the
 * batch is split in halves, first half first, down to the message that fails, which is
 * dead-lettered with `handler failed: <error>`; the rest of the batch is handled and committed.
 */
export function createConsumerRunner<T>(definition: ConsumerDefinition<T>, deps: ConsumerRunnerDeps): ConsumerRunner {
  const { kafka, naming, producer } = deps;
  const maxBatchSize = deps.maxBatchSize ?? 500;
  const retryDelay = deps.retryDelayMs ?? { initial: 200, max: 10_000 };
  const maxAttempts = Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const groupId = naming.group(definition.groupId);
  const logger = deps.logger.child({ consumer: definition.groupId });
  let consumer: Consumer | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  const deadLetter = async (topic: string, partition: number, raw: KafkaMessage, reason: string, at: Date) => {
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
          [DEAD_LETTER_HEADERS.at]: at.toISOString(),
        },
      },
    ]);
    // After the send: a log line and a count per message that really is on the dead-letter topic.
    logger.warn(
      { topic, partition, offset: raw.offset, group: groupId, key: raw.key?.toString('utf8') ?? null, reason },
      'message sent to the dead-letter topic',
    );
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

  /** False once the runner stops or loses the partition: leave the batch uncommitted. */
  const stillOurs = (payload: EachBatchPayload) => !stopping && payload.isRunning() && !payload.isStale();

  /**
   * Runs `work` once, heartbeating meanwhile: a batch may take longer than the session timeout on
   * a slow store, and without heartbeats the group would evict this member, reject its commit and
   * hand the batch to someone else.
   */
  const beating = async <R>(payload: EachBatchPayload, work: () => Promise<R>): Promise<R> => {
    const beat = setInterval(() => void payload.heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
    try {
      return await work();
    } finally {
      clearInterval(beat);
    }
  };

  const retrying = (what: string, payload: EachBatchPayload, error: unknown, attempt: number, details: object) => {
    logger.warn(
      { err: error, attempt: attempt + 1, partition: payload.batch.partition, ...details },
      `${what} failed; retrying`,
    );
    deps.metrics?.retries.inc({ group: definition.groupId });
  };

  /**
   * Runs `work` until it succeeds; false when the runner stops or loses the partition first. A
   * batch that was handled gets one try even while the runner stops, so what was done is committed
   * and not handed to the next owner again.
   */
  const untilDone = async (what: string, payload: EachBatchPayload, work: () => Promise<void>) => {
    for (let attempt = 0; ; attempt += 1) {
      if (attempt === 0 ? payload.isStale() : !stillOurs(payload)) return false;
      try {
        await beating(payload, work);
        return true;
      } catch (error) {
        retrying(what, payload, error, attempt, {});
        await backoff(attempt, payload.heartbeat);
      }
    }
  };

  type Rejected = NonNullable<HandleResult<T>['rejected']>;
  interface Settled {
    rejected: Rejected;
    /** Messages that failed alone, `tries` times, with something other than an outage. */
    failed: Array<{ message: DecodedMessage<T>; reason: string }>;
  }

  /**
   * Hands `messages` to the handler until it succeeds. An outage is waited out without limit; any
   * other error is tried `tries` times, then the messages are split in halves, each handled in
   * order, down to single messages that fail on their own. A half gets one try (the failure has
   * shown itself already), a single message `maxAttempts`, so the work stays bounded: about
   * maxAttempts + 2·log2(n) tries per failing message. Undefined when the runner stops or loses the
   * partition first.
   */
  const settle = async (
    payload: EachBatchPayload,
    messages: DecodedMessage<T>[],
    tries: number,
  ): Promise<Settled | undefined> => {
    let faults = 0;
    let fault: unknown;
    for (let attempt = 0; ; attempt += 1) {
      if (!stillOurs(payload)) return undefined;
      try {
        const result = await beating(payload, () => definition.handle(messages));
        return { rejected: result?.rejected ?? [], failed: [] };
      } catch (error) {
        const outage = isDependencyOutage(error);
        if (!outage) faults += 1;
        const size = messages.length;
        if (!outage && faults >= tries) {
          fault = error;
          if (size > 1) {
            logger.warn(
              { err: error, attempt: attempt + 1, partition: payload.batch.partition, size },
              'handling a batch keeps failing; splitting it to find the message that fails',
            );
          }
          break;
        }
        retrying('handling a batch', payload, error, attempt, { size, failure: outage ? 'outage' : 'message' });
        await backoff(attempt, payload.heartbeat);
      }
    }
    const [only] = messages;
    if (messages.length === 1 && only) {
      return { rejected: [], failed: [{ message: only, reason: `handler failed: ${describeFailure(fault)}` }] };
    }
    const middle = Math.ceil(messages.length / 2);
    const settled: Settled = { rejected: [], failed: [] };
    for (const half of [messages.slice(0, middle), messages.slice(middle)]) {
      // A half on its own gets one try; a single message its full share.
      const part = await settle(payload, half, half.length === 1 ? maxAttempts : 1);
      if (!part) return undefined;
      settled.rejected.push(...part.rejected);
      settled.failed.push(...part.failed);
    }
    return settled;
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

      const settled: Settled | undefined =
        valid.length === 0 ? { rejected: [], failed: [] } : await settle(payload, valid, maxAttempts);
      if (!settled) return;

      const byOffset = new Map(chunk.map((raw) => [raw.offset, raw]));
      const found = (kind: DeadLetterKind, list: Settled['failed']) =>
        list.flatMap(({ message, reason }) => {
          const raw = byOffset.get(message.offset);
          return raw ? [{ raw, reason, kind }] : [];
        });
      const deadLetters = [
        ...invalid.map(({ raw, reason }) => ({ raw, reason, kind: 'invalid' as DeadLetterKind })),
        ...found('rejected', settled.rejected),
        ...found('failed', settled.failed),
      ].sort((a, b) => Number(BigInt(a.raw.offset) - BigInt(b.raw.offset)));
      const at = new Date();
      const sent = await untilDone('dead-lettering', payload, async () => {
        for (const { raw, reason } of deadLetters) await deadLetter(batch.topic, batch.partition, raw, reason, at);
      });
      if (!sent) return;
      // Apart from the sending: a failure to tell does not put the same messages on the topic again.
      const { onDeadLetter } = deps;
      if (onDeadLetter && deadLetters.length > 0) {
        const told = await untilDone('reporting dead letters', payload, async () => {
          for (const { raw, reason } of deadLetters) {
            const notice: DeadLetterNotice = {
              topic: batch.topic,
              partition: batch.partition,
              offset: raw.offset,
              group: groupId,
              key: raw.key?.toString('utf8') ?? null,
              value: raw.value,
              reason,
              at,
            };
            try {
              await onDeadLetter(notice);
            } catch (error) {
              if (isDependencyOutage(error)) throw error;
              logger.error(
                { err: error, topic: batch.topic, partition: batch.partition, offset: raw.offset },
                'could not report a dead letter; it stays on the dead-letter topic',
              );
            }
          }
        });
        if (!told) return;
      }
      deps.metrics?.consumed.inc({ group: definition.groupId }, chunk.length - deadLetters.length);
      for (const kind of ['invalid', 'rejected', 'failed'] as const) {
        const count = deadLetters.filter((letter) => letter.kind === kind).length;
        if (count > 0) deps.metrics?.deadLettered.inc({ group: definition.groupId, reason: kind }, count);
      }

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
      // Under a steady trickle the broker would answer every fetch with a message or two, and each
      // batch costs the handler a few store round trips whatever its size: waiting up to 100 ms
      // for 64 KB gathers a busy partition's messages into batches; an idle one still answers
      // within 100 ms of its first message.
      minBytes: 64 * 1024,
      maxWaitTimeInMs: 100,
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // A broker that just started loads its groups for a while; kafkajs waits and rejoins by itself.
      if (payload.restart && isCoordinatorLoading(payload.error)) {
        logger.info(
          { restart: true, reason: describeFailure(payload.error) },
          'group coordinator is loading; rejoining',
        );
      } else {
        logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
      }
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
