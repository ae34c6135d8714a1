import type { Caller } from './tenancy';

/** A change a person made from chat: written to the audit trail and announced to the engines. */
export interface Change {
  tenantId: string;
  caller: Caller;
  /** e.g. 'connection.deactivate', 'topup.buy'. */
  action: string;
  /** What was changed, e.g. a connection id. */
  target?: string;
  details?: Record<string, unknown>;
}

export interface ChangesPort {
  /** Records the change in the audit trail and publishes it on iex.commands.v1 (as `settings.changed`). */
  record(change: Change): Promise<void>;
  /**
   * Publishes a change on iex.commands.v1 whose audit entry is written already: a purchase's
   * entry comes from its invoice (the billing port writes it), not from chat.
   */
  announce(change: Change): Promise<void>;
}
