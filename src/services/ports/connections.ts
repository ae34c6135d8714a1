import type { ConnectionView, ConnectionsPort } from '../../commands/ports/connections';
import { labelledConnections } from './labels';
import { releaseNoLongerHeld } from './settings';
import type { AdapterDeps } from './deps';

export function createConnectionsPort(deps: AdapterDeps): ConnectionsPort {
  const { models } = deps;

  const views = async (tenantId: string, connectionId?: string): Promise<ConnectionView[]> => {
    const connections = await labelledConnections(models, tenantId, connectionId ? { connectionId } : {});
    return connections.map(({ connection, label }) => ({
      connectionId: connection.connectionId,
      label,
      entity: connection.entity,
      mode: connection.mode,
      ...(connection.cron ? { cron: connection.cron } : {}),
      ...(connection.timezone ? { timezone: connection.timezone } : {}),
      active: connection.active !== false,
    }));
  };

  return {
    list: (tenantId) => views(tenantId),
    get: async (tenantId, connectionId) => (await views(tenantId, connectionId))[0],
    async setActive(tenantId, connectionId, active) {
      if (active) {
        const connection = await models.DataConnection.findOne({ tenantId, connectionId }).lean();
        if (!connection) return undefined;
        const present = await models.System.countDocuments({
          tenantId,
          systemId: { $in: [connection.fromSystemId, connection.toSystemId] },
        });
        if (present < new Set([connection.fromSystemId, connection.toSystemId]).size) return 'system_removed';
      }
      const result = await models.DataConnection.updateOne({ tenantId, connectionId }, { $set: { active } });
      if (result.matchedCount === 0) return undefined;
      return (await views(tenantId, connectionId))[0];
    },
    // Only what no other switch still holds, and never what the quota holds.
    releaseHeld: (tenantId, connectionId, caller) => releaseNoLongerHeld(deps, tenantId, caller, { connectionId }),
  };
}
