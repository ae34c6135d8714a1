import type { Entity } from '../../domain/events';
import type { Caller } from './tenancy';

/** A data connection as people see it: "Shopify > e-conomic", orders, by webhook, on. */
export interface ConnectionView {
  connectionId: string;
  label: string;
  entity: Entity;
  mode: 'schedule' | 'webhook';
  cron?: string;
  timezone?: string;
  active: boolean;
}

export interface ConnectionsPort {
  list(tenantId: string): Promise<ConnectionView[]>;
  get(tenantId: string, connectionId: string): Promise<ConnectionView | undefined>;
  /**
   * Switches a connection on or off; undefined when there is no such connection, 'system_removed'
   * when it cannot be switched on because one of its systems was removed.
   */
  setActive(
    tenantId: string,
    connectionId: string,
    active: boolean,
  ): Promise<ConnectionView | 'system_removed' | undefined>;
  /** Sends the transfers this connection held back to the engine; how many. */
  releaseHeld(tenantId: string, connectionId: string, caller: Caller): Promise<number>;
}
