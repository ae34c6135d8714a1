import {
  Partitioners,
  type IHeaders,
  type Kafka,
  type Producer,
  type ProducerRecord,
  type RecordMetadata,
} from 'kafkajs';
import type { Naming, TopicId } from './topics';

export interface OutgoingMessage {
  key: string;
  value: Buffer | string;
  headers?: IHeaders;
}

/** The service's one producer; every topic is addressed by its id, never by a literal name. */
export interface EventProducer {
  connect(): Promise<void>;
  send(topic: TopicId, messages: OutgoingMessage[]): Promise<void>;
  /** Serialises each value as JSON; the common case for events and commands. */
  sendJson(topic: TopicId, messages: Array<{ key: string; value: unknown; headers?: IHeaders }>): Promise<void>;
  disconnect(): Promise<void>;
}

/** One produce request to the broker: kafkajs's `producer.send`. */
export type SendRecord = (record: ProducerRecord) => Promise<RecordMetadata[]>;

export interface EventProducerOptions {
  /**
   * How long a send waits for others to the same topic to share its produce request, in ms; 0
   * (the default) sends each call on its own. Every caller still resolves only once the broker
   * acknowledged the request that carried its messages.
   */
  lingerMs?: number;
  /** A shared request is sent at once when it holds this many messages (default 500)… */
  maxBatchMessages?: number;
  /** …or this many bytes of keys, values and headers (default 900 KiB, under the broker's 1 MiB). */
  maxBatchBytes?: number;
  /** Wraps each produce request, e.g. to count them in a test; gets the record and kafkajs's send. */
  wrapSend?: (record: ProducerRecord, send: SendRecord) => Promise<RecordMetadata[]>;
}

const DEFAULT_MAX_BATCH_MESSAGES = 500;
const DEFAULT_MAX_BATCH_BYTES = 900 * 1024;

/** Roughly what a message weighs in a produce request. */
function sizeOf({ key, value, headers }: OutgoingMessage): number {
  let bytes = Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : value.length);
  for (const [name, header] of Object.entries(headers ?? {})) {
    bytes += Buffer.byteLength(name);
    for (const part of Array.isArray(header) ? header : [header]) {
      if (part !== undefined) bytes += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
    }
  }
  return bytes;
}

/** Messages of several callers waiting to go out in one produce request. */
interface Pending {
  messages: OutgoingMessage[];
  bytes: number;
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
  timer: NodeJS.Timeout;
}

export function createEventProducer(kafka: Kafka, naming: Naming, options: EventProducerOptions = {}): EventProducer {
  const lingerMs = options.lingerMs ?? 0;
  const maxMessages = options.maxBatchMessages ?? DEFAULT_MAX_BATCH_MESSAGES;
  const maxBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  // Several callers share this producer; connect once, even when they race at start.
  const producer: Producer = kafka.producer({
    allowAutoTopicCreation: false,
    // The Java client's partitioner: a key lands on the same partition whichever client produced it.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let connecting: Promise<void> | undefined;
  const connect = () =>
    (connecting ??= producer.connect().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    }));

  const kafkaSend: SendRecord = (record) => producer.send(record);
  const produce = async (topic: TopicId, messages: OutgoingMessage[]) => {
    await connect();
    // acks -1: a write counts only once every in-sync replica has it.
    const record: ProducerRecord = { topic: naming.topic(topic), acks: -1, messages };
    await (options.wrapSend ? options.wrapSend(record, kafkaSend) : kafkaSend(record));
  };

  const pending = new Map<TopicId, Pending>();
  const inFlight = new Set<Promise<void>>();

  /** Sends what waits for `topic` as one request and settles every caller in it with its outcome. */
  const flush = (topic: TopicId) => {
    const batch = pending.get(topic);
    if (!batch) return;
    pending.delete(topic);
    clearTimeout(batch.timer);
    const sending = produce(topic, batch.messages).then(
      () => batch.waiters.forEach(({ resolve }) => resolve()),
      (error: unknown) => batch.waiters.forEach(({ reject }) => reject(error)),
    );
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
  };

  const send = async (topic: TopicId, messages: OutgoingMessage[]) => {
    if (messages.length === 0) return;
    if (lingerMs <= 0) return produce(topic, messages);
    const bytes = messages.reduce((total, message) => total + sizeOf(message), 0);
    const waiting = pending.get(topic);
    // Whatever waits goes out first, so that messages keep the order in which they were sent.
    if (waiting && (waiting.messages.length + messages.length > maxMessages || waiting.bytes + bytes > maxBytes)) {
      flush(topic);
    }
    if (messages.length >= maxMessages || bytes >= maxBytes) {
      // Full on its own: one request of its own, as without linger (never split: one caller, one request).
      return produce(topic, messages);
    }
    return new Promise<void>((resolve, reject) => {
      const batch = pending.get(topic) ?? {
        messages: [],
        bytes: 0,
        waiters: [],
        timer: setTimeout(() => flush(topic), lingerMs),
      };
      pending.set(topic, batch);
      batch.messages.push(...messages);
      batch.bytes += bytes;
      batch.waiters.push({ resolve, reject });
      if (batch.messages.length >= maxMessages || batch.bytes >= maxBytes) flush(topic);
    });
  };

  return {
    connect,
    send,
    sendJson: (topic, messages) =>
      send(
        topic,
        messages.map(({ key, value, headers }) => ({ key, value: JSON.stringify(value), headers })),
      ),
    disconnect: async () => {
      // Messages still lingering are sent, and their callers answered, before the connection closes.
      for (const topic of [...pending.keys()]) flush(topic);
      await Promise.allSettled([...inFlight]);
      connecting = undefined;
      await producer.disconnect();
    },
  };
}
