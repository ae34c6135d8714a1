import { encodeAction } from '../chat/actions';
import { actions, button, context, type Block } from '../chat/reply';
import type { Translator } from '../i18n';

export interface Page<T> {
  items: T[];
  /** 1-based; a page past the last gives the last. */
  page: number;
  pages: number;
  total: number;
}

export function pageOf<T>(items: readonly T[], page: number, size: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  return { items: items.slice((current - 1) * size, current * size), page: current, pages, total: items.length };
}

/**
 * "Page 2 of 3" with Previous / Next buttons that run `actionId` with `values` and the page; nothing
 * for a list that fits one page. `t` is the reader's language (pass `ctx.t`).
 */
export function pageControls(
  page: Page<unknown>,
  actionId: string,
  values: Record<string, string | number> = {},
  t: Translator,
): Block[] {
  if (page.pages <= 1) return [];
  const buttons = [
    ...(page.page > 1
      ? [button(t.t('help.page.previous'), encodeAction(actionId, { ...values, page: page.page - 1 }))]
      : []),
    ...(page.page < page.pages
      ? [button(t.t('help.page.next'), encodeAction(actionId, { ...values, page: page.page + 1 }))]
      : []),
  ];
  return [
    context(t.t('help.page.info', { page: page.page, pages: page.pages, total: t.number(page.total) })),
    actions(...buttons),
  ];
}
