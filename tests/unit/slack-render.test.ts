import { translator } from '../../src/i18n';
import path from 'node:path';
import {
  ACTION_ID_PREFIX,
  renderHomeView,
  renderMessage,
  renderResponse,
  SLACK_LIMITS,
  splitMrkdwn,
  toMrkdwn,
  type SlackBlock,
} from '../../bots/slack/render';
import { encodeAction } from '../../src/chat/actions';
import { connectionsCommand } from '../../src/commands/catalog/connections';
import { homeReply } from '../../src/commands/catalog/status';
import type { CommandContext } from '../../src/commands/define';
import type { CorePorts } from '../../src/commands/ports';
import {
  actions,
  button,
  code,
  context,
  divider,
  fields,
  header,
  linkButton,
  notice,
  reply,
  text,
  type Block,
} from '../../src/chat/reply';
import { sampleConnections, sampleHomeView } from '../fixtures/home-view';
import { expectGolden } from '../support/golden';
import { captureLogger } from '../support/test-env';

const goldenDir = path.resolve(__dirname, '../fixtures/slack');

const homeView = sampleHomeView;
const connections = sampleConnections;

const contextWith = (ports: Partial<CorePorts>): CommandContext => ({
  tenantId: 't-1',
  t: translator('en'),
  caller: { platform: 'slack', userId: 'U1', workspaceId: 'T1', channelId: 'C1' },
  role: 'admin',
  ports: ports as CorePorts,
  logger: captureLogger().logger,
  now: new Date('2025-11-28T10:00:00Z'),
  interactionId: 'i-1',
});

const sections = (blocks: SlackBlock[]) => blocks.filter((block) => block.type === 'section');
const sectionText = (block: SlackBlock) => (block.type === 'section' ? (block.text?.text ?? '') : '');
const buttonsOf = (blocks: SlackBlock[]) => blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));

describe('the Slack renderer: golden Block Kit', () => {
  it('renders /iex status as a message and as the App Home tab', () => {
    const status = homeReply(homeView, translator('en'));
    expectGolden(goldenDir, 'status-message', renderResponse(status));
    expectGolden(goldenDir, 'home-view', renderHomeView(status));
    const danish = homeReply(homeView, translator('da'));
    expectGolden(goldenDir, 'status-message.da', renderResponse(danish));
    expectGolden(goldenDir, 'home-view.da', renderHomeView(danish));
  });

  it('renders /iex connections with switch buttons and the confirmation dialog of switching off', async () => {
    const list = await connectionsCommand.run(
      contextWith({ connections: { list: async () => connections } as unknown as CorePorts['connections'] }),
      { _: [] },
    );
    const rendered = renderResponse(list);
    expectGolden(goldenDir, 'connections-message', rendered);

    const [switchOff, switchOn] = buttonsOf(rendered.blocks);
    expect(switchOff).toMatchObject({
      style: 'danger',
      value: 'connection.toggle?id=orders&on=0',
      confirm: {
        title: { text: 'Switch the connection off?' },
        confirm: { text: 'Switch off' },
        deny: { text: 'Cancel' },
        style: 'danger',
      },
    });
    expect(switchOn).toMatchObject({ style: 'primary', value: 'connection.toggle?id=products&on=1' });
    expect(switchOn).not.toHaveProperty('confirm');
  });

  it('cuts a list longer than 50 blocks at a clean point and says it continues', () => {
    const blocks: Block[] = [header('Log')];
    for (let index = 1; index <= 40; index += 1) {
      blocks.push(
        text(`*#${1000 + index}* · Shopify > e-conomic · failed`),
        actions(button('Retry', encodeAction('retry.one', { id: `tr-${index}` }))),
      );
    }
    expectGolden(goldenDir, 'long-list-message', renderMessage(reply('40 transfers', blocks)));
  });
});

describe('the Slack renderer: limits', () => {
  it('keeps every message within 50 blocks, never ending on a text whose buttons were cut', () => {
    const blocks: Block[] = [];
    for (let index = 0; index < 40; index += 1)
      blocks.push(text(`item ${index}`), actions(button('Open', `x?i=${index}`)));
    const rendered = renderMessage(reply('list', blocks)).blocks;
    expect(rendered).toHaveLength(SLACK_LIMITS.messageBlocks - 1);
    expect(rendered.at(-1)).toMatchObject({
      type: 'context',
      elements: [{ text: expect.stringContaining('The list continues') }],
    });
    expect(rendered.at(-2)?.type).toBe('actions');

    const home = renderHomeView(reply('list', blocks));
    expect(home.blocks).toHaveLength(1 + 80);
  });

  it('splits text over 3000 characters into sections at line breaks, losing nothing', () => {
    const lines = Array.from({ length: 200 }, (_, index) => `line ${index} ${'x'.repeat(30)}`);
    const rendered = renderMessage(reply('long', [text(lines.join('\n'))])).blocks;
    expect(rendered.length).toBeGreaterThan(2);
    for (const block of rendered) expect(sectionText(block).length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(rendered.map(sectionText).join('\n')).toBe(lines.join('\n'));
  });

  it('never splits inside a link or an escape', () => {
    const link = '<https://example.com/orders/1042|order #1042 in the shop>';
    const pieces = splitMrkdwn(`${'a'.repeat(2990)} ${link} &amp; more`, 3000);
    expect(pieces[1]).toContain(link);
    expect(pieces.every((piece) => piece.length <= 3000)).toBe(true);
    const hard = splitMrkdwn(`${'b'.repeat(2998)}&amp;${'c'.repeat(10)}`, 3000);
    expect(hard[0]).toBe('b'.repeat(2998));
    expect(hard[1]).toMatch(/^&amp;c/);
  });

  it('shortens a long code block to one section with a note of what is left out', () => {
    const payload = JSON.stringify(
      { order: { lines: Array.from({ length: 400 }, (_, index) => ({ sku: `SKU-${index}`, qty: 1 })) } },
      null,
      2,
    );
    const [block, ...rest] = renderMessage(reply('payload', [code(payload)])).blocks;
    expect(rest).toEqual([]);
    const rendered = sectionText(block!);
    expect(rendered.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(rendered.startsWith('```\n{')).toBe(true);
    const left = Number(/Shortened: (\d+) more characters not shown/.exec(rendered)?.[1]);
    expect(left).toBeGreaterThan(0);
    expect(rendered.indexOf('```', 3)).toBeGreaterThan(0);
  });

  it('puts at most 10 fields in a section, 25 buttons in an actions block, with unique action ids', () => {
    const many = Array.from({ length: 23 }, (_, index): [string, string] => [`Field ${index}`, `${index}`]);
    const rendered = renderMessage(
      reply('many', [
        fields(many),
        actions(...Array.from({ length: 30 }, (_, index) => button(`Button ${index}`, `a?i=${index}`))),
      ]),
    ).blocks;
    expect(sections(rendered).map((block) => (block.type === 'section' ? block.fields?.length : 0))).toEqual([
      10, 10, 3,
    ]);
    expect(
      rendered
        .filter((block) => block.type === 'actions')
        .map((block) => (block.type === 'actions' ? block.elements.length : 0)),
    ).toEqual([25, 5]);
    const ids = buttonsOf(rendered).map((element) => (element as { action_id: string }).action_id);
    expect(new Set(ids).size).toBe(30);
    expect(ids.every((id) => id.startsWith(ACTION_ID_PREFIX))).toBe(true);
  });

  it('shortens plain texts to their limits: header 150, button 75, confirmation dialog 100/300/30', () => {
    const long = 'y'.repeat(400);
    const [head, row] = renderMessage(
      reply('limits', [
        header(long),
        actions(
          button(long, 'a', { confirm: { title: long, text: long, confirm: long, deny: long } }),
          linkButton('Open the shop admin', 'https://admin.example.com/orders/1042'),
        ),
      ]),
    ).blocks;
    expect(head).toMatchObject({ type: 'header', text: { text: `${'y'.repeat(149)}…` } });
    const [withConfirm, link] = row?.type === 'actions' ? row.elements : [];
    expect(withConfirm).toMatchObject({
      text: { text: `${'y'.repeat(74)}…` },
      confirm: { title: { text: expect.any(String) }, text: { text: expect.any(String) } },
    });
    const confirm = (withConfirm as unknown as { confirm: Record<string, { text: string }> }).confirm;
    expect([
      confirm.title!.text.length,
      confirm.text!.text.length,
      confirm.confirm!.text.length,
      confirm.deny!.text.length,
    ]).toEqual([100, 300, 30, 30]);
    expect(link).toMatchObject({ url: 'https://admin.example.com/orders/1042', action_id: 'iex:1' });
    expect(link).not.toHaveProperty('value');
  });

  it('escapes &, < and > outside links and mentions, and keeps the neutral markup', () => {
    expect(toMrkdwn('*Shopify > e-conomic* & _co_ `a<b` <https://x.example/a?b=1|the log> <@U123> <#C1|ops>')).toBe(
      '*Shopify &gt; e-conomic* &amp; _co_ `a&lt;b` <https://x.example/a?b=1|the log> <@U123> <#C1|ops>',
    );
  });

  it('answers only the caller unless told otherwise, and replaces the original only when asked', () => {
    expect(renderResponse(notice('Only admins can do this; you are a viewer.'))).toEqual({
      text: 'Only admins can do this; you are a viewer.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Only admins can do this; you are a viewer.' } }],
      response_type: 'ephemeral',
      replace_original: false,
    });
    expect(renderResponse(notice('done', { visibility: 'in_channel', replaceOriginal: true }))).toMatchObject({
      response_type: 'in_channel',
      replace_original: true,
    });
  });

  it('gives the Home tab a header when the reply has none, and skips empty blocks', () => {
    const view = renderHomeView(
      reply('x', [text('This workspace is not linked yet.'), divider(), context(''), code('  ')]),
    );
    expect(view).toEqual({
      type: 'home',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'IEX ChatOps', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'This workspace is not linked yet.' } },
        { type: 'divider' },
      ],
    });
  });
});
