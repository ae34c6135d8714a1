import { captureLogger } from '../support/test-env';

describe('logs', () => {
  it('never carry secrets, signatures or tokens', () => {
    const { logger, records } = captureLogger();
    logger.info(
      {
        secret: 'shh',
        tenant: { webhookSecret: 'whsec_1', name: 'Acme' },
        req: { headers: { authorization: 'Bearer xoxb-1', 'x-slack-signature': 'v0=abc', host: 'iex.example' } },
      },
      'request',
    );
    expect(records[0]).toMatchObject({
      secret: '[redacted]',
      tenant: { webhookSecret: '[redacted]', name: 'Acme' },
      req: { headers: { authorization: '[redacted]', 'x-slack-signature': '[redacted]', host: 'iex.example' } },
    });
  });
});
