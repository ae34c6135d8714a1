import type { ExpressReceiver } from '@slack/bolt';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../src/config/logger';
import { DEFAULT_LANGUAGE, languageOfLocale, translator, type Translator } from '../../src/i18n';

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

/**
 * The installer's language, from their browser's Accept-Language (the first of ours it names, by
 * preference); the installation belongs to no tenant yet.
 */
export function installerLanguage(req: Pick<IncomingMessage, 'headers'>): Translator {
  const ranked = String(req.headers['accept-language'] ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((param) => param.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { language: languageOfLocale(tag), q: Number.isNaN(q) ? 0 : q, index };
    })
    .filter((entry) => entry.language && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return translator(ranked[0]?.language ?? DEFAULT_LANGUAGE);
}

const page = (t: Translator, title: string, body: string) => `<!doctype html>
<html lang="${t.language}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

/**
 * What the installer sees when Slack sends them back to SLACK_OAUTH_REDIRECT_PATH: on success, the
 * next step (link the workspace to the shop with a code); on failure, why, without details an
 * attacker could use. A refused state (forged, expired, another browser's) stores nothing.
 */
export function oauthCallbackOptions(logger: Logger): CallbackOptions {
  return {
    success: (installation, _options, req, res) => {
      const t = installerLanguage(req);
      const where =
        installation.team?.name ?? installation.enterprise?.name ?? t.t('bots.slack.installed.yourWorkspace');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page(t, t.t('bots.slack.installed.title'), t.t('bots.slack.installed.body', { where: escapeHtml(where) })),
      );
    },
    failure: (error, _options, req, res) => {
      const t = installerLanguage(req);
      const refused = REFUSED.has(error.code);
      logger.warn(
        { code: error.code },
        refused
          ? 'refused a Slack OAuth redirect: its state or code is missing or not ours'
          : 'a Slack installation failed',
      );
      res.writeHead(refused ? 400 : 500, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page(t, t.t('bots.slack.failed.title'), t.t(refused ? 'bots.slack.failed.refused' : 'bots.slack.failed.other')),
      );
    },
  };
}
