import { IntlMessageFormat } from 'intl-messageformat';
import type { Block, Reply } from '../../src/chat/reply';
import { COMMANDS } from '../../src/commands/catalog';
import type { Caller } from '../../src/commands/ports/tenancy';
import { AREAS, MESSAGES, isMessageKey, type MessageKey } from '../../src/i18n';
import { linkedSlackTenant, startCommandCore, type CoreUnderTest } from '../support/command-core';
import { storeTransfers } from '../support/transfers';
import type { AlertEvent } from '../../src/domain/alerts';
import { DEFAULT_NOTIFIER_SETTINGS, emptyGroup } from '../../src/services/alerts/group-state';
import { ALERT_KINDS } from '../../src/services/alerts/registry';
import { renderMail } from '../../src/services/mail/render';
import { translator } from '../../src/i18n';

/**
 * The whole product in Danish and English (issue 14): every catalogue complete and well formed in
 * both languages, every declared text a catalogue key, and every command answered in Danish without
 * an English sentence left in it.
 */

/** Every part of a reply a person reads, code spans and code blocks left out (they quote data). */
function readable(reply: Reply): string {
  const part = (block: Block): string[] => {
    switch (block.type) {
      case 'fields':
        return block.fields.flatMap(({ label, value }) => [label, value]);
      case 'actions':
        return block.buttons.flatMap((button) => [
          button.label,
          ...(button.confirm
            ? [button.confirm.title, button.confirm.text, button.confirm.confirm, button.confirm.deny]
            : []),
        ]);
      case 'divider':
        return [];
      case 'code':
        return [];
      case 'image':
        return [block.image.alt];
      default:
        return [block.text];
    }
  };
  return [reply.fallback, ...reply.blocks.flatMap(part)]
    .join('\n')
    .replace(/`[^`]*`/g, ' ')
    .replace(/<[^>|]*\|([^>]*)>/g, '$1')
    .replace(/<[^>]*>/g, ' ');
}

/** English words that Danish never uses: one in a Danish reply is English left in it. */
const ENGLISH = /\b(the|is|are|was|were|has|have|with|this|that|which|your|you|been|will|not|of|no longer)\b/i;

/** The English catalogue texts of at least three words that Danish says otherwise. */
const englishSentences = (Object.keys(MESSAGES.en) as MessageKey[])
  .filter((key) => MESSAGES.en[key] !== MESSAGES.da[key])
  .map((key) => MESSAGES.en[key].replace(/\{[^{}]*\}/g, '').trim())
  .filter((text) => !/[{}]/.test(text) && text.split(/\s+/).length >= 3);

function englishLeftIn(danish: string): string[] {
  const found = englishSentences.filter((sentence) => danish.includes(sentence));
  const word = danish.match(ENGLISH);
  return word
    ? [
        ...found,
        `the English word "${word[0]}" in: ${danish.slice(Math.max(0, (word.index ?? 0) - 60), (word.index ?? 0) + 60)}`,
      ]
    : found;
}

/** The names of a message's placeholders, e.g. `count` and `ref`. */
function placeholders(text: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (elements: unknown[]): void => {
    for (const element of elements as Array<Record<string, unknown>>) {
      if (typeof element.value === 'string' && element.type !== 0) names.add(element.value);
      for (const option of Object.values((element.options as Record<string, { value: unknown[] }>) ?? {}))
        walk(option.value);
    }
  };
  walk(new IntlMessageFormat(text, locale, undefined, { ignoreTag: true }).getAst() as unknown[]);
  return [...names].sort();
}

describe('the message catalogues', () => {
  it('name each key after its area, once, and hold the same keys in Danish and English', () => {
    const seen = new Map<string, string>();
    for (const [area, catalogue] of Object.entries(AREAS)) {
      for (const key of Object.keys(catalogue.en)) {
        expect(`${area}: ${key}`).toMatch(new RegExp(`^${area}: ${area}\\.`));
        expect(seen.get(key)).toBeUndefined();
        seen.set(key, area);
      }
      expect(Object.keys(catalogue.da).sort()).toEqual(Object.keys(catalogue.en).sort());
    }
  });

  it('parse in both languages with the same placeholders, and have Danish texts of their own', () => {
    const problems: string[] = [];
    for (const key of Object.keys(MESSAGES.en) as MessageKey[]) {
      try {
        const en = placeholders(MESSAGES.en[key], 'en-GB');
        const da = placeholders(MESSAGES.da[key], 'da-DK');
        // A plural one language needs and the other does not is the only placeholder they may differ in.
        const differ = [...en.filter((name) => !da.includes(name)), ...da.filter((name) => !en.includes(name))];
        if (differ.some((name) => name !== 'count'))
          problems.push(`${key}: placeholders ${en.join()} in English, ${da.join()} in Danish`);
      } catch (error) {
        problems.push(`${key}: ${(error as Error).message}`);
      }
      const words = MESSAGES.en[key].replace(/\{[^{}]*\}|`[^`]*`/g, ' ').match(/\p{L}{2,}/gu) ?? [];
      if (words.length >= 3 && MESSAGES.en[key] === MESSAGES.da[key]) problems.push(`${key}: not translated`);
    }
    expect(problems).toEqual([]);
  });

  it('give every declared text of every command as a key: summaries, help, options and who may do what', () => {
    const notKeys: string[] = [];
    const check = (where: string, text: string | undefined) => {
      if (text !== undefined && !isMessageKey(text)) notKeys.push(`${where}: "${text}"`);
    };
    for (const command of COMMANDS) {
      check(`${command.name} summary`, command.summary);
      check(`${command.name} help`, command.help);
      for (const word of command.words) check(`${command.name} ${word.name}`, word.description);
      for (const [name, flag] of Object.entries(command.flags)) {
        check(`${command.name} --${name}`, flag.description);
        check(`${command.name} --${name} role`, flag.needs?.doing);
      }
      for (const [verb, rule] of Object.entries(command.verbs)) check(`${command.name} ${verb} role`, rule.doing);
    }
    expect(notKeys).toEqual([]);
  });
});

describe('every command in Danish and English', () => {
  let harness: CoreUnderTest;
  let tenant: Awaited<ReturnType<typeof linkedSlackTenant>>;
  const inLanguage = (caller: Caller, locale: string): Caller => ({ ...caller, locale });

  beforeAll(async () => {
    harness = await startCommandCore('languages');
    tenant = await linkedSlackTenant(harness.store.models);
    const at = new Date();
    await storeTransfers(harness.store.models, [
      { tenantId: tenant.tenantId, transferId: 'o-1', connectionId: 'orders', reference: '#1001', updatedAt: at },
      {
        tenantId: tenant.tenantId,
        transferId: 'o-2',
        connectionId: 'orders',
        reference: '#1002',
        status: 'failed',
        error: { code: 'economic.vat_zone_unknown', message: 'Momszone "EU" ukendt', retryable: false },
        updatedAt: at,
      },
    ]);
  });

  afterAll(() => harness?.stop());

  /** What a person types: every command, its subcommands and a mistake in each. */
  const INPUTS = [
    'help',
    ...COMMANDS.map((command) => `help ${command.name}`),
    ...COMMANDS.map((command) => command.name),
    'log failed',
    'log #1002',
    'log o-2',
    'log --entity nothing',
    'retry failed',
    'jobs',
    'connections',
    'systems',
    'settings',
    'subscription',
    'subscription invoices',
    'topup',
    'notify',
    'alerts',
    'usage --period 2026-13',
    'status extra',
    'nosuchcommand',
  ];

  it.each(INPUTS)('answers `/iex %s` in Danish without English left in it, and in English', async (input) => {
    const danish = readable(await harness.core.handleCommand(inLanguage(tenant.owner, 'da'), input));
    const english = readable(await harness.core.handleCommand(inLanguage(tenant.owner, 'en-US'), input));
    expect(danish.trim()).not.toBe('');
    expect(englishLeftIn(danish)).toEqual([]);
    expect(english).not.toBe(danish);
  });
});

describe('every alert kind and its mail in Danish and English', () => {
  const at = '2026-12-01T09:15:00.000Z';
  const base = { tenantId: 'acme', occurredAt: at };
  const transfer = { ...base, transferId: 'o-7', connectionId: 'orders', entity: 'order' as const, reference: '#1007' };
  const job = { ...base, jobId: 'products-sync', connectionId: 'products', entity: 'product' as const };
  const pipeline = {
    ...base,
    origin: 'iex.transfers.v1:0:17',
    topic: 'iex.transfers.v1',
    group: 'iex.transfer-recorder',
  };
  const counts = { created: 3, updated: 1, failed: 2 };
  /** One event of every kind the notifier handles; the engine's texts in them are Danish data. */
  const EVENTS: Record<AlertEvent['kind'], (n: number) => AlertEvent> = {
    'transfer.failed': (n) => ({
      kind: 'transfer.failed',
      ...transfer,
      transferId: `o-${n}`,
      id: `a-f-${n}`,
      groupKey: 'g-failed',
      error: { code: 'economic.vat_zone_unknown', message: 'Momszone ukendt for land "NO"', retryable: false },
    }),
    'transfer.recovered': () => ({ kind: 'transfer.recovered', ...transfer, id: 'a-r', groupKey: 'g-failed' }),
    'quota.threshold': (n) => ({
      kind: 'quota.threshold',
      ...base,
      id: `a-q-${n}`,
      groupKey: 'g-quota',
      period: '2026-12',
      used: 80,
      allowance: 100,
      threshold: 80,
    }),
    'quota.topup': (n) => ({
      kind: 'quota.topup',
      ...base,
      id: `a-t-${n}`,
      groupKey: 'g-topup',
      period: '2026-12',
      used: 100,
      allowance: 600,
      orders: 500,
      invoiceNumber: 'IEX-2026-0042',
      totalOre: 62_500,
    }),
    'quota.exceeded': (n) => ({
      kind: 'quota.exceeded',
      ...base,
      id: `a-x-${n}`,
      groupKey: 'g-exceeded',
      period: '2026-12',
      used: 100,
      allowance: 100,
    }),
    'job.missed': (n) => ({ kind: 'job.missed', ...job, id: `a-m-${n}`, groupKey: 'g-job', dueAt: at, missedRuns: 2 }),
    'job.failing': (n) => ({
      kind: 'job.failing',
      ...job,
      id: `a-jf-${n}`,
      groupKey: 'g-job',
      failures: 3,
      lastStatus: 'failed',
      lastRunAt: at,
    }),
    'job.recovered': () => ({ kind: 'job.recovered', ...job, id: 'a-jr', groupKey: 'g-job', runAt: at }),
    'pipeline.dead_letter': (n) => ({
      kind: 'pipeline.dead_letter',
      ...pipeline,
      id: `a-d-${n}`,
      groupKey: 'g-dead',
      reason: 'E11000',
      transferId: 'o-9',
      reference: '#1009',
    }),
    'pipeline.replayed': () => ({
      kind: 'pipeline.replayed',
      ...pipeline,
      id: 'a-dr',
      groupKey: 'g-dead',
      deadLetterId: '0:17',
    }),
    digest: (n) => ({
      kind: 'digest',
      ...base,
      id: `a-dg-${n}`,
      groupKey: 'g-digest',
      day: '2026-11-30',
      period: '2026-12',
      transfers: { order: counts, product: counts, stock: counts },
      failuresByCause: [{ code: 'economic.vat_zone_unknown', reason: 'Momszone ukendt', count: 2 }],
      quota: { used: 40, allowance: 100 },
      held: 1,
    }),
    'switch.ignored': (n) => ({
      kind: 'switch.ignored',
      ...transfer,
      id: `a-s-${n}`,
      groupKey: 'g-switch',
      reason: 'module_off',
      switchedAt: at,
    }),
  };

  const cases = ALERT_KINDS.flatMap((kind) =>
    Object.keys(kind.events).map((event) => [kind.name, event as AlertEvent['kind']] as const),
  );

  it.each(cases)('%s: %s reads in Danish without English left in it, in chat and by mail', (_kind, event) => {
    const kind = ALERT_KINDS.find((candidate) => event in candidate.events)!;
    const render = (language: 'da' | 'en') => {
      const state = emptyGroup('acme', 'g');
      const settings = { settings: { ...DEFAULT_NOTIFIER_SETTINGS, threshold: 1 }, at: new Date(at), seen: true };
      // A failure before a recovery, so the recovery has something to resolve; two failures, for the plurals.
      const opening = Object.keys(kind.events).find(
        (other) => kind.events[other as AlertEvent['kind']]?.change === 'failure',
      );
      if (kind.events[event]?.change !== 'failure' && opening)
        kind.apply(state, EVENTS[opening as AlertEvent['kind']](1), settings);
      kind.apply(state, EVENTS[event](1), settings);
      if (kind.events[event]?.change === 'failure') kind.apply(state, EVENTS[event](2), settings);
      const t = translator(language);
      const reply = kind.message(state, state.subject, {
        timezone: 'Europe/Copenhagen',
        now: new Date('2026-12-01T12:00:00.000Z'),
        connectionLabel: 'Shopify > e-conomic',
        t,
      });
      const mail = renderMail(reply, {
        t,
        to: 'bogholderi@acme.dk',
        tenantName: 'Acme',
        trigger: kind.events[event]!.trigger,
      });
      return { chat: readable(reply), mail: `${mail.subject}\n${mail.text}` };
    };
    const danish = render('da');
    const english = render('en');
    expect(englishLeftIn(danish.chat)).toEqual([]);
    expect(englishLeftIn(danish.mail.replace(/`[^`]*`/g, ' '))).toEqual([]);
    expect(english.chat).not.toBe(danish.chat);
    expect(english.mail).not.toBe(danish.mail);
  });
});
