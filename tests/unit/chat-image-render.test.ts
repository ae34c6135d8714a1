import { discordFiles, renderDiscordMessage } from '../../bots/discord/render';
import { picturesToUpload } from '../../bots/slack/pictures';
import { renderHomeView, renderResponse } from '../../bots/slack/render';
import { header, reply, text, type Block, type ImageContent } from '../../src/chat/reply';

/** The renderers pass a picture's bytes on untouched; these stand for a PNG. */
const tinyPng = () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

const image = (extra: Partial<ImageContent> = {}): Block => ({
  type: 'image',
  image: {
    png: tinyPng(),
    width: 2,
    height: 1,
    alt: 'Orders in December 2026: 5 created, 0 updated, 2 failed.',
    fileName: 'usage-2026-12.png',
    ...extra,
  },
});

describe('pictures in replies', () => {
  it('Slack: a picture without a link is uploaded, and the message states its numbers in words', () => {
    const status = reply('Acme: active', [header('Acme — Home'), text('This period'), image()]);
    const rendered = renderResponse(status);
    expect(rendered.blocks).toContainEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Orders in December 2026: 5 created, 0 updated, 2 failed.' }],
    });
    expect(rendered.blocks.some((block) => block.type === 'image')).toBe(false);
    expect(picturesToUpload(status).map((picture) => picture.fileName)).toEqual(['usage-2026-12.png']);
  });

  it('Slack: the answer says where the uploaded picture goes, in the reply language', () => {
    const notes = (rendered: ReturnType<typeof renderResponse>) =>
      rendered.blocks.flatMap((block) =>
        block.type === 'context' ? block.elements.map((element) => ('text' in element ? element.text : '')) : [],
      );
    const ephemeral = reply('Acme: active', [image()]);
    expect(notes(renderResponse(ephemeral))).toContain('_The picture comes as a file in your messages with the app._');
    const danish = { ...reply('Acme: aktiv', [image()], { visibility: 'in_channel' }), language: 'da' as const };
    expect(notes(renderResponse(danish))).toContain('_Billedet følger som en fil i denne kanal._');
    const linked = reply('Acme: active', [image({ url: 'https://iex.example/view/usage/t-1/chart.png?sig=a' })]);
    expect(notes(renderResponse(linked)).join()).not.toMatch(/messages with the app/);
  });

  it('Slack: a picture with a signed link shows inline, in a message and on the App Home, with nothing to upload', () => {
    const url = 'https://iex.example/view/usage/t-1/chart.png?exp=1&sig=abc';
    const status = reply('Acme: active', [header('Acme — Home'), image({ url })]);
    const inline = {
      type: 'image',
      image_url: url,
      alt_text: 'Orders in December 2026: 5 created, 0 updated, 2 failed.',
    };
    expect(renderResponse(status).blocks).toContainEqual(inline);
    expect(renderHomeView(status).blocks).toContainEqual(inline);
    expect(picturesToUpload(status)).toEqual([]);
  });

  it('Discord: the picture is files[0], named in attachments with its alt text, and shown by the embed', () => {
    const status = reply('Acme: active', [header('Acme — Home'), text('This period'), image()]);
    const rendered = renderDiscordMessage(status);
    expect(rendered.embeds).toHaveLength(1);
    expect(rendered.embeds[0]).toMatchObject({
      title: 'Acme — Home',
      description: 'This period',
      image: { url: 'attachment://usage-2026-12.png' },
    });
    expect(rendered.attachments).toEqual([
      { id: 0, filename: 'usage-2026-12.png', description: 'Orders in December 2026: 5 created, 0 updated, 2 failed.' },
    ]);
    const files = discordFiles(status, rendered);
    expect(files).toEqual([{ name: 'usage-2026-12.png', data: tinyPng(), contentType: 'image/png' }]);
  });

  it('Discord: a second picture takes an embed of its own, and each file is named as its attachment', () => {
    const two = reply('Usage', [header('Usage'), image(), image({ fileName: 'usage 2026-11.png' })]);
    const rendered = renderDiscordMessage(two);
    expect(rendered.embeds.map((embed) => embed.image?.url)).toEqual([
      'attachment://usage-2026-12.png',
      'attachment://usage_2026-11.png',
    ]);
    expect(discordFiles(two, rendered).map((file) => file.name)).toEqual(['usage-2026-12.png', 'usage_2026-11.png']);
    expect(rendered.attachments?.map((attachment) => attachment.id)).toEqual([0, 1]);
  });

  it('Discord: a reply without pictures has no attachments', () => {
    const rendered = renderDiscordMessage(reply('Done', [text('Done')]));
    expect(rendered.attachments).toBeUndefined();
    expect(discordFiles(reply('Done', [text('Done')]), rendered)).toEqual([]);
  });
});
