/**
 * Who may use the admin API (`/admin/v1`): named bearer tokens from ADMIN_TOKENS, written as
 * comma-separated `name:token` or `name:token:scope`. The name is what the audit trail shows;
 * the token never appears anywhere but in the request.
 */

/** What a token may do, each including the ones before it. */
export const ADMIN_SCOPES = ['read', 'write', 'admin'] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

/** A token without a scope may do everything: the one operator of a small setup. */
export const DEFAULT_ADMIN_SCOPE: AdminScope = 'admin';

/** Shorter tokens can be guessed; 24 characters of base64 are 144 bits. */
export const ADMIN_TOKEN_MIN_LENGTH = 24;

export interface AdminToken {
  name: string;
  token: string;
  scope: AdminScope;
}

export const scopeAllows = (held: AdminScope, needed: AdminScope): boolean =>
  ADMIN_SCOPES.indexOf(held) >= ADMIN_SCOPES.indexOf(needed);

/** The tokens of ADMIN_TOKENS, or what is wrong with it (never quoting a token). */
export function parseAdminTokens(text: string): { tokens: AdminToken[] } | { problem: string } {
  const tokens: AdminToken[] = [];
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const [index, entry] of entries.entries()) {
    const [name, token, scope, ...rest] = entry.split(':');
    const which = `entry ${index + 1}${name && /^[\w.-]{1,64}$/.test(name) ? ` (${name})` : ''}`;
    if (!name || !/^[\w.-]{1,64}$/.test(name)) {
      return { problem: `${which}: a token's name is 1–64 letters, digits, '.', '_' or '-', then ':' and the token` };
    }
    if (!token || token.length < ADMIN_TOKEN_MIN_LENGTH) {
      return { problem: `${which}: the token must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters` };
    }
    if (rest.length > 0 || (scope !== undefined && !(ADMIN_SCOPES as readonly string[]).includes(scope))) {
      return { problem: `${which}: the scope after the token is one of ${ADMIN_SCOPES.join(', ')}` };
    }
    if (tokens.some((known) => known.name === name)) return { problem: `${which}: the name is given twice` };
    if (tokens.some((known) => known.token === token)) return { problem: `${which}: the token is given twice` };
    tokens.push({ name, token, scope: (scope as AdminScope | undefined) ?? DEFAULT_ADMIN_SCOPE });
  }
  return { tokens };
}
