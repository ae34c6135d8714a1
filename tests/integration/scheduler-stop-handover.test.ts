import { defineJob } from '../../src/jobs/define-job';
import { createScheduler, type Scheduler } from '../../src/jobs/scheduler';
import { tickLeaseName } from '../../src/jobs/tick-lease';
import { captureLogger } from '../support/test-env';
import { useTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const store = useTestStore('scheduler_stop');
const schedulers: Scheduler[] = [];

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop(1000)));
});

test('a stopping instance aborts its running job, says so, and hands the tick over: another instance runs it at once', async () => {
  const { models } = store();
  const started: Array<{ instance: string; tick: string }> = [];
  const finished: Array<{ instance: string; tick: string; aborted: boolean }> = [];
  // A long job on instance a, which stops when asked (its signal); instant on instance b.
  const job = defineJob<{ instance: string }>({
    name: 'long-report',
    schedule: '* * * * * *',
    async run({ instance }, { tick, signal }) {
      started.push({ instance, tick: tick.toISOString() });
      if (instance === 'a') {
        await new Promise<void>((resolve) => {
          if (signal.aborted) return resolve();
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      finished.push({ instance, tick: tick.toISOString(), aborted: signal.aborted });
    },
  });
  const { logger } = captureLogger();
  const make = (instance: string) => {
    const scheduler = createScheduler({
      jobs: [job],
      deps: { instance },
      logger: logger.child({ instance }),
      instanceId: instance,
      models,
      reloadMs: 200,
      leaseMs: 60_000,
    });
    schedulers.push(scheduler);
    return scheduler;
  };

  const a = make('a');
  a.start();
  const [first] = await waitFor('a to run a tick', () => (started.length > 0 ? started : undefined), {
    timeoutMs: 10_000,
  });
  const stopped = await a.stop(2000);
  expect(stopped).toEqual({ interrupted: ['long-report'], stillRunning: [] });
  expect(finished).toEqual([{ instance: 'a', tick: first!.tick, aborted: true }]);
  // Handed over: not done, and its claim ran out now rather than a lease from now.
  const claim = await models.Lease.findOne({ _id: tickLeaseName('long-report', new Date(first!.tick)) }).lean();
  expect(claim).toMatchObject({ owner: 'a', done: false });
  expect(claim!.until.getTime()).toBeLessThanOrEqual(Date.now());

  make('b').start();
  await waitFor(
    'b to take the tick over',
    () => finished.find((run) => run.instance === 'b' && run.tick === first!.tick),
    { timeoutMs: 10_000 },
  );
  await waitFor(
    'the takeover to finish',
    async () =>
      (await models.Lease.findOne({ _id: tickLeaseName('long-report', new Date(first!.tick), 2) }).lean())?.done ===
      true,
  );
});
