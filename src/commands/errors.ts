/**
 * An error meant for the person who ran the command: it has a code and a message they can act on.
 * Anything else is a crash: logged with a reference id, shown as "something failed (ref …)".
 */
export class UserError extends Error {
  constructor(
    readonly code: 'bad_input' | 'not_found' | 'forbidden' | 'not_linked' | 'conflict' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
