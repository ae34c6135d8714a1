import { entitySchema, type Entity } from '../domain/events';
import { holdFor, type HoldContext } from '../domain/holds';
import { connectionLabel } from '../domain/labels';

/**
 * How the transfers of one entity reach the service for a tenant. `shopify-webhook`: Shopify sends
 * a webhook, the service's normalizer starts the transfer and the engine reports the rest.
 * `engine`: the data flows into Shopify (e.g. stock from e-conomic), so no Shopify webhook starts
 * it and the engine reports the whole transfer.
 */
export interface SimulationRoute {
  entity: Entity;
  connectionId: string;
  via: 'shopify-webhook' | 'engine';
  /** "Shopify webshop > e-conomic", as people see it. */
  label: string;
  /** False when the service would hold the transfer (connection, module or integration off). */
  runs: boolean;
}

export type SimulationRoutes = Partial<Record<Entity, SimulationRoute>>;

interface RouteInputs {
  tenant: HoldContext['tenant'];
  systems: ReadonlyArray<{ systemId: string; kind: string; name: string; connected?: boolean | null }>;
  connections: ReadonlyArray<{
    connectionId: string;
    fromSystemId: string;
    toSystemId: string;
    entity: string;
    active?: boolean | null;
  }>;
}

/**
 * Picks each entity's connection the way the Shopify normalizer does (from the tenant's Shopify
 * system, for that entity), so the engine's events land on the transfer the webhook started.
 * Where no connection leaves Shopify but one enters it, the engine starts that transfer itself.
 */
export function resolveRoutes({ tenant, systems, connections }: RouteInputs): SimulationRoutes {
  const shopify = systems.find(({ kind }) => kind === 'shopify');
  if (!shopify) return {};
  const routes: SimulationRoutes = {};
  for (const entity of ['order', 'product', 'stock'] as const) {
    const ofEntity = connections.filter((connection) => connection.entity === entity);
    const fromShopify = ofEntity.find(({ fromSystemId }) => fromSystemId === shopify.systemId);
    const intoShopify = ofEntity.find(({ toSystemId }) => toSystemId === shopify.systemId);
    const route = routeOf(fromShopify ?? intoShopify, { tenant, systems });
    if (route) routes[entity] = route;
  }
  return routes;
}

/**
 * The route of one connection, e.g. the one a scheduled run synchronises; undefined when Shopify
 * is at neither end (the simulator only knows Shopify's traffic) or the connection carries orders
 * into Shopify (orders only ever leave the shop).
 */
export function routeOf(
  connection: RouteInputs['connections'][number] | undefined,
  { tenant, systems }: Omit<RouteInputs, 'connections'>,
): SimulationRoute | undefined {
  const shopify = systems.find(({ kind }) => kind === 'shopify');
  if (!connection || !shopify) return undefined;
  const entity = entitySchema.safeParse(connection.entity);
  if (!entity.success) return undefined;
  const fromShopify = connection.fromSystemId === shopify.systemId;
  if (!fromShopify && (connection.toSystemId !== shopify.systemId || entity.data === 'order')) return undefined;
  const label = connectionLabel(connection, systems);
  const system = systems.find(({ systemId }) => systemId === connection.fromSystemId);
  return {
    entity: entity.data,
    connectionId: connection.connectionId,
    via: fromShopify ? 'shopify-webhook' : 'engine',
    label,
    runs: !holdFor({ tenant, system, connection: { active: connection.active, name: label }, entity: entity.data }),
  };
}
