import { renderText } from '../../src/chat/render-text';
import { homeReply } from '../../src/commands/catalog/status';
import { sampleHomeView } from '../fixtures/home-view';

describe('/iex status: failing now, apart from failed this period', () => {
  it('says how many of the period’s failures are still failing', () => {
    const shown = renderText(homeReply(sampleHomeView));
    expect(shown).toContain('134 transferred');
    expect(shown).toContain('· 3 failed');
    expect(shown).toContain(
      'Failed counts every failure this period, also those a retry has fixed since: 2 are failing now.',
    );
    expect(shown).toContain('Failing now: 2');
  });

  it('says nothing is failing when every failure of the period was retried to success', () => {
    const shown = renderText(homeReply({ ...sampleHomeView, recentFailures: [], failingNow: 0 }));
    expect(shown).toContain('· 3 failed');
    expect(shown).toContain('0 are failing now.');
    expect(shown).toContain('Failing now: none');
    expect(shown).not.toContain('Retry failed');
  });
});
