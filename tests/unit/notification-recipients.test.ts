import { describeRecipient, parseRecipient, parseTrigger } from '../../src/domain/notifications';

const slackHere = { platform: 'slack', channelId: 'C0HERE0001' };

describe('notification recipients as people type them', () => {
  it('reads Slack and Discord channel mentions and bare channel ids', () => {
    expect(parseRecipient('<#C0SHOPALERT|shop-alerts>', slackHere)).toEqual({ kind: 'slack', target: 'C0SHOPALERT' });
    expect(parseRecipient('<#C0SHOPALERT|>', slackHere)).toEqual({ kind: 'slack', target: 'C0SHOPALERT' });
    expect(parseRecipient('<#112233445566778899>', slackHere)).toEqual({
      kind: 'discord',
      target: '112233445566778899',
    });
    expect(parseRecipient('G0PRIVATE01', slackHere)).toEqual({ kind: 'slack', target: 'G0PRIVATE01' });
    expect(parseRecipient('112233445566778899', slackHere)).toEqual({ kind: 'discord', target: '112233445566778899' });
  });

  it("takes `here` as the channel of the command, on the caller's platform", () => {
    expect(parseRecipient('here', slackHere)).toEqual({ kind: 'slack', target: 'C0HERE0001' });
    expect(parseRecipient('HERE', { platform: 'discord', channelId: '998877665544332211' })).toEqual({
      kind: 'discord',
      target: '998877665544332211',
    });
    expect(parseRecipient('here', { platform: 'console' })).toEqual({
      error: expect.stringMatching(/Slack or Discord channel/),
      problem: 'here_without_channel',
      input: 'here',
    });
  });

  it('validates e-mail addresses, also as Slack links them', () => {
    expect(parseRecipient('Finance@Shop.dk', slackHere)).toEqual({ kind: 'email', target: 'finance@shop.dk' });
    expect(parseRecipient('<mailto:ops@shop.dk|ops@shop.dk>', slackHere)).toEqual({
      kind: 'email',
      target: 'ops@shop.dk',
    });
    expect(parseRecipient('ops@shop', slackHere)).toEqual({
      error: '`ops@shop` is not a valid e-mail address.',
      problem: 'bad_email',
      input: 'ops@shop',
    });
  });

  it('says why a channel name without its id or a stray word is not a recipient', () => {
    expect(parseRecipient('#shop-alerts', slackHere)).toEqual({
      error: expect.stringMatching(/arrived as plain text/),
      problem: 'channel_without_id',
      input: '#shop-alerts',
    });
    expect(parseRecipient('everyone', slackHere)).toEqual({
      error: expect.stringMatching(/is not a channel or an e-mail address/),
      problem: 'unknown',
      input: 'everyone',
    });
  });

  it('shows a channel as a mention on its own platform and by id elsewhere', () => {
    expect(describeRecipient({ kind: 'slack', target: 'C1' }, 'slack')).toBe('<#C1>');
    expect(describeRecipient({ kind: 'slack', target: 'C1' }, 'discord')).toBe('Slack channel `C1`');
    expect(describeRecipient({ kind: 'email', target: 'a@b.dk' }, 'slack')).toBe('a@b.dk');
  });

  it('knows the triggers, whatever their case', () => {
    expect(parseTrigger('Transfer.Failed')).toBe('transfer.failed');
    expect(parseTrigger('failures')).toBeUndefined();
  });
});
