import { safeError } from '../lark/safeError.js';
import type { Logger } from '../logger.js';

/**
 * Runs work that nobody awaits (deferred after a response, a queued event, a recovery sweep): a
 * failure is logged under `code` with its label and goes no further, since there is no caller to
 * tell. safeError, not the message: a database error's text carries its parameters (a decrypted
 * event, a report). What the work left undone stays in the inbox or the outbox for the next sweep.
 */
export async function runDeferred(
  log: Logger,
  label: string,
  work: () => Promise<unknown>,
  code = 'deferred_failed',
): Promise<void> {
  try {
    await work();
  } catch (err) {
    log.error(code, { label, error: safeError(err) });
  }
}
