import { IntlMessageFormat } from 'intl-messageformat';
import type { Block, Reply } from '../../src/chat/reply';
import { COMMANDS } from '../../src/commands/catalog';
import type { Caller } from '../../src/commands/ports/tenancy';
import { AREAS, MESSAGES, isMessageKey, type MessageKey } from '../../src/i18n';
import { linkedSlackTenant, startCommandCore, type CoreUnderTest } from '../support/command-core';
import { storeTransfers } from '../support/transfers';

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
