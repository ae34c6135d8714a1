import { installerLanguage } from '../../bots/slack/oauth-pages';
import { renderMessage } from '../../bots/slack/render';
import { renderCancelled, renderConfirmation, renderDiscordMessage } from '../../bots/discord/render';
import { code, context, reply, text, type Reply } from '../../src/chat/reply';
import { translator } from '../../src/i18n';

/** A reply too long for one message: many texts, then a code block longer than a section holds. */
const long = (language?: 'da' | 'en'): Reply => ({
  ...reply('Lang', [
    ...Array.from({ length: 80 }, (_, index) => text(`Linje ${index} ${'x'.repeat(200)}`)),
    code('{"a": 1}\n'.repeat(2000)),
    context('slut'),
  ]),
  ...(language ? { language } : {}),
});

describe("the platforms' own words, in the reply's language", () => {
  it('Slack: a shortened code block and a list that continues say so in Danish for a Danish reply', () => {
    const danish = JSON.stringify(renderMessage({ ...reply('Kode', [code('x\n'.repeat(5000))]), language: 'da' }));
    expect(danish).toMatch(/Forkortet: \d+ tegn mere vises ikke/);
    expect(danish).not.toContain('Shortened');
    expect(JSON.stringify(renderMessage(long('da')))).toContain('Listen fortsætter: Slack viser højst');
    // Without a language (tests, old callers) it stays English.
    expect(JSON.stringify(renderMessage(long()))).toContain('The list continues: Slack shows at most');
  });

  it('Discord: the note that the list continues, the confirmation and the cancel, in Danish', () => {
    const danish = JSON.stringify(renderDiscordMessage(long('da')));
    expect(danish).toContain('Listen fortsætter: en Discord-besked kan ikke rumme mere');
    expect(danish).not.toContain('The list continues');
    const da = translator('da');
    const asked = renderConfirmation({ label: 'Slet', action: 'x.y', style: 'danger' }, da);
    expect(JSON.stringify(asked)).toContain('Denne ændring er svær at fortryde, så du bliver spurgt først.');
    expect(JSON.stringify(asked)).toContain('Annullér');
    expect(renderCancelled(da).content).toBe('Annulleret: intet blev ændret.');
    expect(renderCancelled().content).toBe('Cancelled: nothing was changed.');
  });

  it("Slack's installation pages speak the installer's browser language, Danish by default", () => {
    const of = (header?: string) =>
      installerLanguage({ headers: header ? { 'accept-language': header } : {} }).language;
    expect(of('da-DK,da;q=0.9,en;q=0.8')).toBe('da');
    expect(of('en-GB,en;q=0.9')).toBe('en');
    expect(of('fr-FR,fr;q=0.9,en;q=0.5,da;q=0.4')).toBe('en');
    expect(of('en;q=0.2, da;q=0.8')).toBe('da');
    expect(of('fr-FR')).toBe('da');
    expect(of('*')).toBe('da');
    expect(of()).toBe('da');
  });
});
