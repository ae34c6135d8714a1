import { DEFAULT_TIMEZONE } from '../src/domain/closed-lists';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { groupProgress, waitUntilCaughtUp } from '../bench/kafka-progress';
import { createNaming } from '../src/kafka/topics';
import { connectStore, type Store } from '../src/store';
import { serviceInstance, type Instance } from './instances';
import { newTally, sendEvents, type SendTally } from './sender';
import { chaosServices, freshDataDir } from './services';
import { verdictOf, type Verdict } from './tally';
import { makeWorkload } from './workload';
import { setTimeout as delay } from 'node:timers/promises';

export interface ChaosOptions {
  transfers: number;
  /** How long the store is stopped, in seconds. */
  storeOutageSeconds: number;
  concurrency: number;
  seed: number;
  dataDir: string;
  kafkaPort: number;
  mongoPort: number;
  firstHttpPort: number;
  /** Minutes the whole run may take before it gives up. */
  deadlineMinutes: number;
}

export interface ChaosReport {
  transfers: number;
  sends: number;
  tally: SendTally;
  verdict: Verdict;
  deadLetters: number;
  faults: string[];
  settledSeconds: number;
  logs: string;
}

const RECORDER_GROUP = 'iex.transfer-recorder';
const say = (message: string) => process.stderr.write(`[chaos] ${message}\n`);

/** Resolves once `count()` reaches `target`; the faults hit while events are in flight. */
async function reached(count: () => number, target: number, deadline: number): Promise<void> {
  while (count() < target) {
    if (Date.now() > deadline) throw new Error('sending did not reach the point of the next fault in time');
    await delay(50);
  }
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const deadline = Date.now() + options.deadlineMinutes * 60_000;
  const logs = path.join(options.dataDir, 'logs');
  freshDataDir(options.dataDir);
  const services = chaosServices(options);
  const instances: Instance[] = [];
  let store: Store | undefined;
  try {
    say(`starting a broker and a store of its own (data in ${options.dataDir})`);
    await services.up();
    store = connectStore(services.mongoUrl);
    await store.ready();

    const runId = randomBytes(3).toString('hex');
    const tenant = { tenantId: `chaos-${runId}`, secret: randomBytes(32).toString('hex') };
    const workload = makeWorkload(tenant.tenantId, runId, options.transfers, options.seed);
    await store.models.Tenant.create({ tenantId: tenant.tenantId, name: 'Chaos shop', webhookSecret: tenant.secret });
    // An allowance no run reaches: holds for quota would be right, but are not what this run counts.
    await store.models.Subscription.create({
      tenantId: tenant.tenantId,
      plan: 'standard',
      includedOrders: 10 * workload.events.size,
      periodStart: new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)),
    });

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: services.brokers,
      MONGO_URL: services.mongoUrl,
      KAFKA_NAMESPACE: '',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      DEMO_SEED: 'false',
      NODE_ENV: 'production',
    };
    for (const [index, name] of ['a', 'b'].entries()) {
      instances.push(serviceInstance({ name, port: options.firstHttpPort + index, env, logDir: logs }));
    }
    say('starting two instances of the service');
    for (const instance of instances) await instance.start();
    const [a, b] = instances as [Instance, Instance];

    // One message no engine could have sent through the edge, written by a broken producer: it must
    // end on the dead-letter topic, alone, without holding up its partition.
    const naming = createNaming('');
    const kafka = new Kafka({ clientId: 'iex-chaos', brokers: [services.brokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: naming.topic('transfers'),
      messages: [{ key: `${tenant.tenantId}:poison`, value: '{"id":"poison","type":"transfer.started",' }],
    });
    await producer.disconnect();

    const tally = newTally();
    const sends = workload.sends;
    const at = (fraction: number) => Math.floor(sends.length * fraction);
    const progress = () => tally.acceptedRequests + tally.refused.length;
    const faults: string[] = [];
    say(`sending ${workload.events.size} events of ${options.transfers} transfers in ${sends.length} requests`);
    // Each fault begins when the requests before its point are answered; the next `window`
    // requests are in flight as it begins, and those after them wait for it: so every fault hits
    // events in flight and events sent during it, however fast the machine.
    const points = [0.2, 0.45, 0.7].map(at);
    const window = 2 * options.concurrency;
    const begun = points.map(() => {
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { opened, open };
    });
    const sending = sendEvents({
      ids: sends,
      events: workload.events,
      tenantId: tenant.tenantId,
      secret: tenant.secret,
      instances,
      concurrency: options.concurrency,
      tally,
      giveUpAt: deadline,
      before: async (index) => {
        for (const [fault, point] of points.entries()) if (index >= point + window) await begun[fault]!.opened;
      },
    });
    const fault = async (index: number, name: string, inject: () => Promise<void>, recover: () => Promise<void>) => {
      await reached(progress, points[index]!, deadline);
      say(name);
      await inject();
      begun[index]!.open();
      await recover();
      faults.push(name);
    };
    const injecting = (async () => {
      await fault(
        0,
        'instance b killed (SIGKILL) and restarted',
        () => b.kill(),
        async () => {
          await delay(2_000);
          await b.start();
        },
      );
      await fault(
        1,
        'broker restarted',
        () => services.down('kafka'),
        () => services.up('kafka'),
      );
      await fault(
        2,
        `store stopped for ${options.storeOutageSeconds} s`,
        () => services.down('mongo'),
        async () => {
          // The outage itself is the fault: a fixed length of time, not a wait for some state.
          await delay(options.storeOutageSeconds * 1000);
          await services.up('mongo');
        },
      );
    })();
    await Promise.all([sending, injecting]);
    say(`all ${tally.accepted.size} events accepted and every fault over; waiting for the recorder to settle`);

    const settling = Date.now();
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitUntilCaughtUp(() => groupProgress(admin, naming.group(RECORDER_GROUP), naming.topic('transfers')), {
        stallMs: 120_000,
        deadlineMs: performance.now() + Math.max(0, deadline - Date.now()),
      });
      const settledSeconds = (Date.now() - settling) / 1000;
      const deadLetters = (await admin.fetchTopicOffsets(naming.topic('deadLetter'))).reduce(
        (total, partition) => total + Number(partition.high) - Number(partition.low),
        0,
      );
      const tenantZone = (await store.models.Tenant.findOne({ tenantId: tenant.tenantId }).lean())?.timezone;
      const verdict = await verdictOf(
        store.models,
        tenant.tenantId,
        tenantZone ?? DEFAULT_TIMEZONE,
        tally.accepted,
        workload.events,
      );
      return {
        transfers: options.transfers,
        sends: sends.length,
        tally,
        verdict,
        deadLetters,
        faults,
        settledSeconds,
        logs,
      };
    } finally {
      await admin.disconnect();
    }
  } finally {
    await Promise.all(instances.map((instance) => instance.stop().catch(() => undefined)));
    await store?.close().catch(() => undefined);
    await services.down().catch(() => undefined);
  }
}
