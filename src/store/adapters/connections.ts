import type { ConnectionView, ConnectionsPort } from '../../commands/ports/connections';
import { connectionLabel } from '../../domain/labels';
import { releaseHeld } from '../../transfers/release-held';
import type { AdapterDeps } from './deps';

export function createConnectionsPort(deps: AdapterDeps): ConnectionsPort {
  const { models } = deps;

  const views = async (tenantId: string, connectionId?: string): Promise<ConnectionView[]> => {
    const [connections, systems] = await Promise.all([
      models.DataConnection.find({ tenantId, ...(connectionId ? { connectionId } : {}) }).sort({ entity: 1, connectionId: 1 }).lean(),
      models.System.find({ tenantId }, { systemId: 1, name: 1 }).lean(),
    ]);
    return connections.map((connection) => ({
      connectionId: connection.connectionId,
      label: connectionLabel(connection, systems),
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
      const result = await models.DataConnection.updateOne({ tenantId, connectionId }, { $set: { active } });
      if (result.matchedCount === 0) return undefined;
      return (await views(tenantId, connectionId))[0];
    },
    releaseHeld: (tenantId, connectionId, caller) =>
      releaseHeld(deps, { tenantId, connectionId }, { platform: caller.platform, userId: caller.userId }),
  };
}
