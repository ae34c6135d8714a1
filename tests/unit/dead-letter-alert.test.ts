import path from 'node:path';
import { renderDiscordMessage } from '../../bots/discord/render';
import { renderMessage } from '../../bots/slack/render';
import { DEFAULT_NOTIFIER_SETTINGS, type GroupState, type MessageRef } from '../../src/services/alerts/group-state';
import {
  applyAlert,
  groupTrigger,
  planDelivery,
  triggerOf,
  type NotifierAlert,
} from '../../src/services/alerts/grouping';
import { alertMessage } from '../../src/services/alerts/message';
import { alertEventSchema, deadLetterGroupKey, deadLetterReasonForChat } from '../../src/domain/alerts';
import { subjectOf } from '../../src/kafka/dead-letter-subject';
import { expectGolden } from '../support/golden';
import { translator } from '../../src/i18n';

/** Test tenants speak English; the Danish alerts have tests of their own (alert-languages.test.ts). */
const EN = translator('en');

const T0 = Date.parse('2025-11-27T12:00:00Z');
const minutes = (n: number) => new Date(T0 + n * 60_000);
const GROUP = 'iex.transfer-recorder';
const TOPIC = 'iex.transfers.v1';
const KEY = deadLetterGroupKey('acme', GROUP);
const settings = DEFAULT_NOTIFIER_SETTINGS;

function deadLetter(at: number, offset: number, reason: string, extra: { reference?: string } = {}): NotifierAlert {
  const origin = `${TOPIC}:1:${offset}`;
  return alertEventSchema.parse({
    kind: 'pipeline.dead_letter',
    id: `dlq:${origin}`,
    tenantId: 'acme',
    groupKey: KEY,
    occurredAt: minutes(at).toISOString(),
    origin,
    topic: TOPIC,
    group: GROUP,
    reason,
    transferId: `order-${offset}`,
    ...extra,
  });
}

function replayed(at: number, offset: number): NotifierAlert {
  return alertEventSchema.parse({
    kind: 'pipeline.replayed',
    id: `replay:iex.dlq.v1:0:${offset}`,
    tenantId: 'acme',
    groupKey: KEY,
    occurredAt: minutes(at).toISOString(),
    origin: `${TOPIC}:1:${offset}`,
    topic: TOPIC,
    group: GROUP,
    deadLetterId: `0:${offset}`,
  });
}

const run = (alerts: NotifierAlert[], start?: GroupState) =>
  alerts.reduce<GroupState | undefined>((state, alert) => applyAlert(state, alert, settings) ?? state, start);

const shown = (state: GroupState, at: number): MessageRef => ({
  kind: 'slack',
  target: 'C1',
  messageId: '1.1',
  episode: state.episode,
  version: state.version,
  postedAt: minutes(at),
});

const VALIDATION = 'failed validation: entity: Invalid option: expected one of "order"|"product"|"stock"';

describe('the dead-letter alert', () => {
  it('is one message per tenant and consumer group, counted once per dead-lettered message, to the failure recipients', () => {
    const first = run([deadLetter(0, 41, VALIDATION, { reference: '#1041' })])!;
    expect(first).toMatchObject({ episode: 1, count: 1, alerting: true });
    expect(planDelivery(first, undefined, new Set(['failure']), settings, minutes(0))).toBe('post');
    expect(groupTrigger(first)).toBe('transfer.failed');
    expect(triggerOf(replayed(0, 41))).toBe('transfer.failed');

    // The same message dead-lettered again (a crash before the commit) is the same alert.
    expect(applyAlert(first, deadLetter(0, 41, VALIDATION), settings)).toBeUndefined();
    const two = run([deadLetter(3, 42, 'handler failed: Invalid time value')], first)!;
    expect(two).toMatchObject({ episode: 1, count: 2, reason: 'several reasons' });
    expect(planDelivery(two, shown(first, 0), new Set(['failure']), settings, minutes(3))).toBe('update');
  });

  it('says how many were replayed, and is resolved when every one of them was', () => {
    const open = run([deadLetter(0, 41, VALIDATION), deadLetter(1, 42, VALIDATION)])!;
    const ref = shown(open, 1);
    const one = run([replayed(10, 41)], open)!;
    expect(one).toMatchObject({ recovered: 1 });
    expect(one.resolvedAt).toBeUndefined();
    expect(JSON.stringify(alertMessage(one, { t: EN, timezone: 'UTC', now: minutes(10) })!.blocks)).toContain('1 of 2');
    const both = run([replayed(12, 42)], one)!;
    expect(both.resolvedAt).toEqual(minutes(12));
    expect(planDelivery(both, ref, new Set(['recovery']), settings, minutes(12))).toBe('update');
    expect(alertMessage(both, { t: EN, timezone: 'UTC', now: minutes(12) })!.fallback).toBe(
      'Resolved: 2 messages not processed · transfer events · failed validation',
    );
    // A replay of a group the notifier never saw changes nothing.
    expect(applyAlert(undefined, replayed(12, 42), settings)).toBeUndefined();
  });

  it('renders on Slack and Discord with the reason, topic and transfer, never the message content', () => {
    const state = run([deadLetter(0, 40, VALIDATION), deadLetter(2, 41, VALIDATION, { reference: '#1041' })])!;
    const message = alertMessage(state, { t: EN, timezone: 'Europe/Copenhagen', now: minutes(5) })!;
    expect(message.fallback).toBe('2 messages not processed · transfer events · failed validation');
    expectGolden(path.resolve(__dirname, '../fixtures/slack'), 'dead-letter-alert', renderMessage(message));
    expectGolden(path.resolve(__dirname, '../fixtures/discord'), 'dead-letter-alert', renderDiscordMessage(message));

    // A Danish tenant's channel reads it in Danish.
    const danish = alertMessage(state, { t: translator('da'), timezone: 'Europe/Copenhagen', now: minutes(5) })!;
    expect(danish.fallback).toBe('2 beskeder ikke behandlet · overførselshændelser · failed validation');
    expectGolden(path.resolve(__dirname, '../fixtures/slack'), 'dead-letter-alert.da', renderMessage(danish));
    expectGolden(path.resolve(__dirname, '../fixtures/discord'), 'dead-letter-alert.da', renderDiscordMessage(danish));
  });

  it('keeps quoted pieces of the message and credentials out of the reason it shows', () => {
    const secret = 'shpat_0123456789abcdef0123456789abcdef';
    expect(
      deadLetterReasonForChat(`not valid JSON: Unexpected token 'o', "{"token":"${secret}"... is not valid JSON`),
    ).toBe(`not valid JSON: Unexpected token 'o', "…" is not valid JSON`);
    expect(deadLetterReasonForChat(`handler failed: no account "${secret}" here`)).toBe(
      'handler failed: no account "…" here',
    );
    expect(deadLetterReasonForChat('handler failed: connect to mongodb://iex:hunter2@db:27017 refused')).toBe(
      'handler failed: connect to mongodb://***@db:27017 refused',
    );
    expect(deadLetterReasonForChat('x'.repeat(400))).toHaveLength(300);
  });

  it("knows the tenant from the message's key, else its body", () => {
    const event = Buffer.from(JSON.stringify({ tenantId: 'acme', transferId: 'order-1', reference: '#1001' }));
    expect(subjectOf('acme:order-1', event)).toEqual({ tenantId: 'acme', transferId: 'order-1', reference: '#1001' });
    expect(subjectOf('acme', Buffer.from('{oops'))).toEqual({ tenantId: 'acme' });
    expect(subjectOf(null, event)).toEqual({ tenantId: 'acme', transferId: 'order-1', reference: '#1001' });
    // A body naming another tenant than the key does not name the key tenant's transfer.
    expect(subjectOf('beta', event)).toEqual({ tenantId: 'beta' });
    expect(subjectOf(null, Buffer.from('not json'))).toEqual({});
    expect(subjectOf('iex.transfers.v1:0:17', null)).toEqual({});
  });
});
