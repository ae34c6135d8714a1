import type { Config } from '../../src/config/config';
import { defineJob } from '../../src/jobs/define-job';
import { createScheduler, type Scheduler } from '../../src/jobs/scheduler';
import { connectStore, type Store } from '../../src/store';
import { captureLogger, testConfig } from '../support/test-env';
import { waitFor } from '../support/wait-for';

let config: Config;
const stores: Store[] = [];
const schedulers: Scheduler[] = [];

/** One service instance's connection to the shared database. */
async function instanceStore(): Promise<Store> {
  const store = connectStore(config.MONGO_URL);
  stores.push(store);
  await store.ready();
  return store;
}

beforeAll(() => {
  config = testConfig();
});

afterEach(async () => {
  // A failed test must not leave timers ticking into the next one.
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));
});

afterAll(async () => {
  await stores[0]?.connection.dropDatabase();
  await Promise.all(stores.map((store) => store.close()));
});

test('two instances run each tick once, and old tick leases are deleted', async () => {
  const [a, b] = [await instanceStore(), await instanceStore()];
  const { Lease } = a.models;
  const runs: Array<{ tick: string; instance: string }> = [];
  const everySecond = defineJob<{ instance: string }>({
    name: 'every-second',
    schedule: '* * * * * *',
    async run({ instance }, { tick }) {
      runs.push({ tick: tick.toISOString(), instance });
    },
  });
  await Lease.create([
    {
      name: 'every-second@2020-01-01T00:00:00.000Z',
      owner: 'gone',
      until: new Date('2020-01-08'),
      job: 'every-second',
    },
    { name: 'other@2020-01-01T00:00:00.000Z', owner: 'gone', until: new Date('2020-01-08'), job: 'other' },
    { name: 'not-a-tick', owner: 'someone', until: new Date('2020-01-08') },
  ]);

  const { logger, records } = captureLogger('debug');
  for (const [instance, store] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const scheduler = createScheduler({
      jobs: [everySecond],
      deps: { instance },
      logger: logger.child({ instance }),
      instanceId: instance,
      models: store.models,
    });
    schedulers.push(scheduler);
    scheduler.start();
  }

  await waitFor('three ticks', () => runs.length >= 3, { timeoutMs: 10_000 });
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));

  const ticks = runs.map((run) => run.tick);
  expect(new Set(ticks).size).toBe(ticks.length);
  // Both instances fired: the loser of each tick saw the lease taken.
  expect(records.some((record) => record.msg === 'tick taken by another instance')).toBe(true);

  const leases = await Lease.find({}, { name: 1, owner: 1, _id: 0 }).sort({ name: 1 }).lean();
  expect(leases).toEqual(
    expect.arrayContaining([
      { name: 'not-a-tick', owner: 'someone' },
      { name: 'other@2020-01-01T00:00:00.000Z', owner: 'gone' },
    ]),
  );
  // Each run claimed its tick, and the claim of a past tick is gone.
  expect(leases.filter((lease) => lease.name.startsWith('every-second@'))).toEqual(
    [...runs]
      .sort((x, y) => x.tick.localeCompare(y.tick))
      .map(({ tick, instance }) => ({ name: `every-second@${tick}`, owner: instance })),
  );
});

test('a failing run is logged and the next tick runs', async () => {
  const { models } = await instanceStore();
  const failing = defineJob<object>({
    name: 'failing',
    schedule: '* * * * * *',
    async run() {
      throw new Error('store on fire');
    },
  });
  const { logger, records } = captureLogger();
  const scheduler = createScheduler({ jobs: [failing], deps: {}, logger, instanceId: 'a', models });
  schedulers.push(scheduler);
  scheduler.start();

  const failures = await waitFor(
    'two failed runs',
    () => {
      const failed = records.filter((record) => record.msg === 'job failed');
      return failed.length >= 2 && failed;
    },
    { timeoutMs: 10_000 },
  );
  expect(failures[0]).toMatchObject({ level: 50, job: 'failing', err: { message: 'store on fire' } });
  expect(failures[0]!.tick).not.toEqual(failures[1]!.tick);
});

test('a tick is skipped while the previous run goes on; stop() aborts the run and waits for it', async () => {
  const { models } = await instanceStore();
  const events: string[] = [];
  const slow = defineJob<object>({
    name: 'slow',
    schedule: '* * * * * *',
    async run(_deps, { signal }) {
      events.push('started');
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      events.push('aborted');
    },
  });
  const { logger, records } = captureLogger();
  const scheduler = createScheduler({ jobs: [slow], deps: {}, logger, instanceId: 'a', models });
  schedulers.push(scheduler);
  scheduler.start();

  await waitFor(
    'a skipped tick',
    () => records.some((record) => record.msg === 'the previous run is still going; skipping this tick'),
    { timeoutMs: 10_000 },
  );
  await scheduler.stop().then(() => events.push('stopped'));
  expect(events).toEqual(['started', 'aborted', 'stopped']);
  expect(records.filter((record) => record.msg === 'job finished')).toHaveLength(1);
});

test('stop() gives up on a run that ignores the signal after its timeout', async () => {
  const { models } = await instanceStore();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started = false;
  const stubborn = defineJob<object>({
    name: 'stubborn',
    schedule: '* * * * * *',
    async run() {
      started = true;
      await released;
    },
  });
  const { logger, records } = captureLogger();
  const scheduler = createScheduler({
    jobs: [stubborn],
    deps: {},
    logger,
    instanceId: 'a',
    models,
    stopTimeoutMs: 200,
  });
  schedulers.push(scheduler);
  scheduler.start();

  await waitFor('the run to start', () => started, { timeoutMs: 10_000 });
  await scheduler.stop();
  expect(records.find((record) => record.msg === 'scheduler stopped with jobs still running')).toMatchObject({
    jobs: ['stubborn'],
  });
  release();
});

test('a job with a bad cron expression is refused when defined', () => {
  expect(() => defineJob({ name: 'bad', schedule: '61 * * * *', run: async () => undefined })).toThrow(
    'job bad: invalid cron expression "61 * * * *"',
  );
});

test('a tick whose instance died mid-run is taken over once its lease expires', async () => {
  const { models } = await instanceStore();
  const tick = new Date(Math.floor(Date.now() / 1000) * 1000 - 5000);
  const runs: Array<{ tick: string; instance: string }> = [];
  const hourly = defineJob<{ instance: string }>({
    name: 'hourly-report',
    schedule: '0 * * * *',
    async run({ instance }, { tick: ran }) {
      runs.push({ tick: ran.toISOString(), instance });
    },
  });
  // A dead instance claimed the tick and stopped renewing; another still holds a live lease.
  await models.Lease.create([
    {
      name: `hourly-report@${tick.toISOString()}`,
      owner: 'dead',
      until: new Date(Date.now() - 1000),
      job: 'hourly-report',
      tick,
      attempt: 1,
      done: false,
    },
    {
      name: `hourly-report@${new Date(tick.getTime() - 3600_000).toISOString()}`,
      owner: 'alive',
      until: new Date(Date.now() + 60_000),
      job: 'hourly-report',
      tick: new Date(tick.getTime() - 3600_000),
      attempt: 1,
      done: false,
    },
  ]);
  const { logger, records } = captureLogger();
  for (const instance of ['a', 'b']) {
    const scheduler = createScheduler({
      jobs: [hourly],
      deps: { instance },
      logger: logger.child({ instance }),
      instanceId: instance,
      models,
      reloadMs: 200,
    });
    schedulers.push(scheduler);
    scheduler.start();
  }

  await waitFor('the takeover', () => runs.length >= 1, { timeoutMs: 10_000 });
  await waitFor(
    'the takeover to finish',
    async () => (await models.Lease.findOne({ name: `hourly-report@${tick.toISOString()}#2` }).lean())?.done === true,
  );
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));
  // Run once, by one of the two, for the dead instance's tick; the live lease was left alone.
  expect(runs).toHaveLength(1);
  expect(runs[0]!.tick).toBe(tick.toISOString());
  const leases = await models.Lease.find({ job: 'hourly-report' }).sort({ name: 1 }).lean();
  expect(leases.map(({ name, owner, done }) => ({ name, owner, done }))).toEqual([
    { name: `hourly-report@${new Date(tick.getTime() - 3600_000).toISOString()}`, owner: 'alive', done: false },
    { name: `hourly-report@${tick.toISOString()}`, owner: 'dead', done: true },
    { name: `hourly-report@${tick.toISOString()}#2`, owner: runs[0]!.instance, done: true },
  ]);
  expect(records.filter((record) => record.msg === 'took over a tick whose instance stopped mid-run')).toHaveLength(1);
});

test('dynamic jobs come, change their schedule and go without a restart', async () => {
  const { models } = await instanceStore();
  const runs: string[] = [];
  let wanted: Array<{ name: string; schedule: string }> = [{ name: 'sync:a', schedule: '* * * * * *' }];
  const { logger, records } = captureLogger();
  const scheduler = createScheduler({
    jobs: [],
    deps: {},
    logger,
    instanceId: 'a',
    models,
    reloadMs: 60_000,
    dynamic: {
      load: async () =>
        wanted.map(({ name, schedule }) =>
          defineJob<object>({ name, schedule, run: async () => void runs.push(name) }),
        ),
    },
  });
  schedulers.push(scheduler);
  scheduler.start();
  await waitFor('a run of sync:a', () => runs.includes('sync:a'), { timeoutMs: 10_000 });

  wanted = [
    { name: 'sync:a', schedule: '0 0 1 1 *' },
    { name: 'sync:b', schedule: '* * * * * *' },
  ];
  await scheduler.reload();
  const before = runs.filter((name) => name === 'sync:a').length;
  await waitFor('runs of sync:b', () => runs.filter((name) => name === 'sync:b').length >= 2, { timeoutMs: 10_000 });
  // sync:a now runs once a year: no new runs (one tick may have been under way at the reload).
  expect(runs.filter((name) => name === 'sync:a').length).toBeLessThanOrEqual(before + 1);
  expect(records.some((record) => record.msg === 'job rescheduled' && record.job === 'sync:a')).toBe(true);

  wanted = [];
  await scheduler.reload();
  expect(records.filter((record) => record.msg === 'job unscheduled').map((record) => record.job)).toEqual(
    expect.arrayContaining(['sync:a', 'sync:b']),
  );
});
