import type { ExpressReceiver } from '@slack/bolt';
import type { Logger } from '../../src/config/logger';

/** What the bot asks of each workspace (the manifest's oauth_config.scopes.bot). */
export const SLACK_BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'users:read',
  'files:write',
  'im:write',
] as const;

type InstallerOptions = NonNullable<ConstructorParameters<typeof ExpressReceiver>[0]['installerOptions']>;
type CallbackOptions = NonNullable<InstallerOptions['callbackOptions']>;

/** The redirect answered wrongly by the browser's side, not by us or Slack: 400, not 500. */
const REFUSED = new Set(['slack_oauth_missing_state', 'slack_oauth_invalid_state', 'slack_oauth_missing_code']);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

/**
 * What the installer sees when Slack sends them back to SLACK_OAUTH_REDIRECT_PATH: on success, the
 * next step (link the workspace to the shop with a code); on failure, why, without details an
 * attacker could use. A refused state (forged, expired, another browser's) stores nothing.
 */
export function oauthCallbackOptions(logger: Logger): CallbackOptions {
  return {
    success: (installation, _options, _req, res) => {
      const where = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page(
          'IEX ChatOps is installed',
          `<p>The app is now in <strong>${escapeHtml(where)}</strong>.</p>
<p>Next, link the workspace to your shop: in any channel, type <code>/iex link CODE</code> with the link code IEX gave you.
Then <code>/iex status</code> shows your integration.</p>`,
        ),
      );
    },
    failure: (error, _options, _req, res) => {
      const refused = REFUSED.has(error.code);
      logger.warn(
        { code: error.code },
        refused
          ? 'refused a Slack OAuth redirect: its state or code is missing or not ours'
          : 'a Slack installation failed',
      );
      res.writeHead(refused ? 400 : 500, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page(
          'The installation did not complete',
          refused
            ? '<p>This link is not valid here, or it has expired. Start again from the <a href="install">Add to Slack</a> page, in this browser.</p>'
            : '<p>Slack did not confirm the installation. Please try again from the <a href="install">Add to Slack</a> page.</p>',
        ),
      );
    },
  };
}
