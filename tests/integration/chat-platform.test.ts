import express from 'express';
import { randomBytes } from 'node:crypto';
import type { ChatPlatform, PlatformSetup } from '../../bots/chat-platform';
import { CHAT_PLATFORMS } from '../../src/app';
import { renderText } from '../../src/chat/render-text';
import { createTestTenant } from '../fixtures/tenants';
import { startTestApp, type RunningApp } from '../support/running-app';

/**
 * A chat platform of the test's own, as small as one can be: commands arrive as JSON at its one
 * route and are answered in the response, as plain text. Adding it to the service is the list
 * handed to createApp (CHAT_PLATFORMS plus this one), nothing else.
 */
function fakeChat(events: string[]): PlatformSetup {
  return ({ core }) => {
    const router = express.Router();
    router.post('/', express.json(), (req, res, next) => {
      const { workspace, user, text } = req.body as { workspace: string; user: string; text: string };
      core
        .handleCommand({ platform: 'fakechat', workspaceId: workspace, userId: user }, text.replace(/^\/iex\s*/, ''))
        .then((reply) => res.type('text/plain').send(renderText(reply)))
        .catch(next);
    });
    const platform: ChatPlatform = {
      name: 'fakechat',
      routes: [{ path: '/fakechat/commands', router }],
      naming: {
        title: 'Fakechat',
        mention: (userId) => `@${userId}`,
        userIdIn: (word) => /^@(\w+)$/.exec(word)?.[1],
        channel: (channelId) => `~${channelId}`,
        channelIdIn: (word) => /^~([a-z-]+)$/.exec(word)?.[1],
      },
      async start() {
        events.push('start');
      },
      async stop() {
        events.push('stop');
      },
      async refreshHome() {},
    };
    return platform;
  };
}

describe('a chat platform added by one line in the composition root', () => {
  const events: string[] = [];
  let running: RunningApp;
  let tenantId: string;
  const workspace = `W${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    running = await startTestApp({}, { platforms: [...CHAT_PLATFORMS, fakeChat(events)] });
    ({ tenantId } = await createTestTenant(running.store.models));
    await running.store.models.Binding.create({
      platform: 'fakechat',
      workspaceId: workspace,
      channelId: '',
      tenantId,
    });
    await running.store.models.Member.create({ tenantId, platform: 'fakechat', platformUserId: 'anna', role: 'owner' });
  });

  afterAll(async () => {
    await running?.stop();
  });

  const command = async (text: string, user = 'anna') => {
    const response = await fetch(`${running.app.url()}/fakechat/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace, user, text }),
    });
    expect(response.status).toBe(200);
    return response.text();
  };

  it('is started with the service, beside the platforms it ships with', () => {
    expect(events).toEqual(['start']);
    expect(running.app.platforms.map((platform) => platform.name)).toEqual(['fakechat']);
  });

  it('answers /iex status from the real store for the tenant its workspace is bound to', async () => {
    const answer = await command('/iex status');
    expect(answer).toContain(`Shop ${tenantId} — Home`);
    expect(answer).toContain('0 of 500');
  });

  it('names people its own way in the replies of the core', async () => {
    const settings = await command('/iex settings');
    expect(settings).toContain('@anna');
    expect(settings).not.toContain('<@anna>');
  });

  it('names channels its own way: a notification rule for one of its channels is stored under its name', async () => {
    const answer = await command('/iex notify add digest ~town-square');
    expect(answer).toContain('~town-square');
    const rules = await running.store.models.NotificationRule.find({ tenantId }).lean();
    expect(rules.map((rule) => rule.recipient)).toEqual([{ kind: 'fakechat', target: 'town-square' }]);
  });

  it('is stopped with the service', async () => {
    await running.app.stop();
    expect(events).toEqual(['start', 'stop']);
    // afterAll stops it again; a second stop must not hang.
    running.app = { ...running.app, stop: async () => undefined };
  });
});
