import type { Entity } from '../domain/events';
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
    // Orders only ever leave the shop; products and stock may be kept in e-conomic and pushed to Shopify.
    const intoShopify =
      entity === 'order' ? undefined : ofEntity.find(({ toSystemId }) => toSystemId === shopify.systemId);
    const connection = fromShopify ?? intoShopify;
    if (!connection) continue;
    const label = connectionLabel(connection, systems);
    const system = systems.find(({ systemId }) => systemId === connection.fromSystemId);
    routes[entity] = {
      entity,
      connectionId: connection.connectionId,
      via: fromShopify ? 'shopify-webhook' : 'engine',
      label,
      runs: !holdFor({ tenant, system, connection: { active: connection.active, name: label }, entity }),
    };
  }
  return routes;
}
