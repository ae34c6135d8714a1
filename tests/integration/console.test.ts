import { PassThrough } from 'node:stream';
import { consoleCaller, createConsolePlatform, runConsole } from '../../bots/console/console-platform';
import { ACTIONS, COMMANDS } from '../../src/commands/catalog';
import { createCommandCore } from '../../src/commands/core';
import { actions, button, code, context, fields, header, linkButton, reply, text } from '../../src/chat/reply';
import { markupToText, renderText, replyButtons } from '../../src/chat/render-text';
import type { Config } from '../../src/config/config';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming } from '../../src/kafka/topics';
import { connectStore, type Store } from '../../src/store';
import { createStorePorts } from '../../src/services/ports';
import { translator } from '../../src/i18n';
import { createTestTenant, type TestTenant } from '../fixtures/tenants';
import { captureLogger, testConfig } from '../support/test-env';
import { runScript } from '../support/scripts';
import { waitFor } from '../support/wait-for';

describe('the terminal console', () => {
  let config: Config;
  let store: Store;
  let producer: EventProducer;
  let tenant: TestTenant;
  const { logger } = captureLogger();

  beforeAll(async () => {
    config = testConfig();
    store = connectStore(config.MONGO_URL);
    await store.ready();
    const naming = createNaming(config.KAFKA_NAMESPACE);
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'console-test', logger });
    await ensureTopics(kafka, naming, { partitions: 1, replicationFactor: 1 });
    producer = createEventProducer(kafka, naming);
    tenant = await createTestTenant(store.models);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await store?.connection.dropDatabase();
    await store?.close();
  });

  /** Runs a script of scripts/ as an operator does (`npm run …`), against this test's store and broker. */
  const operatorScript = (script: string, args: string[], stdin: string) =>
    runScript(script, args, config, { stdin, logLevel: 'warn' });

  /** Types `lines` into the console loop, then Ctrl-D; returns everything it printed. */
  async function converse(lines: string[]): Promise<string> {
    const core = createCommandCore({
      ports: createStorePorts({ models: store.models, producer, logger }),
      logger,
      commands: COMMANDS,
      actions: ACTIONS,
    });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    input.end(lines.map((line) => `${line}\n`).join(''));
    await runConsole({
      core,
      caller: { platform: 'console', userId: 'ada', workspaceId: tenant.tenantId, displayName: 'ada' },
      input,
      output,
    });
    return printed;
  }

  it('answers /iex commands with or without the prefix, through the command core, as text', async () => {
    const printed = await converse(['/iex status', 'help', 'log failed', 'nonsense']);
    expect(printed).toContain(`Shop ${tenant.tenantId} — Home`);
    expect(printed).toContain('Orders used: 0 of 500');
    expect(printed).toMatch(/IEX ChatOps\n=+\nRun your integration from here/);
    expect(printed).toContain('`/iex status` — Home');
    expect(printed).toContain('There is no `/iex nonsense`');
    expect(printed).not.toContain('Something failed');
    expect(printed.trimEnd().endsWith('iex>')).toBe(true);
  });

  it('numbers the buttons, asks before one with a confirmation, and runs its action as the owner', async () => {
    const declined = await converse(['connections', '1', 'n']);
    expect(declined).toContain('[1] Switch off Shopify > e-conomic (order) (asks first)');
    expect(declined).toContain('Switch the connection off?');
    expect(declined).toContain('Cancel: nothing was done.');
    expect(
      (await store.models.DataConnection.findOne({ tenantId: tenant.tenantId, connectionId: 'orders' }).lean())?.active,
    ).not.toBe(false);

    const confirmed = await converse(['connections', '1', 'y', '9', 'exit', 'status']);
    expect(confirmed).toContain('Shopify > e-conomic (order) is now off.');
    expect(confirmed).toContain('There is no button 9: choose 1 to 3.');
    expect(confirmed).not.toContain('— Home'); // `exit` ended it before `status`
    expect(
      (await store.models.DataConnection.findOne({ tenantId: tenant.tenantId, connectionId: 'orders' }).lean())?.active,
    ).toBe(false);
    const audit = await store.models.AuditEntry.findOne({
      tenantId: tenant.tenantId,
      action: 'connection.deactivate',
    }).lean();
    expect(audit?.actor).toEqual({ platform: 'console', userId: 'ada' });
  });

  it('runs as `npm run console -- --tenant ID`, and says which tenants exist when the id is wrong', async () => {
    const session = await operatorScript('console.ts', ['--tenant', tenant.tenantId], 'status\n');
    expect(session.stderr).toBe('');
    expect(session.code).toBe(0);
    expect(session.stdout).toContain(`IEX console · Shop ${tenant.tenantId} (${tenant.tenantId})`);
    expect(session.stdout).toContain(`Shop ${tenant.tenantId} — Home`);

    const wrong = await operatorScript('console.ts', ['--tenant', 'nobody'], '');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`there is no tenant 'nobody'. Tenants: ${tenant.tenantId}`);
  });

  it('answers in the language asked for with --language, whatever the tenant speaks', async () => {
    const session = await operatorScript('console.ts', ['--tenant', tenant.tenantId, '--language', 'da'], 'status\n');
    expect(session.code).toBe(0);
    expect(session.stdout).toContain(`IEX-konsol · Shop ${tenant.tenantId} (${tenant.tenantId}) · du er`);
    expect(session.stdout).toContain(translator('da').t('status.title', { tenant: `Shop ${tenant.tenantId}` }));
    const refused = await operatorScript('console.ts', ['--tenant', tenant.tenantId, '--language', 'fr'], '');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--language is da or en, not 'fr'");
  });

  it('prints a link code with `npm run tenant -- link-code ID` that links a Slack workspace once', async () => {
    const printed = await operatorScript('tenant.ts', ['link-code', tenant.tenantId], '');
    expect(printed.code).toBe(0);
    const code = /: (IEX-[A-Z0-9]{5}-[A-Z0-9]{5})\n/.exec(printed.stdout)?.[1];
    expect(code).toBeDefined();
    expect(printed.stdout).toContain(`Slack:   /iex link ${code}`);
    expect(printed.stdout).toContain(`Discord: /iex link code:${code}`);

    const { tenancy } = createStorePorts({ models: store.models, producer, logger });
    const slackUser = { platform: 'slack' as const, userId: 'U1', workspaceId: `T-${tenant.tenantId}` };
    expect(await tenancy.link(code!, slackUser, 'workspace')).toEqual({
      tenantId: tenant.tenantId,
      tenantName: `Shop ${tenant.tenantId}`,
      owner: { platform: 'slack', userId: 'U1' },
    });
    expect(await tenancy.link(code!, { ...slackUser, workspaceId: 'T-other' }, 'workspace')).toBe('invalid');

    const missing = await operatorScript('tenant.ts', ['link-code'], '');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('link-code needs one tenant ID');
  });
  it('is a chat platform: no routes, no alert channel; start opens the conversation and stop ends it', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const terminal = createConsolePlatform({
      core: createCommandCore({
        ports: createStorePorts({ models: store.models, producer, logger }),
        logger,
        commands: COMMANDS,
        actions: ACTIONS,
      }),
      caller: consoleCaller(tenant.tenantId, 'ada'),
      input,
      output,
    });
    expect(terminal).toMatchObject({ name: 'console', routes: [] });
    expect(terminal.alerts).toBeUndefined();
    await terminal.start();
    input.write('status\n');
    await waitFor('the status reply', () => printed.includes(`Shop ${tenant.tenantId} — Home`));
    // The input stays open: only stop() ends the conversation.
    await terminal.stop();
    await terminal.finished;
  });
});

describe('replies as terminal text', () => {
  it('turns the neutral markup into plain text, leaving code as it is', () => {
    expect(markupToText('*Orders used:* 4 of 5 · _soon_ · `economic.vat_zone_unknown` · *a*b')).toBe(
      'Orders used: 4 of 5 · soon · `economic.vat_zone_unknown` · *a*b',
    );
    expect(
      markupToText(
        'See <https://iex.dk/help|the help> or <https://iex.dk>, ask <@U123> in <#C42|ops> or <mailto:a@b.dk|a@b.dk>',
      ),
    ).toBe('See the help (https://iex.dk/help) or https://iex.dk, ask @U123 in #ops or a@b.dk');
    expect(markupToText('*bold*', true)).toBe('\u001b[1mbold\u001b[0m');
    // A signed link's underscores are part of the URL, not italics.
    expect(markupToText('<https://iex.dk/view?sig=a_b_c|Open transfer>')).toBe(
      'Open transfer (https://iex.dk/view?sig=a_b_c)',
    );
  });

  it('numbers the buttons across the whole reply, in the order the console runs them', () => {
    const answer = reply('fallback', [
      header('Title'),
      fields([['Plan', '*Standard*']]),
      code('{\n  "a": 1\n}'),
      actions(
        button('One', 'one'),
        button('Two', 'two', { confirm: { title: 't', text: 'x', confirm: 'Yes', deny: 'No' } }),
      ),
      context('_small print_'),
      actions(linkButton('Docs', 'https://iex.dk')),
    ]);
    expect(renderText(answer, { width: 10 }).split('\n')).toEqual([
      'Title',
      '=====',
      'Plan: Standard',
      '    {',
      '      "a": 1',
      '    }',
      '[1] One   [2] Two (asks first)',
      'small print',
      '[3] Docs → https://iex.dk',
    ]);
    expect(replyButtons(answer).map(({ label }) => label)).toEqual(['One', 'Two', 'Docs']);
    expect(renderText(reply('Only the fallback', []))).toBe('Only the fallback');
    expect(renderText(reply('x', [text('*Hi*')]))).toBe('Hi');
  });
});
