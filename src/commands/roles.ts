import { ROLES, type Role } from '../domain/closed-lists';

export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}
