import { encodeAction } from '../../src/chat/actions';
import { actions, button, code, context, divider, fields, header, linkButton, reply, text } from '../../src/chat/reply';
import { MAX_SUBJECT_CHARS, renderMail } from '../../src/services/mail/render';
import { markupToHtml, markupToPlain } from '../../src/chat/markup';
import { renderReplyHtml } from '../../src/chat/render-html';
import { renderText } from '../../src/chat/render-text';
import { translator } from '../../src/i18n';

const EN = translator('en');

const LINK = 'https://chatops.example.com/view/transfer/acme/order-1?exp=1900000000&sig=a_b_c-d_e_';
const HREF = LINK.replace('&', '&amp;');

/** A failure alert as the notifier posts it: a headline, the error, fields, chat buttons and the link. */
const alert = reply(
  '1 order failed · Shopify > e-conomic · Unknown VAT zone',
  [
    text('*1 order failed · Shopify > e-conomic · Unknown VAT zone*'),
    text('Unknown VAT zone for country "NO" on order #1012 <script>alert(1)</script>'),
    fields([
      ['Last', '#1012 at 13:05'],
      ['Error', '`economic.vat_zone_unknown`'],
    ]),
    actions(
      button('Retry', encodeAction('retry.ask', { conn: 'orders', code: 'x' }), { style: 'primary' }),
      button('Mute 1 h', encodeAction('alert.mute', { conn: 'orders', h: 1 })),
      linkButton('Open transfer', LINK),
    ),
  ],
  { visibility: 'in_channel' },
);

describe('the chat markup outside chat', () => {
  it('turns bold, italic, code, links and mentions into escaped HTML', () => {
    expect(
      markupToHtml(
        '*Error* _here_: `a_b*c*` on <https://x.example/a?b=1&c=2|the "order"> for <@U123|ann> in <#C42|ops> & co',
      ),
    ).toBe(
      '<strong>Error</strong> <em>here</em>: <code>a_b*c*</code> on <a href="https://x.example/a?b=1&amp;c=2">the &quot;order&quot;</a> for <strong>@ann</strong> in <strong>#ops</strong> &amp; co',
    );
  });

  it('keeps the underscores and stars of a URL, in HTML and in text', () => {
    const withLink = `see <${LINK}|the transfer> and _this_`;
    expect(markupToHtml(withLink)).toBe(`see <a href="${HREF}">the transfer</a> and <em>this</em>`);
    expect(markupToPlain(withLink)).toBe(`see the transfer (${LINK}) and this`);
  });

  it('never lets markup open an element or a javascript: link', () => {
    const html = markupToHtml('<javascript:alert(1)|x> <img src=x onerror=alert(1)> "quoted" \'single\'');
    expect(html).not.toMatch(/<(?!\/?(strong|em|code|a |a>|br))/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;quoted&quot; &#39;single&#39;');
    expect(html).not.toContain('href="javascript');
  });

  it('turns mentions into plain names in text, and a bare link into its URL', () => {
    expect(markupToPlain('<@U1> <#C2> <!here> <mailto:ops@example.com|ops@example.com> <https://a.example>')).toBe(
      '@U1 #C2 @here ops@example.com https://a.example',
    );
  });
});

describe('a reply as HTML and as plain text', () => {
  const all = reply('Everything', [
    header('Transfer #1012'),
    fields([['Status', '❌ failed']]),
    divider(),
    context('_3 stages_'),
    code('{\n  "id": "<1012>"\n}\n'),
    header('Second'),
  ]);

  it('renders every kind of block, the first header as the title', () => {
    expect(renderReplyHtml(all)).toBe(
      [
        '<h1>Transfer #1012</h1>',
        '<table class="fields"><tr><th>Status</th><td>❌ failed</td></tr></table>',
        '<hr>',
        '<p class="context"><em>3 stages</em></p>',
        '<pre><code>{\n  &quot;id&quot;: &quot;&lt;1012&gt;&quot;\n}</code></pre>',
        '<h2>Second</h2>',
      ].join('\n'),
    );
    expect(renderText(all, { buttons: 'links', spaced: true })).toBe(
      [
        'Transfer #1012\n==============',
        'Status: ❌ failed',
        '─'.repeat(60),
        '3 stages',
        '    {\n      "id": "<1012>"\n    }',
        'Second\n======',
      ].join('\n\n'),
    );
  });

  it('drops chat buttons from a read-only page, or names them for a mail; link buttons stay links', () => {
    const page = renderReplyHtml(alert, { chatButtons: 'omit' });
    expect(page).toContain(`<a class="button" href="${HREF}">Open transfer</a>`);
    expect(page).not.toContain('Retry');
    const mail = renderReplyHtml(alert, { chatButtons: 'list' });
    expect(mail).toContain('<p class="context">In Slack or Discord: Retry · Mute 1 h</p>');
    expect(renderText(alert, { buttons: 'links', chatButtons: 'list', spaced: true })).toContain(
      `Open transfer: ${LINK}\nIn Slack or Discord: Retry · Mute 1 h`,
    );
  });

  it('falls back to the fallback text for a reply without blocks', () => {
    expect(renderReplyHtml(reply('Only *this*', []))).toBe('<p>Only <strong>this</strong></p>');
    expect(renderText(reply('Only *this*', []), { buttons: 'links', spaced: true })).toBe('Only this');
  });
});

describe('an alert as a mail', () => {
  const mail = renderMail(alert, {
    t: EN,
    to: 'ops@example.com',
    tenantName: 'Nordic Shop',
    trigger: 'transfer.failed',
  });

  it('has a one-line subject: the integration, then the fallback', () => {
    expect(mail.subject).toBe('Nordic Shop: 1 order failed · Shopify > e-conomic · Unknown VAT zone');
    const long = renderMail(reply(`Line one\nline two ${'x'.repeat(300)}`, []), { t: EN, to: 'a@b.dk' });
    expect(long.subject).toHaveLength(MAX_SUBJECT_CHARS);
    expect(long.subject).toMatch(/^Line one line two x+…$/);
  });

  it('reads in plain text: the message, the link, and why the reader gets it', () => {
    expect(mail.text).toBe(
      [
        '1 order failed · Shopify > e-conomic · Unknown VAT zone',
        '',
        'Unknown VAT zone for country "NO" on order #1012 <script>alert(1)</script>',
        '',
        'Last: #1012 at 13:05',
        'Error: `economic.vat_zone_unknown`',
        '',
        `Open transfer: ${LINK}`,
        'In Slack or Discord: Retry · Mute 1 h',
        '',
        '-- ',
        'ops@example.com gets this mail from Nordic Shop when transfers fail (one message per kind of failure, updated with the count). Change who gets it in Slack or Discord with `/iex notify`.',
        '',
      ].join('\n'),
    );
  });

  it('reads in HTML: a whole document, everything escaped, the link a link', () => {
    expect(mail.html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(mail.html).toContain(
      '<title>Nordic Shop: 1 order failed · Shopify &gt; e-conomic · Unknown VAT zone</title>',
    );
    expect(mail.html).toContain('<p><strong>1 order failed · Shopify &gt; e-conomic · Unknown VAT zone</strong></p>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(`<a class="button" href="${HREF}">Open transfer</a>`);
    expect(mail.html).toContain('<footer>ops@example.com gets this mail from Nordic Shop when');
    expect(mail.html).toContain('<code>/iex notify</code>');
  });

  it('says less in the footer when it knows less', () => {
    const bare = renderMail(reply('Hello', [text('Hello')]), { t: EN, to: 'a@b.dk' });
    expect(bare.subject).toBe('Hello');
    expect(bare.text).toContain('a@b.dk is a notification recipient. Change who gets it');
  });
});

describe("a mail in the tenant's language", () => {
  it('says in Danish why the reader gets it and which buttons work in chat, with lang="da"', () => {
    const mail = renderMail(alert, {
      t: translator('da'),
      to: 'ops@example.com',
      tenantName: 'Nordic Shop',
      trigger: 'transfer.failed',
    });
    expect(mail.text).toContain('I Slack eller Discord: Retry · Mute 1 h');
    expect(mail.text).toContain(
      'ops@example.com får denne mail fra Nordic Shop, når overførsler fejler (én besked pr. slags fejl, opdateret med antallet). Skift, hvem der får den, i Slack eller Discord med `/iex notify`.',
    );
    expect(mail.html).toMatch(/^<!doctype html>\n<html lang="da">/);
    expect(mail.html).toContain('<p class="context">I Slack eller Discord: Retry · Mute 1 h</p>');
    expect(mail.text).not.toContain('gets this mail');
  });
});
