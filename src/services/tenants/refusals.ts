import type { SpecProblem } from '../../domain/tenant-spec';
import type { TenantState } from './tenant-state';

/**
 * Changes a valid spec asks for that cannot be made in place without corrupting what the store
 * already holds, named by their path in the spec (`systems[1].kind`):
 * - a system's kind: its settings, secrets and the transfers recorded through it belong to the
 *   old kind (a Shopify shop's webhooks would be verified with whatever the new system holds);
 * - a connection's entity: its failed transfers would be retried as the new entity.
 * Both are done by removing the item and adding one under a new id.
 */
export function unsafeChanges(current: TenantState, desired: TenantState): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const systems = new Map(current.systems.map((system) => [system.id, system]));
  desired.systems.forEach((system, index) => {
    const before = systems.get(system.id);
    if (before && before.kind !== system.kind) {
      problems.push({
        path: `systems[${index}].kind`,
        message: `system "${system.id}" is ${before.kind}; a system's kind cannot change in place: remove it and add the ${system.kind} system under a new id`,
      });
    }
  });
  const connections = new Map(current.connections.map((connection) => [connection.id, connection]));
  desired.connections.forEach((connection, index) => {
    const before = connections.get(connection.id);
    if (before && before.entity !== connection.entity) {
      problems.push({
        path: `connections[${index}].entity`,
        message: `connection "${connection.id}" carries ${before.entity}s and its transfers are kept as such; remove it and add a ${connection.entity} connection under a new id`,
      });
    }
  });
  return problems;
}
