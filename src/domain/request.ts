import { DEFAULT_JOB_TYPE, DEFAULT_TRIGGER_METHOD, JOB_TYPES, TRIGGER_METHODS } from './enums.js';
import type { JobType, TriggerMethod } from './enums.js';
import { strictBodyParser, throwIfInvalid } from './strict-body.js';

/** A parsed, validated create request, defaults applied. */
export interface CreateSyncJobCommand {
  /** The connector to sync. */
  connectorId: string;
  jobType: JobType;
  triggerMethod: TriggerMethod;
}

/** Upstream's name for the create request parser; it prefixes parse errors. */
export const CREATE_REQUEST_PARSER_NAME = 'connector_sync_job_post_request';

/** The create body as upstream's `PostConnectorSyncJobAction.Request` parser declares it. */
export const CREATE_SYNC_JOB_BODY = strictBodyParser(CREATE_REQUEST_PARSER_NAME, {
  id: { type: 'string', required: true },
  job_type: { type: 'string', enum: { values: JOB_TYPES, typeName: 'ConnectorSyncJobType' } },
  trigger_method: { type: 'string', enum: { values: TRIGGER_METHODS, typeName: 'ConnectorSyncJobTriggerMethod' } },
});

/**
 * Parses an untrusted create request body (what JSON.parse gave; `undefined` for no body)
 * exactly as upstream's strict parser and validation do, in upstream's order (spec section 1,
 * steps 1 to 5). Throws {@link InvalidRequestError}; returns the command with defaults applied.
 */
export function parseCreateSyncJobRequest(body: unknown): CreateSyncJobCommand {
  const values = CREATE_SYNC_JOB_BODY.parse(body);
  throwIfInvalid(values.id === '' ? [{ field: 'id', message: '[id] of the connector cannot be null or empty' }] : []);
  return {
    connectorId: values.id,
    jobType: values.job_type ?? DEFAULT_JOB_TYPE,
    triggerMethod: values.trigger_method ?? DEFAULT_TRIGGER_METHOD,
  };
}
