import { encodeAction } from '../chat/actions';
import { actions, button, context, type Block } from '../chat/reply';

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
 * for a list that fits one page.
 */
export function pageControls(
  page: Page<unknown>,
  actionId: string,
  values: Record<string, string | number> = {},
): Block[] {
  if (page.pages <= 1) return [];
  const buttons = [
    ...(page.page > 1 ? [button('Previous', encodeAction(actionId, { ...values, page: page.page - 1 }))] : []),
    ...(page.page < page.pages ? [button('Next', encodeAction(actionId, { ...values, page: page.page + 1 }))] : []),
  ];
  return [context(`Page ${page.page} of ${page.pages} · ${page.total} in all`), actions(...buttons)];
}
