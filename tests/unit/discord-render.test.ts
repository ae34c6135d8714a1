import { translator } from '../../src/i18n';
import path from 'node:path';
import { ButtonStyle, ComponentType, type APIMessageTopLevelComponent } from 'discord-api-types/v10';
import {
  askedButton,
  codeBlock,
  customIdOf,
  DISCORD_LIMITS,
  EPHEMERAL,
  parseCustomId,
  renderCancelled,
  renderConfirmation,
  renderDiscordMessage,
  splitMarkdown,
  toDiscordMarkdown,
  type DiscordMessage,
} from '../../bots/discord/render';
import { encodeAction } from '../../src/chat/actions';
import { connectionsCommand, toggleButton } from '../../src/commands/catalog/connections';
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
import { expectGolden as expectGoldenIn } from '../support/golden';
import { captureLogger } from '../support/test-env';

const goldenDir = path.resolve(__dirname, '../fixtures/discord');

/** `UPDATE_GOLDEN=1 npx jest tests/unit/discord-render.test.ts` writes them again after a deliberate change. */
const expectGolden = (name: string, actual: unknown) => expectGoldenIn(goldenDir, name, actual);

/** Every limit Discord checks on a message; any one passed and Discord refuses the whole message. */
function expectWithinLimits(message: DiscordMessage): void {
  const L = DISCORD_LIMITS;
  expect(message.embeds.length).toBeLessThanOrEqual(L.embeds);
  let total = 0;
  for (const embed of message.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(L.title);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(L.description);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(L.footer);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(L.fieldsPerEmbed);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(L.fieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(L.fieldValue);
    }
    total +=
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.footer?.text.length ?? 0) +
      (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  }
  expect(total).toBeLessThanOrEqual(L.embedTotal);
  expect(message.content?.length ?? 0).toBeLessThanOrEqual(L.content);
  expect(message.embeds.length > 0 || Boolean(message.content)).toBe(true);
  expect(message.components.length).toBeLessThanOrEqual(L.actionRows);
  const ids: string[] = [];
  for (const row of message.components) {
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(L.buttonsPerRow);
    for (const component of row.components) {
      expect(component.type).toBe(ComponentType.Button);
      if ('label' in component) expect(component.label?.length ?? 0).toBeLessThanOrEqual(L.buttonLabel);
      if ('custom_id' in component) {
        expect(component.custom_id.length).toBeLessThanOrEqual(L.customId);
        ids.push(component.custom_id);
      }
    }
  }
  expect(new Set(ids).size).toBe(ids.length);
}

const buttonsOf = (message: DiscordMessage) => message.components.flatMap((row) => row.components);
const customIds = (message: DiscordMessage) =>
  buttonsOf(message).flatMap((component) => ('custom_id' in component ? [component.custom_id] : []));
const footers = (message: DiscordMessage) =>
  message.embeds.flatMap((embed) => (embed.footer ? [embed.footer.text] : []));
const CONTINUES = /The list continues/;

const contextWith = (ports: Partial<CorePorts>): CommandContext => ({
  tenantId: 't-1',
  t: translator('en'),
  caller: {
    platform: 'discord',
    userId: '123456789012345678',
    workspaceId: '223456789012345678',
    channelId: '3234567890123456789',
  },
  role: 'admin',
  ports: ports as CorePorts,
  logger: captureLogger().logger,
  now: new Date('2025-11-28T10:00:00Z'),
  interactionId: 'i-1',
});

const longPayload = JSON.stringify(
  { order: { lines: Array.from({ length: 400 }, (_, index) => ({ sku: `SKU-${index}`, qty: 1 })) } },
  null,
  2,
);

describe('the Discord renderer: golden embeds and components', () => {
  it('renders /iex status: a header per embed, fields inline, contexts under them, buttons at the end', () => {
    const rendered = renderDiscordMessage(homeReply(sampleHomeView, translator('en')));
    expectGolden('status-message', rendered);
    expectGolden('status-message.da', renderDiscordMessage(homeReply(sampleHomeView, translator('da'))));
    expectWithinLimits(rendered);
    expect(rendered.flags).toBe(EPHEMERAL);
    expect(rendered.embeds[0]?.title).toBe('Acme Shop — Home');
    expect(rendered.embeds.flatMap((embed) => embed.fields ?? []).every((field) => field.inline)).toBe(true);
  });

  it('renders /iex connections with switches; switching off asks first through an ask: custom_id', async () => {
    const list = await connectionsCommand.run(
      contextWith({ connections: { list: async () => sampleConnections } as unknown as CorePorts['connections'] }),
      { _: [] },
    );
    const rendered = renderDiscordMessage(list);
    expectGolden('connections-message', rendered);
    expectWithinLimits(rendered);

    const [switchOff, switchOn] = buttonsOf(rendered);
    expect(switchOff).toMatchObject({ style: ButtonStyle.Danger, custom_id: 'ask:connection.toggle?id=orders&on=0' });
    expect(switchOn).toMatchObject({ style: ButtonStyle.Primary, custom_id: 'connection.toggle?id=products&on=1' });

    const confirmation = renderConfirmation(toggleButton(sampleConnections[0]!, translator('en')));
    expectGolden('connections-confirmation', confirmation);
    expect(buttonsOf(confirmation)).toEqual([
      expect.objectContaining({
        label: 'Switch off',
        style: ButtonStyle.Danger,
        custom_id: 'connection.toggle?id=orders&on=0',
      }),
      expect.objectContaining({ label: 'Cancel', style: ButtonStyle.Secondary, custom_id: 'cancel' }),
    ]);
    expect(confirmation.flags).toBe(EPHEMERAL);
  });

  it('shortens a long payload to one fenced code block with a note of what is left out', () => {
    const rendered = renderDiscordMessage(
      reply('payload', [
        header('Transfer #1042'),
        text('*Original data* — shopify, format `json`'),
        code(longPayload),
        actions(button('Show all original data', encodeAction('log.payload', { id: 'tr-1', side: 'source' }))),
      ]),
    );
    expectGolden('payload-message', rendered);
    expectWithinLimits(rendered);
    const description = rendered.embeds[0]!.description!;
    expect(description.startsWith('**Original data** — shopify, format `json`\n```\n{')).toBe(true);
    const left = Number(/Shortened: ([\d,]+) more characters not shown/.exec(description)?.[1]?.replace(/,/g, ''));
    expect(left).toBeGreaterThan(0);
    expect(description.match(/```/g)).toHaveLength(2);
  });

  it('cuts a list with more than 25 buttons at a clean point, and says the list continues', () => {
    const blocks: Block[] = [header('Log — failed transfers')];
    for (let index = 1; index <= 40; index += 1) {
      blocks.push(
        text(`${index}. *#${1000 + index}* · Shopify > e-conomic · order create · ❌ failed`),
        actions(button(`${index}. #${1000 + index}`, encodeAction('log.show', { id: `tr-${index}` }))),
      );
    }
    blocks.push(context('Page 1 of 1 · 40 transfers · newest first'));
    const rendered = renderDiscordMessage(reply('40 transfers', blocks));
    expectGolden('long-list-message', rendered);
    expectWithinLimits(rendered);
    // Five rows of five: the first 25 transfers, each with its button; not the 26th without one.
    expect(customIds(rendered)).toHaveLength(25);
    expect(customIds(rendered).at(-1)).toBe('log.show?id=tr-25');
    expect(rendered.embeds[0]!.description).toContain('#1025');
    expect(rendered.embeds[0]!.description).not.toContain('#1026');
    expect(footers(rendered).at(-1)).toMatch(CONTINUES);
  });
});

describe('the Discord renderer: limits', () => {
  it('puts more than 25 fields into a second embed, losing none', () => {
    const many = Array.from({ length: 30 }, (_, index): [string, string] => [`Field ${index}`, `${index}`]);
    const rendered = renderDiscordMessage(reply('many', [header('Many'), fields(many)]));
    expectWithinLimits(rendered);
    expect(rendered.embeds.map((embed) => embed.fields?.length)).toEqual([25, 5]);
    expect(rendered.embeds[1]).not.toHaveProperty('title');
    expect(footers(rendered)).toEqual([]);
  });

  it('cuts fields beyond 6000 characters a message, with the note', () => {
    const many = Array.from({ length: 60 }, (_, index): [string, string] => [`Field ${index}`, 'v'.repeat(150)]);
    const rendered = renderDiscordMessage(reply('many', [header('Many'), fields(many), text('after the fields')]));
    expectWithinLimits(rendered);
    const shown = rendered.embeds.flatMap((embed) => embed.fields ?? []);
    expect(shown.length).toBeGreaterThan(25);
    expect(shown.length).toBeLessThan(60);
    expect(shown.map((field) => field.name)).toEqual(many.slice(0, shown.length).map(([label]) => label));
    expect(footers(rendered).at(-1)).toMatch(CONTINUES);
  });

  it('packs more than five rows of buttons five to a row, and cuts past 25 buttons', () => {
    const groups = Array.from({ length: 6 }, (_, group) =>
      actions(...Array.from({ length: 2 }, (_, index) => button(`B${group}.${index}`, `a?g=${group}&i=${index}`))),
    );
    const packed = renderDiscordMessage(reply('rows', [text('Twelve buttons in six groups'), ...groups]));
    expectWithinLimits(packed);
    expect(packed.components.map((row) => row.components.length)).toEqual([5, 5, 2]);

    const few = renderDiscordMessage(reply('rows', [text('Two groups'), ...groups.slice(0, 2)]));
    expect(few.components.map((row) => row.components.length)).toEqual([2, 2]);

    const tooMany = renderDiscordMessage(
      reply('rows', [
        text('Thirty buttons'),
        actions(...Array.from({ length: 30 }, (_, index) => button(`Button ${index}`, `a?i=${index}`))),
      ]),
    );
    expectWithinLimits(tooMany);
    expect(customIds(tooMany)).toEqual(Array.from({ length: 25 }, (_, index) => `a?i=${index}`));
    expect(tooMany.embeds[0]?.description).toBe('Thirty buttons');
    expect(footers(tooMany).at(-1)).toMatch(CONTINUES);
  });

  it('splits a text longer than a description over embeds at line breaks, losing nothing', () => {
    const lines = Array.from({ length: 120 }, (_, index) => `line ${index} ${'x'.repeat(30)}`);
    const rendered = renderDiscordMessage(reply('long', [text(lines.join('\n'))]));
    expectWithinLimits(rendered);
    expect(rendered.embeds.length).toBe(2);
    expect(rendered.embeds.map((embed) => embed.description).join('\n')).toBe(lines.join('\n'));
  });

  it('shortens a text beyond what a message holds, with the note', () => {
    const lines = Array.from({ length: 400 }, (_, index) => `line ${index} ${'x'.repeat(30)}`);
    const rendered = renderDiscordMessage(reply('long', [header('Long'), text(lines.join('\n'))]));
    expectWithinLimits(rendered);
    const shown = rendered.embeds.map((embed) => embed.description ?? '').join('\n');
    expect(shown.startsWith('line 0 ')).toBe(true);
    expect(shown.length).toBeGreaterThan(5000);
    expect(footers(rendered).at(-1)).toMatch(CONTINUES);
  });

  it('shortens several code blocks rather than cutting them when together they are too long', () => {
    const stages = Array.from(
      { length: 60 },
      (_, index) => `28 Nov 10:${String(index).padStart(2, '0')}:00 · stage ${index} · failed — ${'m'.repeat(60)}`,
    );
    const rendered = renderDiscordMessage(
      reply('detail', [
        header('Transfer #1042'),
        divider(),
        text('*Stages*'),
        code(stages.join('\n')),
        divider(),
        text('*Original data*'),
        code(longPayload.slice(0, 1500)),
        text('*In the receiving system’s format*'),
        code(longPayload.slice(0, 1500)),
        context('An admin can retry this transfer.'),
      ]),
    );
    expectWithinLimits(rendered);
    const all = rendered.embeds.map((embed) => embed.description ?? '').join('\n');
    expect(all.match(/```/g)).toHaveLength(6);
    expect(all).toContain('An admin can retry this transfer.');
    expect(all).toMatch(/Shortened: [\d,]+ more characters not shown/);
    expect(footers(rendered).some((footer) => CONTINUES.test(footer))).toBe(false);
  });

  it('keeps a code block within its size, never ending it early', () => {
    const fenced = codeBlock('a```b\n'.repeat(1000), 1000);
    expect(fenced.length).toBeLessThanOrEqual(1000);
    expect(fenced.match(/```/g)).toHaveLength(2);
    expect(codeBlock('{}', 100)).toBe('```\n{}\n```');
  });

  it('shortens labels, titles and field texts to their limits; link buttons carry a url, not a custom_id', () => {
    const long = 'y'.repeat(3000);
    const rendered = renderDiscordMessage(
      reply('limits', [
        header(long),
        fields([[long, long]]),
        actions(
          button(long, 'a'),
          linkButton('Open the shop admin', 'https://admin.example.com/orders/1042'),
          linkButton('Too long a link', `https://example.com/${'p'.repeat(600)}`),
        ),
      ]),
    );
    expectWithinLimits(rendered);
    expect(rendered.embeds[0]?.title).toBe(`${'y'.repeat(255)}…`);
    expect(rendered.embeds[0]?.fields?.[0]?.name).toHaveLength(256);
    expect(rendered.embeds[0]?.fields?.[0]?.value).toHaveLength(1024);
    const [plain, link, ...rest] = buttonsOf(rendered);
    expect(plain).toMatchObject({ label: `${'y'.repeat(79)}…`, style: ButtonStyle.Secondary, custom_id: 'a' });
    expect(link).toEqual({
      type: ComponentType.Button,
      style: ButtonStyle.Link,
      label: 'Open the shop admin',
      url: 'https://admin.example.com/orders/1042',
    });
    expect(rest).toEqual([]);
  });

  it('leaves out a repeated button: Discord refuses two with one custom_id', () => {
    const rendered = renderDiscordMessage(
      reply('twice', [
        text('x'),
        actions(button('Subscription', 'subscription.show')),
        actions(button('Again', 'subscription.show')),
      ]),
    );
    expect(customIds(rendered)).toEqual(['subscription.show']);
  });

  it('falls back to the plain action when ask: would make the custom_id longer than 100', () => {
    const confirm = { title: 'Remove?', text: 'Gone for good.', confirm: 'Remove', deny: 'Cancel' };
    const longest = encodeAction('systems.remove', { id: 'x'.repeat(80) });
    expect(customIdOf(button('Remove', longest, { style: 'danger', confirm }))).toBe(longest);
    const usual = encodeAction('systems.remove', { id: 'e-conomic' });
    expect(customIdOf(button('Remove', usual, { style: 'danger', confirm }))).toBe(`ask:${usual}`);
  });

  it('answers only the caller unless the reply is for the channel; content only when there is no embed', () => {
    expect(renderDiscordMessage(notice('Only admins can do this; you are a viewer.'))).toEqual({
      embeds: [{ description: 'Only admins can do this; you are a viewer.', color: expect.any(Number) }],
      components: [],
      flags: EPHEMERAL,
      allowed_mentions: { parse: [] },
    });
    const shared = renderDiscordMessage(
      notice('<@123456789012345678> removed *Shopify*.', { visibility: 'in_channel' }),
    );
    expect(shared).not.toHaveProperty('flags');
    expect(shared.embeds[0]?.description).toBe('<@123456789012345678> removed **Shopify**.');
    expect(renderDiscordMessage(reply('Pick one', [actions(button('One', 'a?i=1'))]))).toMatchObject({
      content: 'Pick one',
      embeds: [],
    });
  });

  it('skips empty blocks', () => {
    expect(
      renderDiscordMessage(reply('x', [header(' '), text('Not linked yet.'), divider(), context(''), code('  ')]))
        .embeds,
    ).toEqual([{ description: 'Not linked yet.', color: expect.any(Number) }]);
  });
});

describe('the Discord renderer: markup', () => {
  it('turns *bold* into **bold** and <url|label> into [label](url); keeps _italic_, `code` and mentions', () => {
    expect(
      toDiscordMarkdown(
        '*Shopify > e-conomic* · `*/15 * * * *` · _paused_ <https://x.example/a?b=1|the log> <@123> <#456> vat_zone',
      ),
    ).toBe(
      '**Shopify > e-conomic** · `*/15 * * * *` · _paused_ [the log](https://x.example/a?b=1) <@123> <#456> vat_zone',
    );
    expect(toDiscordMarkdown('<https://x.example/a>, <mailto:a@b.dk|a@b.dk>, <https://x.example/(b)|[b]>')).toBe(
      'https://x.example/a, a@b.dk, [\\[b\\]](https://x.example/(b%29)',
    );
  });

  it('escapes what Discord would read as markup but the text means literally', () => {
    expect(toDiscordMarkdown('# 1 heading?\n> quote?\n-# small?\n__init__ ~~x~~ a||b|| c:\\dir')).toBe(
      '\\# 1 heading?\n\\> quote?\n\\-# small?\n\\_\\_init\\_\\_ \\~\\~x\\~\\~ a\\|\\|b\\|\\| c:\\\\dir',
    );
    expect(toDiscordMarkdown('`__init__ ~~x~~`')).toBe('`__init__ ~~x~~`');
  });

  it('never splits inside a link, a code span or a mention', () => {
    const link = '[order #1042 in the shop](https://example.com/orders/1042)';
    const pieces = splitMarkdown(`${'a'.repeat(4090)} ${link} and more`, 4096);
    expect(pieces[1]).toContain(link);
    expect(pieces.every((piece) => piece.length <= 4096)).toBe(true);
  });
});

describe('the Discord renderer: custom ids and confirmations', () => {
  it('parses the custom ids it renders', () => {
    expect(parseCustomId('ask:connection.toggle?id=orders&on=0')).toEqual({
      kind: 'ask',
      action: 'connection.toggle?id=orders&on=0',
    });
    expect(parseCustomId('connection.toggle?id=orders&on=0')).toEqual({
      kind: 'action',
      action: 'connection.toggle?id=orders&on=0',
    });
    expect(parseCustomId('cancel')).toEqual({ kind: 'cancel' });
  });

  it('reads the clicked ask: button back from its message and words a confirmation from its label', () => {
    const { components } = renderDiscordMessage(
      reply('x', [text('x'), actions(toggleButton(sampleConnections[0]!, translator('en')))]),
    );
    const asked = askedButton('ask:connection.toggle?id=orders&on=0', components as APIMessageTopLevelComponent[]);
    expect(asked).toEqual({
      label: 'Switch off Shopify > e-conomic (order)',
      action: 'connection.toggle?id=orders&on=0',
      style: 'danger',
    });
    const confirmation = renderConfirmation(asked);
    expect(confirmation.embeds[0]?.title).toBe('Switch off Shopify > e-conomic (order)?');
    expect(customIds(confirmation)).toEqual(['connection.toggle?id=orders&on=0', 'cancel']);
    expectWithinLimits(confirmation);

    expect(askedButton('ask:settings.integration?on=0')).toEqual({
      label: 'Go ahead',
      action: 'settings.integration?on=0',
    });
    expect(buttonsOf(renderConfirmation(askedButton('ask:settings.integration?on=0')))[0]).toMatchObject({
      style: ButtonStyle.Primary,
    });
  });

  it('turns a cancelled confirmation into a notice without buttons', () => {
    expect(renderCancelled()).toMatchObject({
      content: expect.stringMatching(/^Cancelled/),
      embeds: [],
      components: [],
    });
  });
});
