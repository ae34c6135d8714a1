import { randomBytes } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { transferKey } from '../../src/domain/events';
import { DEAD_LETTER_HEADERS } from '../../src/kafka/consumer-runner';
import { createDeadLetters, REPLAY_HEADERS, type DeadLetter, type DeadLetters } from '../../src/kafka/dead-letters';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createReplayStore } from '../../src/store/dead-letter-replays';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api';
import { createTestTenant } from '../fixtures/tenants';
import { transferEvent } from '../fixtures/transfer-events';
import { readTopic } from '../support/kafka';
import { runScript } from '../support/scripts';
import { startTestApp, type RunningApp } from '../support/running-app';
import { waitFor } from '../support/wait-for';

const RECORDER = 'iex.transfer-recorder';

/**
 * Dead letters end to end on the real broker and store: a poison transfer event lands on the
 * dead-letter topic, its tenant's channel gets one `pipeline.dead_letter` alert, and an operator
 * lists, shows, replays (once) and purges dead letters through src/kafka/dead-letters.ts and
 * through `npm run dlq` (scripts/dlq.ts) as a child process.
 */
describe('dead letters you can act on', () => {
  let slack: FakeSlackApi;
  let running: RunningApp;
  let producer: EventProducer;
  let dlq: DeadLetters;
  let tenantId: string;
  let channel: string;
  /** A field of the poison's payload that must never reach chat. */
  const secret = `shpat_${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    running = await startTestApp({
      SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
      SLACK_BOT_TOKEN: `xoxb-test-${randomBytes(8).toString('hex')}`,
      SLACK_API_URL: slack.url,
      JOBS_ENABLED: 'false',
    });
    ({ tenantId } = await createTestTenant(running.store.models));
    channel = `C${randomBytes(5).toString('hex').toUpperCase()}`;
    await running.store.models.NotificationRule.create({
      tenantId,
      trigger: 'transfer.failed',
      recipient: { kind: 'slack', target: channel },
    });
    producer = createEventProducer(running.kafka, running.naming);
    dlq = createDeadLetters({
      kafka: running.kafka,
      naming: running.naming,
      replays: createReplayStore(running.store.connection),
      tenantExists: async (id) => (await running.store.models.Tenant.exists({ tenantId: id })) !== null,
    });
  });

  afterAll(async () => {
    await dlq?.close();
    await producer?.disconnect();
    await running?.stop();
    await slack?.stop();
  });

  /** `npm run dlq -- …` against this test's broker, store and namespace. */
  const dlqScript = (args: string[]) => runScript('dlq.ts', args, running.config);

  /** A transfer event the recorder cannot record (no entity): dead-lettered as it arrives. */
  const poison = (tenant: string, reference: string) => {
    const { entity: _entity, ...event } = transferEvent({
      tenantId: tenant,
      reference,
      source: { system: 'shopify', format: 'json', payload: { order: reference, accessToken: secret } },
    });
    return { key: transferKey(event), value: event };
  };

  const postsTo = (target: string) =>
    slack.callsTo('chat.postMessage').filter((call: RecordedCall) => call.body.channel === target);

  /** Every message now on a topic (up to its current end). */
  const wholeTopic = async (topic: string): Promise<KafkaMessage[]> => {
    const ends = await running.admin.fetchTopicOffsets(topic);
    const count = ends.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
    return count === 0 ? [] : readTopic(running.kafka, topic, count);
  };

  let first: DeadLetter;
  let ghost: DeadLetter;
  let startedAt: Date;

  it("alerts the tenant's channel once, with the reason and topic, never the payload; a dead letter of no known tenant is only logged and counted", async () => {
    startedAt = new Date(Date.now() - 1000);
    const mine = poison(tenantId, '#5001');
    await producer.sendJson('transfers', [mine, poison('ghost-shop', '#9')]);

    const [post] = await waitFor('the dead-letter alert in the channel', () => postsTo(channel)[0] && postsTo(channel));
    expect(post!.body.text).toBe('1 message not processed · transfer events · failed validation');
    const shown = JSON.stringify(post!.body.blocks);
    expect(shown).toContain('failed validation: entity:');
    expect(shown).toContain(running.naming.topic('transfers'));
    expect(shown).toContain('#5001');
    expect(JSON.stringify(post!.body)).not.toContain(secret);

    const letters = await waitFor('both dead letters', async () => {
      const all = await dlq.list();
      return all.length === 2 && all;
    });
    first = letters.find((letter) => letter.tenantId === tenantId)!;
    ghost = letters.find((letter) => letter.tenantId === 'ghost-shop')!;
    expect(first).toMatchObject({ key: mine.key, transferId: mine.value.transferId, reference: '#5001' });

    await running.caughtUp('iex.notifier', 'alerts');
    expect(postsTo(channel)).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(running.logs.some((record) => record.msg === 'dead letter of an unknown tenant; no alert')).toBe(true);
    const metrics = await (await fetch(`${running.app.url()}/metrics`)).text();
    expect(metrics).toContain(`iex_dead_letters_without_tenant_total{group="${running.naming.group(RECORDER)}"} 1`);
  });

  it('lists dead letters filtered by consumer group, tenant and time', async () => {
    const ids = (letters: DeadLetter[]) => letters.map(({ id }) => id).sort();
    expect(ids(await dlq.list({ group: RECORDER }))).toEqual(ids([first, ghost]));
    expect(ids(await dlq.list({ group: running.naming.group(RECORDER) }))).toEqual(ids([first, ghost]));
    expect(await dlq.list({ group: 'iex.notifier' })).toEqual([]);
    expect(ids(await dlq.list({ tenant: tenantId }))).toEqual([first.id]);
    expect(ids(await dlq.list({ since: startedAt, tenant: 'ghost-shop' }))).toEqual([ghost.id]);
    expect(await dlq.list({ since: new Date() })).toEqual([]);
    expect(first).toMatchObject({
      reason: expect.stringMatching(/^failed validation: entity:/),
      topic: running.naming.topic('transfers'),
      group: running.naming.group(RECORDER),
    });

    const listed = await dlqScript(['list', '--tenant', tenantId, '--since', '1h']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+AGE\s+TOPIC\s+TENANT\s+GROUP\s+REPLAYED\s+REASON$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(first.id);
    expect(lines[1]).toContain(tenantId);
    expect(lines[1]).toContain(running.naming.group(RECORDER));
    expect(lines[1]).toContain('failed validation: entity:');
  });

  it('shows a dead letter: its headers and its bytes', async () => {
    const shown = await dlqScript(['show', first.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Dead letter ${first.id} on ${dlq.dlqTopic}`);
    expect(shown.stdout).toContain(`${DEAD_LETTER_HEADERS.reason}: failed validation: entity:`);
    expect(shown.stdout).toContain(`${DEAD_LETTER_HEADERS.group}: ${running.naming.group(RECORDER)}`);
    expect(shown.stdout).toMatch(/Value \(\d+ bytes, JSON\):/);
    // Pretty JSON, the operator's to read (chat never gets it).
    expect(shown.stdout).toContain(`  "tenantId": "${tenantId}",`);
    expect(shown.stdout).toContain(secret);

    const missing = await dlqScript(['show', '0:999999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/there is no dead letter 0:999999/);
    for (const bad of [['show'], ['show', 'abc'], ['list', '--limit', 'x'], ['list', '--since', 'soon'], ['frob']]) {
      const result = await dlqScript(bad);
      expect({ args: bad, code: result.code }).toEqual({ args: bad, code: 2 });
      expect(result.stderr).toMatch(/^error: /);
    }
    const help = await dlqScript(['replay', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('replayed once');
  });

  it('replays a dead letter onto its original topic exactly once; a second replay is refused', async () => {
    const outcome = await dlq.replay(first.id, { by: 'ops@test' });
    expect(outcome).toMatchObject({ status: 'replayed', topic: running.naming.topic('transfers'), alerted: true });

    const again = await dlq.replay(first.id, { by: 'someone-else@test' });
    expect(again).toMatchObject({ status: 'already_replayed', record: { by: 'ops@test', state: 'replayed' } });
    const refused = await dlqScript(['replay', first.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`refused: ${first.id} was already replayed`);

    const copies = (await wholeTopic(running.naming.topic('transfers'))).filter(
      (message) => message.headers?.[REPLAY_HEADERS.of]?.toString() === first.id,
    );
    expect(copies).toHaveLength(1);
    expect(copies[0]!.key?.toString()).toBe(first.key);
    expect(copies[0]!.value?.equals(first.value!)).toBe(true);
    // Its original headers come along; the dead-letter headers do not.
    expect(copies[0]!.headers?.[DEAD_LETTER_HEADERS.reason]).toBeUndefined();

    // The replay resolves the alert; the copy, still poison, is dead-lettered again and opens a new one.
    await waitFor('the alert resolved by the replay', () =>
      slack
        .callsTo('chat.update')
        .some((call) => call.body.channel === channel && String(call.body.text).startsWith('Resolved:')),
    );
    const redo = await waitFor('the replayed copy dead-lettered again', async () =>
      (await dlq.list({ tenant: tenantId })).find((letter) =>
        letter.headers.some(([name, value]) => name === REPLAY_HEADERS.of && value.toString() === first.id),
      ),
    );
    expect(redo.id).not.toBe(first.id);
    expect((await dlq.list({ tenant: tenantId })).find(({ id }) => id === first.id)?.replay?.state).toBe('replayed');
  });

  it('refuses a replay that was begun and never confirmed until it is resumed, and replays --all the rest once', async () => {
    // A crash between the replay record and the broker's acknowledgement leaves the record pending.
    const replays = createReplayStore(running.store.connection);
    await replays.claim({
      _id: replays.idOf(dlq.dlqTopic, ghost.partition, ghost.offset),
      dlqTopic: dlq.dlqTopic,
      deadLetterId: ghost.id,
      partition: ghost.partition,
      offset: ghost.offset,
      topic: ghost.topic!,
      by: 'crashed@test',
      claimedAt: new Date(),
    });
    const unconfirmed = await dlqScript(['replay', ghost.id]);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('not confirmed');
    expect(unconfirmed.stderr).toContain(`replay ${ghost.id} --resume`);
    const resumed = await dlqScript(['replay', ghost.id, '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`replayed ${ghost.id} onto ${running.naming.topic('transfers')}`);

    // --all: only what was never replayed (the copy dead-lettered again, and the ghost's copy).
    await waitFor('the ghost copy dead-lettered again', async () => (await dlq.list()).length === 4);
    const all = await dlq.replayAll({ group: RECORDER }, { by: 'ops@test' });
    expect(all.filter(({ status }) => status === 'replayed')).toHaveLength(2);
    expect(
      all
        .filter(({ status }) => status === 'already_replayed')
        .map(({ letter }) => letter.id)
        .sort(),
    ).toEqual([first.id, ghost.id].sort());
    // Again: everything seen before is left alone (the copies of the last replay, dead-lettered
    // again meanwhile, are new dead letters of their own).
    const seen = new Set(all.map(({ letter }) => letter.id));
    const twice = await dlq.replayAll({ group: RECORDER }, { by: 'ops@test' });
    const again = twice.filter(({ letter }) => seen.has(letter.id));
    expect(again).toHaveLength(all.length);
    expect(again.every(({ status }) => status === 'already_replayed')).toBe(true);
  });

  it('purges the dead letters older than a date and keeps the newer', async () => {
    const settled = async () => {
      await running.caughtUp(RECORDER, 'transfers');
      return dlq.list();
    };
    const before = await settled();
    const cut = new Date();
    await waitFor('a moment past the cut', () => Date.now() > cut.getTime() + 5);
    await producer.sendJson('transfers', [poison(tenantId, '#5002')]);
    const newer = await waitFor('the newer dead letter', async () =>
      (await dlq.list({ since: cut })).find((letter) => letter.reference === '#5002'),
    );

    const purged = await dlqScript(['purge', '--before', cut.toISOString()]);
    expect(purged.code).toBe(0);
    expect(purged.stdout).toContain(`purged ${before.length} dead letter(s)`);
    const left = await dlq.list();
    expect(left.map(({ id }) => id)).toEqual([newer.id]);
    await expect(dlq.get(first.id)).rejects.toThrow(/there is no dead letter/);
    // The replay records of purged dead letters go with them.
    const replays = createReplayStore(running.store.connection);
    expect((await replays.read([replays.idOf(dlq.dlqTopic, first.partition, first.offset)])).size).toBe(0);

    const noDate = await dlqScript(['purge']);
    expect(noDate.code).toBe(2);
    expect(noDate.stderr).toContain('purge needs --before DATE');
  });
});
