import type { Entity, Hold } from './events';

/** The module of the integration that carries an entity (Settings → modules). */
export const MODULE_OF: Record<Entity, 'orders' | 'products' | 'stock'> = {
  order: 'orders',
  product: 'products',
  stock: 'stock',
};

export interface HoldContext {
  tenant: {
    active?: boolean | null;
    modules?: Partial<Record<'orders' | 'products' | 'stock', boolean | null>> | null;
  };
  connection: { active?: boolean | null; name: string };
  system?: { connected?: boolean | null; name: string };
  entity: Entity;
}

/**
 * Why a transfer must be held instead of run, or undefined to run it. The widest switch wins:
 * "if nothing is transferred, first check that the integration is active".
 */
export function holdFor({ tenant, connection, system, entity }: HoldContext): Hold | undefined {
  if (tenant.active === false) {
    return { reason: 'integration_off', message: 'The integration is deactivated (Settings).' };
  }
  const module = MODULE_OF[entity];
  if (tenant.modules?.[module] === false) {
    return { reason: 'module_off', message: `The ${module} module is deactivated (Settings).` };
  }
  if (system && system.connected === false) {
    return { reason: 'connection_off', message: `${system.name} is disconnected (Systems).` };
  }
  if (connection.active === false) {
    return { reason: 'connection_off', message: `The connection ${connection.name} is deactivated (Connections).` };
  }
  return undefined;
}
