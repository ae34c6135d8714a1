import { connectionLabel } from '../../domain/labels';
import type { Models } from '../../store/models';

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
