import { createProgressWatch, type LagReading } from '../../src/http/consumer-progress';

/** A lag source the test sets by hand, counting how often it is read; and a clock it moves. */
function setup({ stuckAfterMs = 120_000, sampleEveryMs = 5_000 } = {}) {
  let reading: LagReading | Error = { lag: 0, committed: { 0: '-1' } };
  let time = 1_000_000;
  let reads = 0;
  const gauge: number[] = [];
  const watch = createProgressWatch({
    name: 'recorder',
    readLag: async () => {
      reads += 1;
      if (reading instanceof Error) throw reading;
      return reading;
    },
    stuckAfterMs,
    sampleEveryMs,
    now: () => time,
    onReading: (lag) => gauge.push(lag),
  });
  return {
    watch,
    gauge,
    reads: () => reads,
    set(next: LagReading | Error) {
      reading = next;
    },
    advance(ms: number) {
      time += ms;
    },
  };
}

const at = (lag: number, ...offsets: string[]): LagReading => ({
  lag,
  committed: Object.fromEntries(offsets.map((offset, partition) => [partition, offset])),
});

describe('telling a stuck consumer group from an idle or busy one', () => {
  it('an idle group (lag 0) is ok however long nothing is committed', async () => {
    const t = setup();
    t.set(at(0, '10', '7'));
    expect(await t.watch.check()).toBe(true);
    t.advance(10 * 60_000);
    expect(await t.watch.check()).toBe(true);
    expect(t.gauge).toEqual([0, 0]);
  });

  it('a group that is behind but committing is ok; one whose commits stop moving is stuck', async () => {
    const t = setup();
    t.set(at(500, '10', '7'));
    expect(await t.watch.check()).toBe(true);
    for (let step = 1; step <= 5; step += 1) {
      t.advance(60_000);
      t.set(at(500 - step * 50, String(10 + step * 50), '7'));
      expect(await t.watch.check()).toBe(true);
    }
    // The commits stop at offset 260; new events keep arriving.
    t.advance(60_000);
    t.set(at(260, '260', '7'));
    expect(await t.watch.check()).toBe(true);
    t.advance(60_000);
    expect(await t.watch.check()).toBe(true);
    t.advance(5_000);
    expect(await t.watch.check()).toEqual({ problem: 'stuck: lag 260, no progress for 125s' });
    // It moves again: ok at once.
    t.advance(10_000);
    t.set(at(100, '420', '7'));
    expect(await t.watch.check()).toBe(true);
  });

  it('is never stuck on its first reading, and counts from that reading', async () => {
    const t = setup();
    t.set(at(40, '3'));
    expect(await t.watch.check()).toBe(true);
    t.advance(120_000);
    expect(await t.watch.check()).toBe(true);
    t.advance(5_000);
    expect(await t.watch.check()).toEqual({ problem: 'stuck: lag 40, no progress for 125s' });
  });

  it('catching up to lag 0 counts as progress even when the offsets are unchanged', async () => {
    const t = setup();
    t.set(at(5, '3'));
    await t.watch.check();
    t.advance(100_000);
    t.set(at(0, '3'));
    expect(await t.watch.check()).toBe(true);
    t.advance(100_000);
    t.set(at(2, '3'));
    expect(await t.watch.check()).toBe(true);
    t.advance(21_000);
    expect(await t.watch.check()).toEqual({ problem: 'stuck: lag 2, no progress for 121s' });
  });

  it('reads the lag at most once per sampling interval, sharing a reading in flight', async () => {
    const t = setup({ sampleEveryMs: 5_000 });
    t.set(at(0, '1'));
    await Promise.all([t.watch.check(), t.watch.check(), t.watch.check()]);
    expect(t.reads()).toBe(1);
    t.advance(4_999);
    await t.watch.check();
    expect(t.reads()).toBe(1);
    t.advance(1);
    await t.watch.check();
    expect(t.reads()).toBe(2);
  });

  it('says the lag is unknown when it cannot be read, and keeps what it knew', async () => {
    const t = setup();
    t.set(at(9, '1'));
    await t.watch.check();
    t.advance(60_000);
    t.set(new Error('Connection error: ECONNREFUSED'));
    expect(await t.watch.check()).toEqual({ problem: 'lag unknown: Connection error: ECONNREFUSED' });
    t.advance(61_000);
    t.set(at(9, '1'));
    expect(await t.watch.check()).toEqual({ problem: 'stuck: lag 9, no progress for 121s' });
  });
});
