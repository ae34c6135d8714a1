/**
 * Buttons carry an action id and a few short values, encoded as `action?key=value&…`. It must fit
 * Discord's custom_id (100 characters) and Slack's action value, so values are ids, not payloads;
 * the action looks the rest up when it runs.
 */
export const MAX_ACTION_LENGTH = 100;

export function encodeAction(id: string, values: Record<string, string | number | boolean> = {}): string {
  const query = new URLSearchParams(
    Object.entries(values).map(([key, value]): [string, string] => [key, String(value)]),
  ).toString();
  const encoded = query ? `${id}?${query}` : id;
  if (encoded.length > MAX_ACTION_LENGTH)
    throw new Error(`action ${id} encodes to ${encoded.length} characters, more than ${MAX_ACTION_LENGTH}`);
  return encoded;
}

export function decodeAction(encoded: string): { id: string; values: Record<string, string> } {
  const [id = '', query = ''] = encoded.split('?', 2);
  return { id, values: Object.fromEntries(new URLSearchParams(query)) };
}

/** An encoded action, or undefined when its values do not fit a button (the caller leaves the button out). */
export function tryAction(id: string, values: Record<string, string | number>): string | undefined {
  try {
    return encodeAction(id, values);
  } catch {
    return undefined;
  }
}
