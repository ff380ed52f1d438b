/**
 * What a log line may say about an error. Drizzle's errors read "Failed query: … params: …" with
 * the statement's parameters, which for the inbox are the decrypted event: only the driver's
 * code (SQLITE_BUSY, SQLITE_CONSTRAINT_…) is kept. Other errors keep their first 200 characters.
 */
export function safeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 200);
  if (/^Failed query/i.test(err.message) || /\bparams:/i.test(err.message)) {
    const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    return `database_error${code ? ` ${code}` : ''}`;
  }
  return err.message.slice(0, 200);
}
