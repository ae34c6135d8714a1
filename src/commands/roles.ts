/** Viewers read; admins change; the owner also manages members. */
export const ROLES = ['viewer', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

export const ROLE_NAMES: Record<Role, string> = { viewer: 'viewer', admin: 'admin', owner: 'owner' };
