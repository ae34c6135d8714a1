import { connectionLabel } from '../../domain/labels';
import type { QueryFilter } from 'mongoose';
import type { DataConnection, Models } from '../../store/models';

/**
 * A tenant's connections matching `filter` (all when empty), each with its label, "Shopify >
 * e-conomic", ordered by entity and id as every list shows them.
 */
export async function labelledConnections(
  models: Pick<Models, 'DataConnection' | 'System'>,
  tenantId: string,
  filter: QueryFilter<DataConnection> = {},
) {
  const [connections, systems] = await Promise.all([
    models.DataConnection.find({ ...filter, tenantId })
      .sort({ entity: 1, connectionId: 1 })
      .lean(),
    models.System.find({ tenantId }, { systemId: 1, name: 1 }).lean(),
  ]);
  return connections.map((connection) => ({ connection, label: connectionLabel(connection, systems) }));
}

/** "Shopify > e-conomic" for each of a tenant's connections, by connection id. */
export async function connectionLabels(
  models: Pick<Models, 'DataConnection' | 'System'>,
  tenantId: string,
): Promise<Map<string, string>> {
  const [connections, systems] = await Promise.all([
    models.DataConnection.find({ tenantId }, { connectionId: 1, fromSystemId: 1, toSystemId: 1 }).lean(),
    models.System.find({ tenantId }, { systemId: 1, name: 1 }).lean(),
  ]);
  return new Map(connections.map((connection) => [connection.connectionId, connectionLabel(connection, systems)]));
}

/** Whether the integration and each module are on; unset counts as on, as the schema defaults say. */
export function switchesOf(tenant: {
  active?: boolean | null;
  modules?: Partial<Record<'orders' | 'products' | 'stock', boolean | null>> | null;
}) {
  return {
    active: tenant.active !== false,
    modules: {
      orders: tenant.modules?.orders !== false,
      products: tenant.modules?.products !== false,
      stock: tenant.modules?.stock !== false,
    },
  };
}
