import type { Caller } from './tenancy';

/** The channel alerts (src/services/alerts), as buttons on them reach them. */
export interface AlertsPort {
  /**
   * Mutes an alert group until `until`: its failures are counted, not posted. The notifier applies
   * it in order with the group's alerts, and edits the group's messages to say so.
   */
  mute(tenantId: string, groupKey: string, until: Date, caller: Caller): Promise<void>;
}
