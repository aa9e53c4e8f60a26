import {
  ConflictError,
  ConnectorNotFoundError,
  ConnectorNotSyncableError,
  CorruptSyncJobError,
  InvalidRequestError,
  InvalidTransitionError,
  StorageFailureError,
  StorageUnavailableError,
  SyncJobNotFoundError,
} from '../../src/index.js';
import type { InvalidRequestKind } from '../../src/index.js';

/** One level of Elasticsearch's error object. */
export interface EsErrorCause {
  type: string;
  reason: string;
  caused_by?: EsErrorCause;
}

/** Elasticsearch's error body: `{"error":{root_cause,type,reason,caused_by?},"status"}`. */
export interface EsErrorBody {
  error: EsErrorCause & { root_cause: { type: string; reason: string }[] };
  status: number;
}

/** An error the HTTP adapter answers itself (routing, content type, auth, body limit). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Elasticsearch's exception type for each kind of invalid request. */
export const INVALID_REQUEST_TYPES: Record<InvalidRequestKind, string> = {
  missing_body: 'parse_exception',
  not_an_object: 'x_content_parse_exception',
  unknown_field: 'x_content_parse_exception',
  wrong_type: 'x_content_parse_exception',
  failed_to_build: 'x_content_parse_exception',
  failed_to_parse_field: 'x_content_parse_exception',
  missing_field: 'illegal_argument_exception',
  illegal_value: 'illegal_argument_exception',
  validation: 'action_request_validation_exception',
};

/** Kinds whose reason upstream prefixes with the `[line:column]` of the field. */
export const POSITIONED_KINDS: ReadonlySet<InvalidRequestKind> = new Set(['unknown_field', 'wrong_type', 'failed_to_parse_field']);

/**
 * Gives the `[line:column]` prefix of a top-level field, when the raw body is known. Like
 * Elasticsearch's parser, an unknown field is reported at its name, a value of the wrong type
 * or a field that failed to parse at its value.
 */
export type FieldLocator = (field: string, at: 'name' | 'value') => string | undefined;

/** Status, headers and body for an error; `expected` is false for a 500 (to be logged). */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: EsErrorBody;
  expected: boolean;
}

function describeInvalid(e: InvalidRequestError, locate: FieldLocator | undefined): EsErrorCause {
  let reason = e.message;
  if (POSITIONED_KINDS.has(e.kind) && e.field !== undefined && locate) {
    const at = locate(e.field, e.kind === 'unknown_field' ? 'name' : 'value');
    if (at) reason = `${at} ${reason}`;
  }
  const out: EsErrorCause = { type: INVALID_REQUEST_TYPES[e.kind], reason };
  if (e.cause instanceof InvalidRequestError) out.caused_by = describeInvalid(e.cause, locate);
  return out;
}

/** The root cause as Elasticsearch reports it: the deepest x_content_parse_exception, else the error itself. */
export function rootCauseOf(top: EsErrorCause): { type: string; reason: string } {
  let root: EsErrorCause = top;
  if (top.type === 'x_content_parse_exception') {
    for (let c: EsErrorCause | undefined = top; c; c = c.caused_by) {
      if (c.type === 'x_content_parse_exception') root = c;
    }
  }
  return { type: root.type, reason: root.reason };
}

/** The ES error body for a cause chain and status. */
export function esErrorBody(status: number, top: EsErrorCause): EsErrorBody {
  return { error: { root_cause: [rootCauseOf(top)], ...top }, status };
}

/** Maps any thrown value to the reply Elasticsearch would give; never exposes a stack. */
export function errorReply(error: unknown, locate?: FieldLocator, retryAfterSeconds = 1): ErrorReply {
  const reply = (status: number, top: EsErrorCause, headers: Record<string, string> = {}, expected = true): ErrorReply => ({
    status,
    headers,
    body: esErrorBody(status, top),
    expected,
  });
  if (error instanceof HttpError) return reply(error.status, { type: error.type, reason: error.message }, error.headers);
  if (error instanceof InvalidRequestError) return reply(400, describeInvalid(error, locate));
  if (error instanceof ConnectorNotFoundError || error instanceof SyncJobNotFoundError) {
    return reply(404, { type: 'resource_not_found_exception', reason: error.message });
  }
  if (error instanceof ConnectorNotSyncableError) return reply(400, { type: 'status_exception', reason: error.message });
  if (error instanceof InvalidTransitionError) {
    // Upstream (ConnectorSyncJobIndexService) wraps ConnectorSyncJobInvalidStatusTransitionException,
    // a plain Exception, in ElasticsearchStatusException(message, BAD_REQUEST, e): the root cause
    // is the status_exception itself, the wrapped exception its caused_by.
    return reply(400, {
      type: 'status_exception',
      reason: error.message,
      caused_by: { type: 'connector_sync_job_invalid_status_transition_exception', reason: error.message },
    });
  }
  if (error instanceof ConflictError) {
    const type = error.kind === 'duplicate_id' || error.kind === 'started_at_mismatch' ? 'version_conflict_engine_exception' : 'status_exception';
    return reply(409, { type, reason: error.message });
  }
  if (error instanceof StorageUnavailableError) {
    return reply(
      503,
      { type: 'unavailable_shards_exception', reason: error.message },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
  if (error instanceof StorageFailureError) {
    // Not retryable (a missing table, a permission error, bad credentials): no Retry-After.
    // Logged like any 500; the reason is the adapter's safe text (a code, never an address).
    return reply(500, { type: 'illegal_state_exception', reason: error.message }, {}, false);
  }
  if (error instanceof CorruptSyncJobError) {
    // A stored job that does not decode (unknown status, bad counter, ...): the data must be
    // repaired, retrying cannot help. Named job and field, no Retry-After; logged like any 500.
    return reply(500, { type: 'illegal_state_exception', reason: error.message }, {}, false);
  }
  return reply(500, { type: 'exception', reason: 'Internal server error' }, {}, false);
}
