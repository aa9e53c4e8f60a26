import { DEFAULT_JOB_TYPE, DEFAULT_TRIGGER_METHOD, JOB_TYPES, TRIGGER_METHODS, matchEnum } from './enums.js';
import type { JobType, TriggerMethod } from './enums.js';
import { InvalidRequestError } from './errors.js';
import { isJsonObject } from './json.js';

/** A parsed, validated create request, defaults applied. */
export interface CreateSyncJobCommand {
  /** The connector to sync. */
  connectorId: string;
  jobType: JobType;
  triggerMethod: TriggerMethod;
}

/** Upstream's name for the create request parser; it prefixes parse errors. */
export const CREATE_REQUEST_PARSER_NAME = 'connector_sync_job_post_request';

const FIELDS = ['id', 'job_type', 'trigger_method'] as const;
type Field = (typeof FIELDS)[number];
const P = `[${CREATE_REQUEST_PARSER_NAME}]`;

/** The token name upstream's parser reports for a JSON value. */
export function jsonTokenName(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  switch (typeof value) {
    case 'string':
      return 'VALUE_STRING';
    case 'number':
    case 'bigint':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    case 'object':
      return 'START_OBJECT';
    default:
      return 'VALUE_EMBEDDED_OBJECT';
  }
}

/** Lucene's LevenshteinDistance similarity: 1 - edits / longer length. */
function similarity(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return n === m ? 1 : 0;
  let prev = Array.from({ length: n + 1 }, (_, i) => i);
  for (let j = 1; j <= m; j++) {
    const cur = [j];
    for (let i = 1; i <= n; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[i] = Math.min((cur[i - 1] as number) + 1, (prev[i] as number) + 1, (prev[i - 1] as number) + cost);
    }
    prev = cur;
  }
  return 1 - (prev[n] as number) / Math.max(n, m);
}

/** Upstream's "did you mean" suffix for an unknown field (SuggestingErrorOnUnknown). */
export function suggestField(unknown: string, candidates: readonly string[]): string {
  const scored = candidates
    .map((c) => ({ c, d: similarity(unknown, c) }))
    .filter((s) => s.d > 0.5)
    .sort((x, y) => (x.d !== y.d ? y.d - x.d : x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
  if (scored.length === 0) return '';
  const keys = scored.map((s) => s.c);
  return keys.length === 1 ? ` did you mean [${keys[0]}]?` : ` did you mean any of [${keys.join(', ')}]?`;
}

function isField(key: string): key is Field {
  return (FIELDS as readonly string[]).includes(key);
}

function wrapBuildFailure(
  values: Partial<Record<Field, string>>,
  lastField: Field | undefined,
  inner: InvalidRequestError,
): InvalidRequestError {
  const built = new InvalidRequestError('failed_to_build', `Failed to build ${P} after last required field arrived`, undefined, inner);
  const allArrived = FIELDS.every((f) => values[f] !== undefined);
  return allArrived && lastField
    ? new InvalidRequestError('failed_to_parse_field', `${P} failed to parse field [${lastField}]`, lastField, built)
    : built;
}

/**
 * Parses an untrusted create request body (what JSON.parse gave; `undefined` for no body)
 * exactly as upstream's strict parser and validation do, in upstream's order (spec section 1,
 * steps 1 to 5). Throws {@link InvalidRequestError}; returns the command with defaults applied.
 */
export function parseCreateSyncJobRequest(body: unknown): CreateSyncJobCommand {
  if (body === undefined) throw new InvalidRequestError('missing_body', 'request body is required');
  if (!isJsonObject(body)) {
    throw new InvalidRequestError('not_an_object', `${P} Expected START_OBJECT but was: ${jsonTokenName(body)}`);
  }
  const values: Partial<Record<Field, string>> = {};
  let lastField: Field | undefined;
  for (const key of Object.keys(body)) {
    if (!isField(key)) {
      throw new InvalidRequestError('unknown_field', `${P} unknown field [${key}]${suggestField(key, FIELDS)}`, key);
    }
    const value = body[key];
    if (typeof value !== 'string') {
      throw new InvalidRequestError(
        'wrong_type',
        `${P} ${key} doesn't support values of type: ${jsonTokenName(value)}`,
        key,
      );
    }
    values[key] = value;
    lastField = key;
  }
  if (values.id === undefined) throw new InvalidRequestError('missing_field', 'Required [id]', 'id');

  // Upstream builds the request (and so parses the enums, job type first) when the last
  // constructor argument arrives, inside that field's parsing, or at the end of the object.
  const jobType = values.job_type === undefined ? DEFAULT_JOB_TYPE : matchEnum(JOB_TYPES, values.job_type);
  if (jobType === undefined) {
    const inner = new InvalidRequestError('illegal_value', `Unknown ConnectorSyncJobType [${values.job_type}].`);
    throw wrapBuildFailure(values, lastField, inner);
  }
  const triggerMethod =
    values.trigger_method === undefined ? DEFAULT_TRIGGER_METHOD : matchEnum(TRIGGER_METHODS, values.trigger_method);
  if (triggerMethod === undefined) {
    const inner = new InvalidRequestError('illegal_value', `Unknown ConnectorSyncJobTriggerMethod [${values.trigger_method}].`);
    throw wrapBuildFailure(values, lastField, inner);
  }

  if (values.id === '') {
    throw new InvalidRequestError(
      'validation',
      'Validation Failed: 1: [id] of the connector cannot be null or empty;',
      'id',
    );
  }
  return { connectorId: values.id, jobType, triggerMethod };
}
