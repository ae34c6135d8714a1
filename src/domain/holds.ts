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
 * What holds a transfer back, as facts a message in any language is made from: the switch that
 * is off and its name (the chat commands word it in the reader's language).
 */
export type HoldCause =
  | { kind: 'integration' }
  | { kind: 'module'; module: 'orders' | 'products' | 'stock' }
  | { kind: 'system'; name: string }
  | { kind: 'connection'; name: string }
  /** The connection a transfer belongs to was removed. */
  | { kind: 'gone'; name: string };

/**
 * Why a transfer must be held instead of run, or undefined to run it. The widest switch wins:
 * "if nothing is transferred, first check that the integration is active".
 */
export function holdCauseFor({
  tenant,
  connection,
  system,
  entity,
}: HoldContext): { reason: Hold['reason']; cause: HoldCause } | undefined {
  if (tenant.active === false) return { reason: 'integration_off', cause: { kind: 'integration' } };
  const module = MODULE_OF[entity];
  if (tenant.modules?.[module] === false) return { reason: 'module_off', cause: { kind: 'module', module } };
  if (system && system.connected === false)
    return { reason: 'connection_off', cause: { kind: 'system', name: system.name } };
  if (connection.active === false)
    return { reason: 'connection_off', cause: { kind: 'connection', name: connection.name } };
  return undefined;
}

/** A hold's cause in English, as events and the engines carry it. */
export function holdMessage(cause: HoldCause): string {
  switch (cause.kind) {
    case 'integration':
      return 'The integration is deactivated (Settings).';
    case 'module':
      return `The ${cause.module} module is deactivated (Settings).`;
    case 'system':
      return `${cause.name} is disconnected (Systems).`;
    case 'connection':
      return `The connection ${cause.name} is deactivated (Connections).`;
    case 'gone':
      return `Its connection ${cause.name} no longer exists.`;
  }
}

/** Why a transfer must be held instead of run (its reason and English message), or undefined to run it. */
export function holdFor(context: HoldContext): Hold | undefined {
  const held = holdCauseFor(context);
  return held ? { reason: held.reason, message: holdMessage(held.cause) } : undefined;
}
