import type { Caller } from './tenancy';

/** A change as the audit trail and `iex.commands.v1` record it; a command's effects declare it. */
export interface ChangeEntry {
  /** e.g. 'connection.deactivate', 'topup.buy'. */
  action: string;
  /** What was changed, e.g. a connection id. */
  target?: string;
  details?: Record<string, unknown>;
}

/** A change a person made from chat: written to the audit trail and announced to the engines. */
export interface Change extends ChangeEntry {
  tenantId: string;
  caller: Caller;
}

/** Written by the command core after a successful run, from the effects a command declares. */
export interface ChangesPort {
  /** Records the change in the audit trail and publishes it on iex.commands.v1 (as `settings.changed`). */
  record(change: Change): Promise<void>;
  /**
   * Publishes a change on iex.commands.v1 whose audit entry is written already: a purchase's
   * entry comes from its invoice (the billing port writes it), not from chat.
   */
  announce(change: Change): Promise<void>;
}
