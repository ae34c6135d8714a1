import { timeZoneOf } from '../../domain/zoned-time';
import type { SystemConnection, SystemDetail, SystemView, SystemsPort } from '../../commands/ports/systems';
import { looksSecret } from '../../domain/system-settings';
import type { AdapterDeps } from './deps';
import { readTransferViews } from '../../store/transfer-views';
import { labelledConnections } from './labels';
import { releaseNoLongerHeld } from './settings';

const RECENT_TRANSFERS = 5;

type SystemDocument = {
  systemId: string;
  kind: string;
  name: string;
  role: 'source' | 'target';
  connected?: boolean | null;
};

const view = (system: SystemDocument): SystemView => ({
  systemId: system.systemId,
  kind: system.kind,
  name: system.name,
  role: system.role,
  connected: system.connected !== false,
});

export function createSystemsPort(deps: AdapterDeps): SystemsPort {
  const { models } = deps;

  /** The connections from or to a system, labelled. */
  async function connectionsOf(tenantId: string, systemId: string): Promise<SystemConnection[]> {
    const connections = await labelledConnections(models, tenantId, {
      $or: [{ fromSystemId: systemId }, { toSystemId: systemId }],
    });
    return connections.map(({ connection, label }) => ({
      connectionId: connection.connectionId,
      label,
      entity: connection.entity,
      active: connection.active !== false,
    }));
  }

  async function detail(tenantId: string, idOrName: string, recent: number): Promise<SystemDetail | undefined> {
    // `secrets` is not selected by the schema; nothing here asks for it.
    const system =
      (await models.System.findOne({ tenantId, systemId: idOrName }).lean()) ??
      (await models.System.find({ tenantId }).lean()).find(
        (candidate) => candidate.name.toLowerCase() === idOrName.toLowerCase(),
      );
    if (!system) return undefined;
    const [connections, tenant] = await Promise.all([
      connectionsOf(tenantId, system.systemId),
      models.Tenant.findOne({ tenantId }, { timezone: 1 }).lean(),
    ]);
    const labels = new Map(connections.map((connection) => [connection.connectionId, connection.label]));
    const transfers =
      connections.length === 0 || recent === 0
        ? []
        : (await readTransferViews(models, tenantId)).recent
            .filter((transfer) => labels.has(transfer.connectionId))
            .slice(0, recent);
    const settings = (system.settings ?? {}) as Record<string, unknown>;
    return {
      ...view(system),
      settings: Object.entries(settings).map(([key, value]) =>
        looksSecret(key) ? { key, value: undefined, hidden: true } : { key, value, hidden: false },
      ),
      connections,
      recentTransfers: transfers.map((transfer) => ({
        transferId: transfer.transferId,
        ...(transfer.reference ? { reference: transfer.reference } : {}),
        connectionLabel: labels.get(transfer.connectionId) ?? transfer.connectionId,
        entity: transfer.entity,
        operation: transfer.operation,
        status: transfer.status,
        ...(transfer.status === 'failed' && transfer.error
          ? { reason: `${transfer.error.code}: ${transfer.error.message}` }
          : {}),
        ...(transfer.status === 'held' && transfer.hold
          ? { reason: transfer.hold.message ?? transfer.hold.reason }
          : {}),
        at: transfer.updatedAt,
      })),
      timezone: timeZoneOf(tenant?.timezone),
    };
  }

  const findView = async (tenantId: string, systemId: string) => {
    const system = await models.System.findOne({ tenantId, systemId }).lean();
    return system ? view(system) : undefined;
  };

  return {
    async list(tenantId) {
      const systems = await models.System.find({ tenantId }).sort({ role: 1, name: 1 }).lean();
      return systems.map(view);
    },

    find: (tenantId, idOrName, recent = RECENT_TRANSFERS) => detail(tenantId, idOrName, recent),

    async setConnected(tenantId, systemId, connected) {
      const result = await models.System.updateOne({ tenantId, systemId }, { $set: { connected } });
      return result.matchedCount === 0 ? undefined : findView(tenantId, systemId);
    },

    async setSetting(tenantId, systemId, key, value) {
      const system = await models.System.findOne({ tenantId, systemId }, { settings: 1 }).lean();
      if (!system) return undefined;
      // The whole object is written back: a setting's name may hold characters a dotted path cannot.
      const settings = { ...((system.settings ?? {}) as Record<string, unknown>), [key]: value };
      await models.System.updateOne({ tenantId, systemId }, { $set: { settings } });
      return findView(tenantId, systemId);
    },

    async remove(tenantId, systemId) {
      const system = await detail(tenantId, systemId, 0);
      if (!system || system.systemId !== systemId) return { outcome: 'not_found' };
      const active = system.connections.filter((connection) => connection.active);
      if (active.length > 0) return { outcome: 'in_use', system, connections: active };
      // deletedCount is exact under concurrency: of two clicks, one removes it.
      const { deletedCount } = await models.System.deleteOne({ tenantId, systemId });
      return deletedCount === 1 ? { outcome: 'removed', system } : { outcome: 'not_found' };
    },

    releaseHeld: (tenantId, systemId, caller) => releaseNoLongerHeld(deps, tenantId, caller, { systemId }),
  };
}
