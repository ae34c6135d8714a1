import { randomBytes } from 'node:crypto';
import type { FakeSlackApi, FakeWorkspace } from '../fakes/slack-api';

/** A browser opening the service's install page: the Add to Slack link, its state, and the state cookie. */
export async function openInstallPage(base: string) {
  const response = await fetch(`${base}/slack/install`);
  const html = await response.text();
  const href = /<a href="([^"]+)"><img alt="Add to Slack"/.exec(html)?.[1];
  const link = href ? new URL(href) : undefined;
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { response, html, link, state: link?.searchParams.get('state') ?? '', cookie };
}

/**
 * Slack sending the browser back to the redirect URL after the person allowed the app; the
 * browser asks for English unless `language` says otherwise (the page answers in its language).
 */
export function oauthRedirect(
  base: string,
  query: Record<string, string>,
  cookie?: string,
  language = 'en-GB,en;q=0.9',
): Promise<Response> {
  return fetch(`${base}/slack/oauth_redirect?${new URLSearchParams(query).toString()}`, {
    headers: { 'accept-language': language, ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
  });
}

/** A person installing the app into `workspace`, end to end: install page, Slack's consent (the fake), redirect. */
export async function installWorkspace(base: string, fake: FakeSlackApi, workspace: FakeWorkspace): Promise<Response> {
  const code = `code-${randomBytes(6).toString('hex')}`;
  fake.installCode(code, workspace);
  const { state, cookie } = await openInstallPage(base);
  return oauthRedirect(base, { code, state }, cookie);
}
