import { StorageFailureError, StorageUnavailableError, SyncJobError, UnstorableValueError } from '../../src/index.js';

/** Node socket errors: the server cannot be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** SQLSTATEs that mean "try again later": the server is going away, busy, or the transaction lost a race. */
const RETRYABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57014', // query_canceled (statement_timeout)
  '55P03', // lock_not_available (lock_timeout)
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
]);

/**
 * SQLSTATEs for a value the database cannot hold. Every data exception (class 22: bad
 * number, out of range, ...) and a CHECK violation (23514: a negative counter, an unknown
 * enum value) are treated the same way: retrying cannot help.
 */
const UNSTORABLE_SQLSTATES = new Set([
  '22021', // character_not_in_repertoire (a NUL byte in text)
  '22P05', // untranslatable_character (\u0000 in jsonb)
  '54001', // statement_too_complex (stack depth: a value nested too deep)
  '54000', // program_limit_exceeded (a value too large)
]);

/** Messages of pg / pg-pool / PGlite errors that carry no code but mean "unreachable" or "too slow". */
const UNAVAILABLE_MESSAGE =
  /timeout|timed out|Connection terminated|connection error|not queryable|Cannot use a pool after calling end|PGlite is closed|closed/i;

/** Codes without a SQLSTATE that this adapter gives its own timeouts. */
const OWN_TIMEOUT_CODES = new Set(['TRANSACTION_TIMEOUT']);

/**
 * A short, safe description of a driver error for an answer: the code only. Driver messages can
 * name the server's host and port (`connect ECONNREFUSED 10.0.0.5:5432`), a user or a database;
 * they stay in `cause` (for logs) and never reach a client.
 */
function safeCode(code: string | undefined): string {
  return code === undefined ? '' : ` (${code})`;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The SQLSTATE of a driver error (pg and PGlite both expose it as `code`). */
export function sqlStateOf(error: unknown): string | undefined {
  const code = codeOf(error);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The constraint a pg / PGlite error names, if any. */
export function constraintOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'constraint' in error) {
    const c = (error as { constraint: unknown }).constraint;
    if (typeof c === 'string') return c;
  }
  return undefined;
}

/**
 * A driver error as one of the core's typed errors; the core's own errors pass through.
 * - transient (unreachable, connection lost, server shutting down, statement or client timeout,
 *   lock timeout, serialization failure, deadlock, out of resources: socket codes, SQLSTATE
 *   class 08, 57P01-03, 57014, 55P03, 40001, 40P01, class 53) -> StorageUnavailableError (retryable);
 * - a value the database cannot hold (class 22, CHECK violations, stack / size limits) -> UnstorableValueError;
 * - anything else (a missing table 42P01, a permission error 42501, bad credentials 28xxx, an
 *   unknown database 3D000, a bug) -> StorageFailureError (not retryable: retrying cannot help).
 * Messages carry the code only, never the driver's text (it may name hosts, ports, users); the
 * driver error is `cause`.
 */
export function translateError(error: unknown, doing: string): SyncJobError {
  if (error instanceof SyncJobError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const unstorable = (text: string): UnstorableValueError => {
    const e = new UnstorableValueError(text);
    Object.defineProperty(e, 'cause', { value: error, enumerable: false, configurable: true, writable: true });
    return e;
  };
  if (
    code !== undefined &&
    (NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('53') || RETRYABLE_SQLSTATES.has(code) || OWN_TIMEOUT_CODES.has(code))
  ) {
    return new StorageUnavailableError(`PostgreSQL is unavailable while ${doing}${safeCode(code)}`, { cause: error });
  }
  if (code !== undefined && (UNSTORABLE_SQLSTATES.has(code) || code.startsWith('22') || code === '23514')) {
    return unstorable(`The value cannot be stored in PostgreSQL${safeCode(code)}`);
  }
  if (error instanceof RangeError) {
    // JSON.stringify of a value nested deeper than the JavaScript stack allows.
    return unstorable('The value cannot be stored: it is nested too deeply');
  }
  if (code === undefined && UNAVAILABLE_MESSAGE.test(message)) {
    return new StorageUnavailableError(`PostgreSQL is unavailable while ${doing}`, { cause: error });
  }
  return new StorageFailureError(`PostgreSQL failed while ${doing}${safeCode(code)}`, { cause: error });
}
