import { renderText } from '../../src/chat/render-text';
import { homeReply } from '../../src/commands/catalog/status';
import { translator } from '../../src/i18n';
import { sampleHomeView } from '../fixtures/home-view';

const en = translator('en');
const da = translator('da');

describe('/iex status: failing now, apart from failed this period', () => {
  it('says how many of the period’s failures are still failing', () => {
    const shown = renderText(homeReply(sampleHomeView, en));
    expect(shown).toContain('134 transferred');
    expect(shown).toContain('· 3 failed');
    expect(shown).toContain(
      'Failed counts every failure this period, also those a retry has fixed since: 2 are failing now.',
    );
    expect(shown).toContain('Failing now: 2');
  });

  it('says nothing is failing when every failure of the period was retried to success', () => {
    const shown = renderText(homeReply({ ...sampleHomeView, recentFailures: [], failingNow: 0 }, en));
    expect(shown).toContain('· 3 failed');
    expect(shown).toContain('0 are failing now.');
    expect(shown).toContain('Failing now: none');
    expect(shown).not.toContain('Retry failed');
  });

  it('says the same in Danish, with the plural the count takes', () => {
    const shown = renderText(homeReply({ ...sampleHomeView, heldCount: 1 }, da));
    expect(shown).toContain('· 3 fejlede');
    expect(shown).toContain('2 fejler nu.');
    expect(shown).toContain('Fejler nu: 2');
    expect(shown).toContain('1 overførsel er tilbageholdt');
    expect(renderText(homeReply({ ...sampleHomeView, heldCount: 3 }, da))).toContain('3 overførsler er tilbageholdt');
    expect(renderText(homeReply({ ...sampleHomeView, heldCount: 1 }, en))).toContain(
      '1 transfer is held until what it needs',
    );
  });
});
