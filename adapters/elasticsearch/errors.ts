import { ConflictError, StorageFailureError, StorageUnavailableError, UnstorableValueError } from '../../src/index.js';

/**
 * Names of the `@elastic/elasticsearch` (and `@elastic/transport`) error classes. The client is a
 * dual package (ESM and CommonJS copies have distinct classes), so errors are recognised by name
 * and shape, never by `instanceof`.
 */
const CLIENT_ERROR_NAMES = new Set([
  'ElasticsearchClientError',
  'ResponseError',
  'ConnectionError',
  'TimeoutError',
  'NoLivingConnectionsError',
  'RequestAbortedError',
  'SerializationError',
  'DeserializationError',
  'ConfigurationError',
  'ProductNotSupportedError',
]);

/** True for an error thrown by the Elasticsearch client or its transport. */
export function isClientError(error: unknown): error is Error {
  return error instanceof Error && CLIENT_ERROR_NAMES.has(error.name);
}

interface ErrorBody {
  error?: { type?: unknown; reason?: unknown } | string;
  status?: unknown;
}

/** The HTTP status of a client ResponseError, else undefined. */
export function statusOf(error: unknown): number | undefined {
  if (!isClientError(error) || error.name !== 'ResponseError') return undefined;
  const meta = (error as { meta?: { statusCode?: unknown; body?: ErrorBody } }).meta;
  if (meta && typeof meta.body === 'object' && meta.body !== null && typeof meta.body.status === 'number') {
    return meta.body.status;
  }
  return typeof meta?.statusCode === 'number' ? meta.statusCode : undefined;
}

/** Elasticsearch's error type (`index_not_found_exception`, ...) of a ResponseError, else undefined. */
export function errorTypeOf(error: unknown): string | undefined {
  if (!isClientError(error)) return undefined;
  const body = (error as { meta?: { body?: ErrorBody } }).meta?.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const e = body.error;
  return typeof e === 'object' && e !== null && typeof e.type === 'string' ? e.type : undefined;
}

function reasonOf(error: unknown): string | undefined {
  const body = (error as { meta?: { body?: ErrorBody } }).meta?.body;
  const e = typeof body === 'object' && body !== null ? body.error : undefined;
  return typeof e === 'object' && e !== null && typeof e.reason === 'string' ? e.reason : undefined;
}

/**
 * A 404 that Elasticsearch itself gave for "no such document" (`found: false`, `result:
 * not_found`) or "no such index" (`index_not_found_exception`). Any other 404 (a proxy, a wrong
 * path prefix) is not read as "not found".
 */
export function isNotFound(error: unknown): boolean {
  if (statusOf(error) !== 404) return false;
  if (errorTypeOf(error) === 'index_not_found_exception') return true;
  const body = (error as { meta?: { body?: { found?: unknown; result?: unknown } } }).meta?.body;
  return typeof body === 'object' && body !== null && (body.found === false || body.result === 'not_found');
}

/** A 409 version conflict (create of an existing id, failed compare-and-set). */
export function isVersionConflict(error: unknown): boolean {
  return statusOf(error) === 409;
}

/** Statuses that mean "try again later": too many requests, and server-side failures (5xx but 501). */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

/** Transport errors that retrying cannot fix (a bad client setup, a server that is not Elasticsearch). */
const PERMANENT_CLIENT_ERRORS = new Set(['ConfigurationError', 'ProductNotSupportedError']);

/**
 * Translates a client error into the library's typed errors; anything else is returned as is.
 * - 409 -> ConflictError `duplicate_id` on `id`;
 * - 400 document/mapper parsing -> UnstorableValueError;
 * - 408, 429, 5xx (but 501), connection errors, timeouts, aborted requests, (de)serialization
 *   errors -> StorageUnavailableError (retryable);
 * - 401, 403 (bad credentials, missing privileges), other 4xx, 501, a configuration error or a
 *   server that is not Elasticsearch -> StorageFailureError (not retryable).
 * Messages name the status and Elasticsearch's error type, never the client's message (it
 * carries the node URL); the client error is `cause`.
 */
export function translateError(error: unknown, what: string, id?: string): unknown {
  if (!isClientError(error)) return error;
  const status = statusOf(error);
  if (error.name === 'ResponseError' && status !== undefined) {
    const type = errorTypeOf(error) ?? 'unknown';
    if (status === 409 && id !== undefined) return ConflictError.duplicateId(id, error);
    if (status === 400 && (type === 'document_parsing_exception' || type === 'mapper_parsing_exception')) {
      return new UnstorableValueError(`Elasticsearch cannot store ${what}: ${reasonOf(error) ?? type}`);
    }
    const text = `Elasticsearch answered ${status} (${type}) to ${what}`;
    return isTransientStatus(status)
      ? new StorageUnavailableError(text, { cause: error })
      : new StorageFailureError(text, { cause: error });
  }
  if (PERMANENT_CLIENT_ERRORS.has(error.name)) {
    return new StorageFailureError(`Elasticsearch cannot be used (${error.name}) for ${what}`, { cause: error });
  }
  return new StorageUnavailableError(`Elasticsearch is unavailable (${error.name}) for ${what}`, { cause: error });
}

/** True when a failed write may nevertheless have been applied (no answer was received). */
export function isAmbiguous(error: unknown): boolean {
  return isClientError(error) && error.name !== 'ResponseError';
}
