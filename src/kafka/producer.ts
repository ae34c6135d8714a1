import { Partitioners, type IHeaders, type Kafka, type Producer } from 'kafkajs';
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

export function createEventProducer(kafka: Kafka, naming: Naming): EventProducer {
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

  const send = async (topic: TopicId, messages: OutgoingMessage[]) => {
    if (messages.length === 0) return;
    await connect();
    // acks -1: a write counts only once every in-sync replica has it.
    await producer.send({ topic: naming.topic(topic), acks: -1, messages });
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
      connecting = undefined;
      await producer.disconnect();
    },
  };
}
