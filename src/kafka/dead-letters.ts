import { randomBytes } from 'node:crypto';
import { Partitioners, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { deadLetterGroupKey, type AlertEvent } from '../domain/alerts';
import type { ReplayRecord, ReplayStore } from '../store/dead-letter-replays';
import { DEAD_LETTER_HEADERS } from './consumer-runner';
import { originOf, subjectOf } from './dead-letter-subject';
import { TOPICS, type Naming, type TopicId } from './topics';

/**
 * Reading, replaying and purging the dead-letter topic (iex.dlq.v1): what `npm run dlq` does, kept
 * here so that an admin API can do the same. A dead letter's id is where it is on the dead-letter
 * topic, `<partition>:<offset>`: stable, printable, and never given to another message.
 */

/** Headers a replayed message carries besides its original ones. */
export const REPLAY_HEADERS = {
  /** The id of the dead letter it was replayed from. */
  of: 'x-iex-replay-of',
  at: 'x-iex-replayed-at',
} as const;

export interface DeadLetter {
  /** `<partition>:<offset>` on the dead-letter topic. */
  id: string;
  partition: number;
  offset: string;
  /** When it was dead-lettered. */
  at: Date;
  reason: string;
  /** Where it was read: topic (namespaced), partition and offset; absent if its headers do not say. */
  topic?: string;
  origin?: { partition: number; offset: string };
  /** The consumer group (namespaced) that gave up on it. */
  group?: string;
  /** Its original key; null when it had none (the dead-letter topic's key was made up). */
  key: string | null;
  tenantId?: string;
  transferId?: string;
  reference?: string;
  /** Every header as it is on the dead-letter topic, the original ones and the runner's. */
  headers: Array<[string, Buffer]>;
  value: Buffer | null;
  /** Its replay, if it was replayed or a replay was begun. */
  replay?: Pick<ReplayRecord, 'state' | 'by' | 'claimedAt' | 'replayedAt'>;
}

export interface DeadLetterFilter {
  /** Consumer group, with or without the namespace prefix. */
  group?: string;
  tenant?: string;
  /** Dead-lettered at or after. */
  since?: Date;
}

export type ReplayOutcome =
  | { status: 'replayed'; letter: DeadLetter; topic: string; alerted: boolean }
  /** Replayed before: a dead letter is replayed once. */
  | { status: 'already_replayed'; letter: DeadLetter; record: ReplayRecord }
  /** A replay was begun and never confirmed (interrupted): `--resume` finishes it. */
  | { status: 'unconfirmed'; letter: DeadLetter; record: ReplayRecord }
  /** It cannot go back: its headers name no topic of this service. */
  | { status: 'not_replayable'; letter: DeadLetter; why: string };

export interface PurgeResult {
  partitions: Array<{ partition: number; from: string; to: string; removed: number }>;
  removed: number;
  /** Replay records of purged dead letters, deleted with them. */
  prunedReplays: number;
}

/** A problem with what was asked (a bad id, an unknown dead letter), for the person who asked. */
export class DeadLetterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadLetterError';
  }
}

export interface DeadLettersDeps {
  kafka: Kafka;
  naming: Naming;
  replays: ReplayStore;
  /** Whether a tenant exists: a replay tells the notifier only about tenants it knows. */
  tenantExists(tenantId: string): Promise<boolean>;
  /** How long one read of the topic may take before it gives up (default 60 s). */
  readTimeoutMs?: number;
  clock?: () => Date;
}

const ID = /^(\d{1,9}):(\d{1,19})$/;

export function parseDeadLetterId(id: string): { partition: number; offset: string } {
  const match = ID.exec(id.trim());
  if (!match) throw new DeadLetterError(`'${id}' is not a dead letter id: ids look like 0:17 (partition:offset)`);
  return { partition: Number(match[1]), offset: BigInt(match[2]!).toString() };
}

function headerList(headers: IHeaders | undefined): Array<[string, Buffer]> {
  const list: Array<[string, Buffer]> = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const part of Array.isArray(value) ? value : [value]) {
      if (part !== undefined) list.push([name, Buffer.isBuffer(part) ? part : Buffer.from(String(part))]);
    }
  }
  return list;
}

const RUNNER_HEADERS = new Set<string>(Object.values(DEAD_LETTER_HEADERS));

/** A message of the dead-letter topic as a DeadLetter, from the headers the consumer runner put on it. */
export function decodeDeadLetter(partition: number, message: KafkaMessage): DeadLetter {
  const headers = headerList(message.headers);
  const header = (name: string) => {
    const found = headers.filter(([key]) => key === name);
    return found.length > 0 ? found[found.length - 1]![1].toString('utf8') : undefined;
  };
  const topic = header(DEAD_LETTER_HEADERS.topic);
  const originPartition = header(DEAD_LETTER_HEADERS.partition);
  const originOffset = header(DEAD_LETTER_HEADERS.offset);
  const origin =
    originPartition !== undefined && /^\d+$/.test(originPartition) && originOffset !== undefined
      ? { partition: Number(originPartition), offset: originOffset }
      : undefined;
  const stamped = Date.parse(header(DEAD_LETTER_HEADERS.at) ?? '');
  const dlqKey = message.key?.toString('utf8') ?? null;
  // The runner keys a message that had no key by where it was read.
  const key = topic && origin && dlqKey === `${topic}:${origin.partition}:${origin.offset}` ? null : dlqKey;
  const group = header(DEAD_LETTER_HEADERS.group);
  return {
    id: `${partition}:${message.offset}`,
    partition,
    offset: message.offset,
    at: new Date(Number.isFinite(stamped) ? stamped : Number(message.timestamp)),
    reason: header(DEAD_LETTER_HEADERS.reason) ?? '(no reason given)',
    ...(topic ? { topic } : {}),
    ...(origin ? { origin } : {}),
    ...(group ? { group } : {}),
    key,
    ...subjectOf(key, message.value),
    headers,
    value: message.value,
  };
}

/**
 * The dead-letter topic of one namespace: list, show, replay (once) and purge. Each read goes
 * through a throwaway consumer group that commits nothing and is deleted afterwards.
 */
export function createDeadLetters(deps: DeadLettersDeps) {
  const { kafka, naming, replays } = deps;
  const dlqTopic = naming.topic('deadLetter');
  const clock = deps.clock ?? (() => new Date());
  const readTimeoutMs = deps.readTimeoutMs ?? 60_000;
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  let producer: Producer | undefined;
  /** Connects once, and says plainly when there is no dead-letter topic (kafkajs would retry for long). */
  const ready = async () => {
    await (connected ??= admin.connect());
    if (!(await admin.listTopics()).includes(dlqTopic)) {
      throw new DeadLetterError(
        `there is no topic ${dlqTopic}: the service creates it when it starts; is KAFKA_NAMESPACE the service's?`,
      );
    }
  };

  /** Reads [from, to) of each partition given; `to` is exclusive (a high watermark). */
  async function readRange(ranges: Map<number, { from: bigint; to: bigint }>): Promise<DeadLetter[]> {
    const wanted = new Map([...ranges].filter(([, { from, to }]) => from < to));
    if (wanted.size === 0) return [];
    const groupId = `${naming.group('iex.dlq-reader')}-${randomBytes(6).toString('hex')}`;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
    const letters: DeadLetter[] = [];
    const left = new Set(wanted.keys());
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const range = wanted.get(batch.partition);
          if (!range) return;
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset >= range.from && offset < range.to) letters.push(decodeDeadLetter(batch.partition, message));
            if (offset >= range.to - 1n) left.delete(batch.partition);
          }
          if (left.size === 0) finish();
        },
      });
      const others = (await admin.fetchTopicOffsets(dlqTopic))
        .map(({ partition }) => partition)
        .filter((partition) => !wanted.has(partition));
      if (others.length > 0) consumer.pause([{ topic: dlqTopic, partitions: others }]);
      for (const [partition, { from }] of wanted)
        consumer.seek({ topic: dlqTopic, partition, offset: from.toString() });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`reading ${dlqTopic} took longer than ${readTimeoutMs} ms`)),
          readTimeoutMs,
        );
      });
      try {
        await Promise.race([done, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return letters.sort((a, b) => a.at.getTime() - b.at.getTime() || a.partition - b.partition);
  }

  async function withReplays(letters: DeadLetter[]): Promise<DeadLetter[]> {
    const records = await replays.read(
      letters.map((letter) => replays.idOf(dlqTopic, letter.partition, letter.offset)),
    );
    return letters.map((letter) => {
      const record = records.get(replays.idOf(dlqTopic, letter.partition, letter.offset));
      if (!record) return letter;
      const { state, by, claimedAt, replayedAt } = record;
      return { ...letter, replay: { state, by, claimedAt, ...(replayedAt ? { replayedAt } : {}) } };
    });
  }

  const matches = (filter: DeadLetterFilter) => (letter: DeadLetter) =>
    (!filter.group || letter.group === filter.group || letter.group === naming.group(filter.group)) &&
    (!filter.tenant || letter.tenantId === filter.tenant) &&
    (!filter.since || letter.at.getTime() >= filter.since.getTime());

  /** The dead letters that match, oldest first, with their replays. */
  async function list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    await ready();
    const ends = await admin.fetchTopicOffsets(dlqTopic);
    // A message is stamped when it is dead-lettered: the broker finds the first at or after `since`.
    const starts = filter.since ? await admin.fetchTopicOffsetsByTimestamp(dlqTopic, filter.since.getTime()) : [];
    const ranges = new Map(
      ends.map(({ partition, low, high }) => {
        const byTime = starts.find((start) => start.partition === partition)?.offset;
        const from = byTime !== undefined && BigInt(byTime) > BigInt(low) ? BigInt(byTime) : BigInt(low);
        return [partition, { from, to: BigInt(high) }];
      }),
    );
    return withReplays((await readRange(ranges)).filter(matches(filter)));
  }

  /** One dead letter by id; a DeadLetterError when the topic does not hold it. */
  async function get(id: string): Promise<DeadLetter> {
    const { partition, offset } = parseDeadLetterId(id);
    await ready();
    const ends = await admin.fetchTopicOffsets(dlqTopic);
    const range = ends.find((end) => end.partition === partition);
    const at = BigInt(offset);
    if (!range) {
      throw new DeadLetterError(`there is no dead letter ${id}: ${dlqTopic} has partitions 0 to ${ends.length - 1}`);
    }
    if (at < BigInt(range.low) || at >= BigInt(range.high)) {
      const held =
        BigInt(range.low) < BigInt(range.high)
          ? `holds ${partition}:${range.low} to ${partition}:${BigInt(range.high) - 1n}`
          : 'is empty';
      throw new DeadLetterError(`there is no dead letter ${id}: partition ${partition} of ${dlqTopic} ${held}`);
    }
    const [letter] = await withReplays(await readRange(new Map([[partition, { from: at, to: at + 1n }]])));
    if (!letter) throw new DeadLetterError(`there is no dead letter ${id}`);
    return letter;
  }

  /** The service's topic a dead letter came from, by its id; never the dead-letter topic itself. */
  const topicIdOf = (topic: string | undefined): TopicId | undefined =>
    (Object.keys(TOPICS) as TopicId[]).find((id) => id !== 'deadLetter' && naming.topic(id) === topic);

  async function produce(message: { topic: string; key: string | null; value: Buffer | null; headers: IHeaders }) {
    if (!producer) {
      producer = kafka.producer({
        allowAutoTopicCreation: false,
        // As the service's producer: the same key lands on the same partition as the original.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
    }
    await producer.send({ topic: message.topic, acks: -1, messages: [message] });
  }

  /**
   * Puts a dead letter back on its original topic with its original key and headers, plus
   * `x-iex-replay-of: <id>`, once. The replay record (`_id` = the dead letter's place) is inserted
   * before the message is produced: a second replay, here or anywhere, finds it and is refused.
   * A crash between the insert and the broker's acknowledgement leaves the record `pending`; such a
   * replay is refused as unconfirmed until `resume` finishes it (consumers are idempotent by event
   * id, so a message that did arrive and is sent again changes nothing). Then the tenant's
   * dead-letter alert is told (`pipeline.replayed`), which resolves it when all are replayed.
   */
  async function replayLetter(letter: DeadLetter, by: string, resume = false): Promise<ReplayOutcome> {
    const target = topicIdOf(letter.topic);
    if (!target || !letter.topic) {
      return {
        status: 'not_replayable',
        letter,
        why: letter.topic
          ? `it came from ${letter.topic}, which is not one of this service's topics here (such as ${naming.topic('transfers')}): check KAFKA_NAMESPACE`
          : 'its headers do not say which topic it came from',
      };
    }
    const recordId = replays.idOf(dlqTopic, letter.partition, letter.offset);
    const claim = await replays.claim({
      _id: recordId,
      dlqTopic,
      deadLetterId: letter.id,
      partition: letter.partition,
      offset: letter.offset,
      topic: letter.topic,
      ...(letter.tenantId ? { tenantId: letter.tenantId } : {}),
      ...(letter.group ? { group: letter.group } : {}),
      by,
      claimedAt: clock(),
    });
    if (!claim.claimed) {
      const { existing } = claim;
      if (existing.state === 'replayed') return { status: 'already_replayed', letter, record: existing };
      if (!resume) return { status: 'unconfirmed', letter, record: existing };
    }

    const replayedAt = clock();
    const headers: IHeaders = {};
    for (const [name, value] of letter.headers) {
      if (RUNNER_HEADERS.has(name) || name === REPLAY_HEADERS.of || name === REPLAY_HEADERS.at) continue;
      const before = headers[name];
      headers[name] =
        before === undefined ? value : ([...(Array.isArray(before) ? before : [before]), value] as Buffer[]);
    }
    headers[REPLAY_HEADERS.of] = letter.id;
    headers[REPLAY_HEADERS.at] = replayedAt.toISOString();
    await produce({ topic: letter.topic, key: letter.key, value: letter.value, headers });
    await replays.confirm(recordId, replayedAt);

    let alerted = false;
    if (letter.tenantId && letter.group && letter.origin && (await deps.tenantExists(letter.tenantId))) {
      const origin = originOf(letter.topic, letter.origin.partition, letter.origin.offset);
      const alert: AlertEvent = {
        kind: 'pipeline.replayed',
        id: `replay:${recordId}`,
        tenantId: letter.tenantId,
        groupKey: deadLetterGroupKey(letter.tenantId, letter.group),
        occurredAt: replayedAt.toISOString(),
        origin,
        topic: letter.topic,
        group: letter.group,
        deadLetterId: letter.id,
      };
      await produce({
        topic: naming.topic('alerts'),
        key: letter.tenantId,
        value: Buffer.from(JSON.stringify(alert)),
        headers: {},
      });
      alerted = true;
    }
    return { status: 'replayed', letter, topic: letter.topic, alerted };
  }

  return {
    dlqTopic,
    list,
    get,

    /** Replays one dead letter (see `replayLetter`); `resume` finishes an unconfirmed replay. */
    async replay(id: string, options: { by: string; resume?: boolean }): Promise<ReplayOutcome> {
      return replayLetter(await get(id), options.by, options.resume);
    },

    /**
     * Replays every dead letter that matches and was not replayed, oldest first; those replayed
     * before (or begun) come back as refused, untouched.
     */
    async replayAll(filter: DeadLetterFilter, options: { by: string }): Promise<ReplayOutcome[]> {
      const outcomes: ReplayOutcome[] = [];
      for (const letter of await list(filter)) outcomes.push(await replayLetter(letter, options.by));
      return outcomes;
    },

    /**
     * Removes the dead letters dead-lettered before `before`. A topic is append-only: this deletes
     * each partition's records below the first one stamped at or after `before` (the broker's
     * DeleteRecords), so a later one stamped earlier (clocks apart) keeps what precedes it.
     */
    async purge(before: Date): Promise<PurgeResult> {
      await ready();
      const [cuts, ends] = await Promise.all([
        admin.fetchTopicOffsetsByTimestamp(dlqTopic, before.getTime()),
        admin.fetchTopicOffsets(dlqTopic),
      ]);
      const partitions: PurgeResult['partitions'] = [];
      const firstOffsets = new Map<number, bigint>();
      for (const { partition, low } of ends) {
        const cut = cuts.find((entry) => entry.partition === partition)?.offset;
        const to = cut !== undefined && BigInt(cut) > BigInt(low) ? BigInt(cut) : BigInt(low);
        firstOffsets.set(partition, to);
        if (to > BigInt(low))
          partitions.push({ partition, from: low, to: to.toString(), removed: Number(to - BigInt(low)) });
      }
      if (partitions.length > 0) {
        await admin.deleteTopicRecords({
          topic: dlqTopic,
          partitions: partitions.map(({ partition, to }) => ({ partition, offset: to })),
        });
      }
      const prunedReplays = await replays.prune(dlqTopic, firstOffsets);
      return { partitions, removed: partitions.reduce((sum, { removed }) => sum + removed, 0), prunedReplays };
    },

    async close(): Promise<void> {
      await producer?.disconnect().catch(() => undefined);
      if (connected) await admin.disconnect().catch(() => undefined);
    },
  };
}

export type DeadLetters = ReturnType<typeof createDeadLetters>;
