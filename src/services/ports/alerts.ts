import { randomUUID } from 'node:crypto';
import type { AlertMute } from '../alerts/mute';
import type { AlertsPort } from '../../commands/ports/alerts';
import type { AdapterDeps } from './deps';

/**
 * Alert group changes go to the notifier over iex.alerts.v1 (keyed by tenant, like the alerts):
 * the notifier is the one writer of alert state, so a click cannot race an alert being counted.
 */
export function createAlertsPort({ producer }: AdapterDeps): AlertsPort {
  return {
    async mute(tenantId, groupKey, until, caller) {
      const mute: AlertMute = {
        kind: 'alert.mute',
        id: `mute-${randomUUID()}`,
        tenantId,
        groupKey,
        occurredAt: new Date().toISOString(),
        mutedUntil: until.toISOString(),
        actor: { platform: caller.platform, userId: caller.userId },
      };
      await producer.sendJson('alerts', [{ key: tenantId, value: mute }]);
    },
  };
}
