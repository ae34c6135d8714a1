import type { AlertsPort } from './alerts';
import type { BillingPort } from './billing';
import type { ChangesPort } from './changes';
import type { ChartsPort } from './charts';
import type { ConnectionsPort } from './connections';
import type { HomePort } from './home';
import type { JobsPort } from './jobs';
import type { NotificationsPort } from './notifications';
import type { SettingsPort } from './settings';
import type { SystemsPort } from './systems';
import type { TenancyPort } from './tenancy';
import type { TransfersPort } from './transfers';

/**
 * Everything the command core reaches outside itself, as interfaces. The composition root hands
 * in implementations (src/services/ports over MongoDB and Kafka); tests may hand in their own.
 */
export interface CorePorts {
  tenancy: TenancyPort;
  changes: ChangesPort;
  home: HomePort;
  connections: ConnectionsPort;
  systems: SystemsPort;
  jobs: JobsPort;
  settings: SettingsPort;
  billing: BillingPort;
  transfers: TransfersPort;
  notifications: NotificationsPort;
  alerts: AlertsPort;
  charts: ChartsPort;
}
