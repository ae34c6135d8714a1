import { ROLES, type Role } from '../domain/closed-lists';
import { UserError } from './errors';

export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

/**
 * For a command open to viewers with admin-only words in it: the command's role lets the viewer
 * in, so the words that change something check again. `what` completes "Only admins can …".
 */
export function requireAdmin(ctx: { role: Role }, what: string): void {
  if (!hasRole(ctx.role, 'admin')) throw new UserError('forbidden', `Only admins can ${what}; you are a ${ctx.role}.`);
}
