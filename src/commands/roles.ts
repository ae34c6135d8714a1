import { UserError } from './errors';

/** Viewers read; admins change; the owner also manages members. */
export const ROLES = ['viewer', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

export const ROLE_NAMES: Record<Role, string> = { viewer: 'viewer', admin: 'admin', owner: 'owner' };

/**
 * For a command open to viewers with admin-only words in it: the command's role lets the viewer
 * in, so the words that change something check again. `what` completes "Only admins can …".
 */
export function requireAdmin(ctx: { role: Role }, what: string): void {
  if (!hasRole(ctx.role, 'admin')) throw new UserError('forbidden', `Only admins can ${what}; you are a ${ctx.role}.`);
}
