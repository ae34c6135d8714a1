import type { Entity, Operation } from '../../domain/events';
import type { Caller } from './tenancy';

/** A system of the integration as the Systems section lists it. */
export interface SystemView {
  systemId: string;
  /** shopify, e-conomic, dinero, … */
  kind: string;
  name: string;
  /** Where data comes from (source) or goes to (target). */
  role: 'source' | 'target';
  connected: boolean;
}

/** A connection from or to a system. */
export interface SystemConnection {
  connectionId: string;
  /** "Shopify > e-conomic". */
  label: string;
  entity: Entity;
  active: boolean;
}

export interface SystemTransfer {
  transferId: string;
  /** What a person searches by, e.g. the order number. */
  reference?: string;
  connectionLabel: string;
  entity: Entity;
  operation: Operation;
  status: 'started' | 'succeeded' | 'failed' | 'held';
  /** Why it failed or is held. */
  reason?: string;
  at: Date;
}

export interface SystemDetail extends SystemView {
  /**
   * The settings chat may show. Secrets are never read; a setting whose name looks secret (an
   * older system may keep a token among its settings) comes with its value left out.
   */
  settings: Array<{ key: string; value: unknown; hidden: boolean }>;
  connections: SystemConnection[];
  /** The latest transfers of its connections, newest first. */
  recentTransfers: SystemTransfer[];
  /** The integration's time zone, to show times in. */
  timezone: string;
}

export type RemoveOutcome =
  | { outcome: 'removed'; system: SystemDetail }
  | { outcome: 'not_found' }
  /** Connections that still run through the system must be switched off first. */
  | { outcome: 'in_use'; system: SystemView; connections: SystemConnection[] };

export interface SystemsPort {
  list(tenantId: string): Promise<SystemView[]>;
  /** By system id, or by name ignoring case. */
  find(tenantId: string, idOrName: string, recentTransfers?: number): Promise<SystemDetail | undefined>;
  /** Connects or disconnects a system; undefined when there is no such system. */
  setConnected(tenantId: string, systemId: string, connected: boolean): Promise<SystemView | undefined>;
  /** Sets one setting (not a secret); undefined when there is no such system. */
  setSetting(
    tenantId: string,
    systemId: string,
    key: string,
    value: string | number | boolean,
  ): Promise<SystemView | undefined>;
  /** Removes the system with its settings and secrets, unless an active connection uses it. */
  remove(tenantId: string, systemId: string): Promise<RemoveOutcome>;
  /** Sends again the held transfers of its connections that nothing holds any more; how many. */
  releaseHeld(tenantId: string, systemId: string, caller: Caller): Promise<number>;
}
