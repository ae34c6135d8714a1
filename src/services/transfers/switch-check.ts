import type { TransferEvent } from '../../domain/events';
import { holdFor, MODULE_OF } from '../../domain/holds';
import { switchIgnoredGroupKey, type AlertEvent } from '../../domain/alerts';
import type { Models } from '../../store';

/**
 * An engine is told of every switch (`settings.changed` on iex.commands.v1) and must not start a
 * transfer that a switched-off integration, module, connection or source system would hold. One
 * started this long after the switch was changed did not obey it; earlier, the switch may still
 * have been on its way.
 */
export const SWITCH_GRACE_MS = 60_000;

/** How long a tenant's connections and systems are remembered: the recorder reads them once per this. */
export const SWITCH_STATE_CACHE_MS = 5_000;

/** The parts of a tenant the recorder reads anyway with each batch. */
export interface TenantSwitches {
  tenantId: string;
  active?: boolean | null;
  modules?: Partial<Record<'orders' | 'products' | 'stock', boolean | null>> | null;
  updatedAt?: Date | null;
}

interface ConnectionSwitches {
  connections: Map<string, { active?: boolean | null; fromSystemId: string; updatedAt?: Date | null }>;
  systems: Map<string, { connected?: boolean | null; name: string; updatedAt?: Date | null }>;
  readAt: number;
}

export type SwitchIgnored = Extract<AlertEvent, { kind: 'switch.ignored' }>;

/**
 * Finds the transfers an engine started although a switch was off. Only a transfer's first event
 * is asked about (the recorder knows which are new): a transfer that began before the switch went
 * off may finish after it.
 */
export function createSwitchCheck(models: Models, clock: () => number = Date.now) {
  const byTenant = new Map<string, ConnectionSwitches>();

  async function switchesOf(tenantId: string): Promise<ConnectionSwitches> {
    const known = byTenant.get(tenantId);
    if (known && clock() - known.readAt < SWITCH_STATE_CACHE_MS) return known;
    const [connections, systems] = await Promise.all([
      models.DataConnection.find({ tenantId }, { connectionId: 1, active: 1, fromSystemId: 1, updatedAt: 1 }).lean(),
      models.System.find({ tenantId }, { systemId: 1, connected: 1, name: 1, updatedAt: 1 }).lean(),
    ]);
    const fresh: ConnectionSwitches = {
      connections: new Map(connections.map((connection) => [connection.connectionId, connection])),
      systems: new Map(systems.map((system) => [system.systemId, system])),
      readAt: clock(),
    };
    // Bounded by the tenants one instance records for; an erased tenant's entry ages out on its next read.
    byTenant.set(tenantId, fresh);
    return fresh;
  }

  return {
    /** The alert for a new transfer's first event when it ran against a switch; undefined when it obeyed. */
    async check(event: TransferEvent, tenant: TenantSwitches, reference?: string): Promise<SwitchIgnored | undefined> {
      if (event.type === 'transfer.held') return undefined;
      const started = Date.parse(event.occurredAt);
      const { connections, systems } = await switchesOf(event.tenantId);
      const connection = connections.get(event.connectionId);
      const system = connection ? systems.get(connection.fromSystemId) : undefined;
      const hold = holdFor({
        tenant,
        connection: { active: connection?.active, name: event.connectionId },
        ...(system ? { system } : {}),
        entity: event.entity,
      });
      if (!hold || hold.reason === 'quota_exceeded') return undefined;
      // The document whose switch is off says when it last changed; the switch went off then or before.
      const switched =
        hold.reason === 'connection_off'
          ? system?.connected === false
            ? system.updatedAt
            : connection?.updatedAt
          : tenant.updatedAt;
      if (!switched || started - switched.getTime() < SWITCH_GRACE_MS) return undefined;
      const scope =
        hold.reason === 'integration_off'
          ? '*'
          : hold.reason === 'module_off'
            ? MODULE_OF[event.entity]
            : event.connectionId;
      return {
        kind: 'switch.ignored',
        id: `alert-switch-${event.id}`,
        groupKey: switchIgnoredGroupKey(event.tenantId, hold.reason, scope),
        tenantId: event.tenantId,
        occurredAt: event.occurredAt,
        transferId: event.transferId,
        connectionId: event.connectionId,
        entity: event.entity,
        ...(reference ? { reference } : {}),
        reason: hold.reason,
        switchedAt: switched.toISOString(),
      };
    },
  };
}
