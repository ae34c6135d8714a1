import type { Language } from '../i18n';

/**
 * The neutral message model every command returns. It knows nothing of Slack or Discord: each
 * platform's renderer turns it into Block Kit or embeds and components, within its own limits.
 *
 * Text uses a small markup both platforms can render: *bold*, _italic_, `code`, and links as
 * <https://example.com|label>. Renderers translate it.
 */
export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Field[] }
  | { type: 'divider' }
  | { type: 'context'; text: string }
  /** Pre-formatted text such as a JSON payload; renderers shorten it to their limits. */
  | { type: 'code'; text: string }
  | { type: 'actions'; buttons: Button[] }
  /**
   * A picture, e.g. a usage chart: Slack uploads it as a file (or links it signed when the service
   * is public), Discord attaches it to the message and shows it in the embed.
   */
  | { type: 'image'; image: ImageContent };

/** A rendered picture and the words that stand for it. */
export interface ImageContent {
  png: Buffer;
  width: number;
  height: number;
  /** States what the picture shows, numbers included. */
  alt: string;
  fileName: string;
  /** The same picture as SVG, for HTML pages that can show it sharp at any size. */
  svg?: string;
  /**
   * A signed, expiring link to the same PNG, when the service is reachable from the platforms
   * (PUBLIC_URL): Slack then shows it in an image block, which also works in ephemeral replies and
   * the App Home tab, where an uploaded file cannot go.
   */
  url?: string;
}

export interface Field {
  label: string;
  value: string;
}

export interface Confirm {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

export interface Button {
  label: string;
  /** An encoded action (see actions.ts), or undefined for a link button. */
  action?: string;
  url?: string;
  style?: 'primary' | 'danger';
  /** Asked before the action runs, for changes that are hard to undo. */
  confirm?: Confirm;
}

export interface Reply {
  /** Plain-text summary: notifications, screen readers, and platforms that cannot show blocks. */
  fallback: string;
  blocks: Block[];
  /** Who sees it: only the caller (default) or everyone in the channel. */
  visibility: 'ephemeral' | 'in_channel';
  /** For a reply to a button: replace the message that held the button instead of adding one. */
  replaceOriginal?: boolean;
  /**
   * The language it is written in (the command core and the notifier set it): the platforms write
   * their own words around it (a shortened list, a confirmation) in the same. English when absent.
   */
  language?: Language;
}

export function reply(
  fallback: string,
  blocks: Block[],
  options: Partial<Pick<Reply, 'visibility' | 'replaceOriginal'>> = {},
): Reply {
  return {
    fallback,
    blocks,
    visibility: options.visibility ?? 'ephemeral',
    ...(options.replaceOriginal ? { replaceOriginal: true } : {}),
  };
}

/** A reply of one line of text, e.g. a confirmation or an error. */
export function notice(text: string, options: Partial<Pick<Reply, 'visibility' | 'replaceOriginal'>> = {}): Reply {
  return reply(text, [{ type: 'text', text }], options);
}

export const header = (text: string): Block => ({ type: 'header', text });
export const text = (value: string): Block => ({ type: 'text', text: value });
export const fields = (entries: Array<[string, string]>): Block => ({
  type: 'fields',
  fields: entries.map(([label, value]) => ({ label, value })),
});
export const divider = (): Block => ({ type: 'divider' });
export const context = (value: string): Block => ({ type: 'context', text: value });
export const code = (value: string): Block => ({ type: 'code', text: value });
export const actions = (...buttons: Button[]): Block => ({ type: 'actions', buttons });

export function button(label: string, action: string, options: Pick<Button, 'style' | 'confirm'> = {}): Button {
  return { label, action, ...options };
}

export function linkButton(label: string, url: string): Button {
  return { label, url };
}

/** A text bar for quota and progress: ▓▓▓▓▓░░░░░ 50 %. */
export function bar(used: number, total: number, width = 10): string {
  const ratio = total > 0 ? Math.min(1, used / total) : used > 0 ? 1 : 0;
  const filled = Math.round(ratio * width);
  const percent = total > 0 ? Math.floor((used * 100) / total) : used > 0 ? 100 : 0;
  return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)} ${percent} %`;
}
