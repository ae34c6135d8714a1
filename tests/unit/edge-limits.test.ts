import { malformedInteraction } from '../../bots/discord/interaction-shape';
import { malformedSlackRequest } from '../../bots/slack/request-shape';
import { describeIssues, ID_MAX_LENGTH, REFERENCE_MAX_LENGTH, transferEventSchema } from '../../src/domain/events';
import {
  fitReference,
  rawWebhookSchema,
  SHOPIFY_WEBHOOK_ID_MAX_LENGTH,
  shopifyReceivedEventId,
  shopifyReference,
  shopifyTransferId,
} from '../../src/domain/webhooks';
import { transferEvent } from '../fixtures/transfer-events';

describe('what a Shopify webhook becomes fits the event contract', () => {
  const rawWebhook = (webhookId: string) => ({
    id: `shopify:${webhookId}`,
    source: 'shopify',
    tenantId: 'acme',
    topic: 'orders/create',
    webhookId,
    receivedAt: new Date().toISOString(),
    payload: {},
  });

  it('takes the longest webhook id whose transfer and event ids are still valid ids, and no longer', () => {
    const longest = 'w'.repeat(SHOPIFY_WEBHOOK_ID_MAX_LENGTH);
    expect(rawWebhookSchema.safeParse(rawWebhook(longest)).success).toBe(true);
    expect(shopifyReceivedEventId(longest)).toHaveLength(ID_MAX_LENGTH);
    const event = transferEvent({
      id: shopifyReceivedEventId(longest),
      transferId: shopifyTransferId(longest),
    });
    expect(transferEventSchema.safeParse(event).success).toBe(true);

    const tooLong = rawWebhookSchema.safeParse(rawWebhook(`${longest}w`));
    expect(tooLong.success).toBe(false);
    expect(describeIssues(tooLong.error!)).toEqual([
      `webhookId: Too big: expected string to have <=${SHOPIFY_WEBHOOK_ID_MAX_LENGTH} characters`,
    ]);
  });

  it('cuts a reference longer than the contract allows, marked, never inside a surrogate pair', () => {
    const title = 'T'.repeat(300);
    const reference = shopifyReference('products/create', { title })!;
    expect(reference).toHaveLength(REFERENCE_MAX_LENGTH);
    expect(reference.endsWith('…')).toBe(true);
    expect(transferEventSchema.safeParse(transferEvent({ reference })).success).toBe(true);
    expect(shopifyReference('orders/create', { name: '#1001' })).toBe('#1001');

    const emoji = `${'a'.repeat(REFERENCE_MAX_LENGTH - 2)}😀😀`;
    const cut = fitReference(emoji);
    expect(cut.length).toBeLessThanOrEqual(REFERENCE_MAX_LENGTH);
    expect(cut).toBe(`${'a'.repeat(REFERENCE_MAX_LENGTH - 2)}…`);
    expect(fitReference('x'.repeat(REFERENCE_MAX_LENGTH))).toBe('x'.repeat(REFERENCE_MAX_LENGTH));
  });
});

describe('malformedSlackRequest: what Bolt could not handle', () => {
  const command = {
    command: '/iex',
    text: 'status',
    user_id: 'U1',
    team_id: 'T1',
    response_url: 'https://hooks.slack.test/1',
    trigger_id: '1.2',
  };

  it('passes well-formed commands, events, clicks and other typed bodies', () => {
    expect(malformedSlackRequest(command)).toBeUndefined();
    expect(malformedSlackRequest({ ...command, text: '' })).toBeUndefined();
    expect(
      malformedSlackRequest({ type: 'event_callback', event: { type: 'app_home_opened', user: 'U1' } }),
    ).toBeUndefined();
    expect(
      malformedSlackRequest({
        type: 'block_actions',
        user: { id: 'U1' },
        team: null,
        actions: [{ type: 'button', action_id: 'iex:x' }],
      }),
    ).toBeUndefined();
    expect(malformedSlackRequest({ type: 'view_closed', extra: { $where: 1 } })).toBeUndefined();
  });

  it('names what is wrong with a malformed body', () => {
    expect(malformedSlackRequest(null)).toBe('the body is not an object');
    expect(malformedSlackRequest(42)).toBe('the body is not an object');
    expect(malformedSlackRequest([])).toBe('the body is not an object');
    expect(malformedSlackRequest({ type: 'event_callback', event: null })).toMatch(/^event: /);
    expect(malformedSlackRequest({ type: 'event_callback', event: 'x' })).toMatch(/^event: /);
    expect(malformedSlackRequest({ type: 'event_callback', event: {} })).toMatch(/^event\.type: /);
    expect(malformedSlackRequest({ token: 'x' })).toMatch(/^type: /);
    const { text: _text, ...withoutText } = command;
    expect(malformedSlackRequest(withoutText)).toMatch(/^text: /);
    expect(malformedSlackRequest({ type: 'block_actions', user: { id: 'U1' }, actions: [] })).toMatch(/^actions: /);
    expect(malformedSlackRequest({ type: 'block_actions', actions: [{ type: 'button', action_id: 'a' }] })).toMatch(
      /^user: /,
    );
  });
});

describe('malformedInteraction: what the Discord handler could not run', () => {
  const member = { user: { id: '1' }, permissions: '0', roles: [] };
  const envelope = { id: '1', token: 't', guild_id: '9', member };

  it('passes a PING and well-formed commands, clicks, suggestions and DMs', () => {
    expect(malformedInteraction({ type: 1 })).toBeUndefined();
    expect(
      malformedInteraction({
        ...envelope,
        type: 2,
        data: {
          name: 'iex',
          type: 1,
          options: [{ name: 'log', type: 1, options: [{ name: 's', type: 3, value: 'x' }] }],
        },
      }),
    ).toBeUndefined();
    expect(
      malformedInteraction({ id: '1', token: 't', user: { id: '1' }, type: 2, data: { name: 'iex', type: 1 } }),
    ).toBeUndefined();
    expect(
      malformedInteraction({ ...envelope, type: 3, data: { custom_id: 'cancel', component_type: 2 }, message: {} }),
    ).toBeUndefined();
    expect(malformedInteraction({ ...envelope, type: 5, data: { custom_id: 'm' } })).toBeUndefined();
  });

  it('names what is wrong with a malformed body', () => {
    expect(malformedInteraction(null)).toBe('the body is not an object');
    expect(malformedInteraction({})).toBe('type: required, a number');
    expect(malformedInteraction({ type: '2' })).toBe('type: required, a number');
    expect(malformedInteraction({ ...envelope, type: 99 })).toBe('type: 99 is not an interaction type');
    expect(malformedInteraction({ ...envelope, type: 2 })).toMatch(/^data: /);
    expect(malformedInteraction({ ...envelope, type: 2, data: { name: 'iex', type: 1, options: 'x' } })).toMatch(
      /^data\.options: /,
    );
    expect(malformedInteraction({ ...envelope, type: 3, data: { component_type: 2 }, message: {} })).toMatch(
      /^data\.custom_id: /,
    );
    expect(malformedInteraction({ ...envelope, type: 4 })).toMatch(/^data: /);
    expect(
      malformedInteraction({ ...envelope, member: { user: null }, type: 2, data: { name: 'iex', type: 1 } }),
    ).toMatch(/^member\./);
    expect(malformedInteraction({ type: 2, data: { name: 'iex', type: 1 } })).toMatch(/id: /);
  });
});
