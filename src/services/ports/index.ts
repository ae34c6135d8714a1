import type { CorePorts } from '../../commands/ports';
import { createAlertsPort } from './alerts';
import { createBillingPort } from './billing';
import { createChangesPort } from './changes';
import { createChartsPort } from './charts';
import { createConnectionsPort } from './connections';
import type { AdapterDeps } from './deps';
import { createHomePort } from './home';
import { createJobsPort, type JobsPortOptions } from './jobs';
import { createNotificationsPort } from './notifications';
import { createSettingsPort } from './settings';
import { createSystemsPort } from './systems';
import { createTenancyPort } from './tenancy';
import { createTransfersPort, type TransfersPortOptions } from './transfers';

export type { AdapterDeps } from './deps';

export interface StorePortsOptions {
  transfers?: TransfersPortOptions;
  jobs?: JobsPortOptions;
}

/** The command core's ports over MongoDB (reads, changes) and Kafka (commands to the engines). */
export function createStorePorts(deps: AdapterDeps, options: StorePortsOptions = {}): CorePorts {
  return {
    tenancy: createTenancyPort(deps),
    changes: createChangesPort(deps),
    home: createHomePort(deps),
    connections: createConnectionsPort(deps),
    systems: createSystemsPort(deps),
    jobs: createJobsPort(deps, options.jobs),
    settings: createSettingsPort(deps),
    billing: createBillingPort(deps),
    transfers: createTransfersPort(deps, options.transfers),
    notifications: createNotificationsPort(deps),
    alerts: createAlertsPort(deps),
    charts: createChartsPort(deps),
  };
}
