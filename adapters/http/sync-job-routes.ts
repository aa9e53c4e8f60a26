/**
 * The sync job routes (upstream's Rest*ConnectorSyncJob*Action classes, spec sections 4 and 5),
 * and this project's worker extension, claim-next.
 */
import {
  parseClaimNextRequest,
  parseClaimSyncJobRequest,
  parseCompleteSyncJobRequest,
  parseCreateSyncJobRequest,
  parseErrorSyncJobRequest,
  parseIfStartedAt,
  parseListSyncJobsParams,
  parseSuspendSyncJobRequest,
  parseUpdateSyncJobStatsRequest,
  toSyncJobResponse,
} from '../../src/internal.js';
import type { ClaimNextCommand, CreateSyncJobCommand, CreateSyncJobOptions, FenceOptions, SyncJobUpdate } from '../../src/internal.js';
import { HttpError } from './errors.js';
import { SERVER_CLOSING, route } from './route.js';
import type { Answer, Route, RouteRequest, Services } from './route.js';

/** Characters an id may hold to be written between quotes as is (no JSON escape needed). */
const PLAIN_ID = /^[A-Za-z0-9_.-]*$/;

/** `{"id":<id>}` as JSON.stringify writes it, without building and walking the object. */
export function idAnswerText(id: string): string {
  return PLAIN_ID.test(id) ? `{"id":"${id}"}` : `{"id":${JSON.stringify(id)}}`;
}

/** A create without options (no idempotency key): one shared object, not one per request. */
const NO_OPTIONS: CreateSyncJobOptions = Object.freeze({});

/** Upstream's path parameter for a job (`ConnectorSyncJobConstants.CONNECTOR_SYNC_JOB_ID_PARAM`). */
const JOB = '/_connector/_sync_job/:connector_sync_job_id';
const jobIdOf = (request: RouteRequest): string => request.params.connector_sync_job_id ?? '';

/** Upstream's answer of every update-style lifecycle call (`ConnectorUpdateActionResponse`). */
const UPDATED = { result: 'updated' } as const;
const UPDATED_ANSWER: Answer = { body: UPDATED, text: JSON.stringify(UPDATED) };

/** The list's query parameters (`RestListConnectorSyncJobsAction`). */
const LIST_PARAMS = ['from', 'size', 'connector_id', 'status', 'job_type'] as const;

function listParamsOf(request: RouteRequest): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  for (const name of LIST_PARAMS) params[name] = request.query.get(name);
  return params;
}

/** This project's fence of a worker's call (spec section 8): `if_started_at=<the started_at of its claim>`. */
const FENCE_PARAMS = ['if_started_at'] as const;

const fenceOf = (request: RouteRequest): FenceOptions => {
  const ifStartedAt = parseIfStartedAt(request.query.get('if_started_at'));
  return ifStartedAt === undefined ? {} : { ifStartedAt };
};

/**
 * A lifecycle route with a body (`_claim`, `_error`, `_stats`, and this project's `_complete`,
 * `_suspend`). `prepare` parses and validates the body with the core's parser, as upstream's
 * REST action parses it in `prepareRequest` and validates it before the key's privileges are
 * checked, and the fence parameter when the route takes one; the handler hands both to the use
 * case's `executeCommand` (the body is parsed once). Answers `{"result":"updated"}`, or what
 * `answer` makes of the use case's result.
 */
function lifecycleBodyRoute<C, R>(
  action: string,
  parse: (id: string, body: unknown) => C,
  execute: (services: Services, id: string, command: C, fence: FenceOptions) => Promise<R>,
  options: { fenced?: boolean; answer?: (result: R) => Answer; extension?: boolean } = {},
): Route<unknown> {
  return route<{ command: C; fence: FenceOptions }>({
    method: 'PUT',
    path: `${JOB}/${action}`,
    params: options.fenced ? FENCE_PARAMS : [],
    auth: 'write',
    ...(options.extension ? { extension: true } : {}),
    prepare: (request) => {
      const id = jobIdOf(request);
      const command = request.parseBody((value) => parse(id, value));
      return { command, fence: options.fenced ? fenceOf(request) : {} };
    },
    handle: async (request, { command, fence }, services) => {
      const result = await execute(services, jobIdOf(request), command, fence);
      return options.answer ? options.answer(result) : UPDATED_ANSWER;
    },
  });
}

/** A lifecycle route without a body (`_cancel`, `_check_in`): answers `{"result":"updated"}`. */
function lifecycleRoute(
  action: string,
  execute: (services: Services, id: string, fence: FenceOptions) => Promise<unknown>,
  options: { fenced?: boolean } = {},
): Route<unknown> {
  return route<FenceOptions>({
    method: 'PUT',
    path: `${JOB}/${action}`,
    params: options.fenced ? FENCE_PARAMS : [],
    auth: 'write',
    prepare: (request) => (options.fenced ? fenceOf(request) : {}),
    handle: async (request, fence, services) => {
      await execute(services, jobIdOf(request), fence);
      return UPDATED_ANSWER;
    },
  });
}

/** A job's end answers `{"result":"updated"|"noop","status":"<the job's status>"}` (spec section 8). */
const endAnswer = (update: SyncJobUpdate): Answer => ({ body: { result: update.result, status: update.job.status } });

/** Upstream's sync job API, in the table's order. */
export const SYNC_JOB_ROUTES: readonly Route<unknown>[] = [
  route<CreateSyncJobCommand>({
    method: 'POST',
    path: '/_connector/_sync_job',
    params: [],
    auth: 'write',
    // parsed once, here: the use case takes the command
    prepare: (request) => request.parseBody(parseCreateSyncJobRequest),
    handle: async (request, command, services) => {
      const header = request.headers['idempotency-key'];
      const idempotencyKey = Array.isArray(header) ? header.join(', ') : header;
      const job = await services.createSyncJob().executeCommand(command, idempotencyKey === undefined ? NO_OPTIONS : { idempotencyKey });
      return { status: 201, body: { id: job.id }, text: idAnswerText(job.id) };
    },
  }),
  route({
    method: 'GET',
    path: JOB,
    params: [],
    auth: 'read',
    handle: async (request, _p, services) => {
      const job = await services.getSyncJob().execute(jobIdOf(request));
      return { body: toSyncJobResponse(job) };
    },
  }),
  route({
    method: 'GET',
    path: '/_connector/_sync_job',
    params: LIST_PARAMS,
    auth: 'read',
    // upstream reads the parameters (ints, enums) in prepareRequest, before unconsumed ones are refused
    prepare: (request) => void parseListSyncJobsParams(listParamsOf(request)),
    handle: async (request, _p, services) => {
      const page = await services.listSyncJobs().execute(listParamsOf(request));
      return { body: { count: page.count, results: page.results.map(toSyncJobResponse) } };
    },
  }),
  route({
    method: 'DELETE',
    path: JOB,
    params: [],
    auth: 'write',
    handle: async (request, _p, services) => {
      await services.deleteSyncJob().execute(jobIdOf(request));
      return { body: { acknowledged: true } };
    },
  }),
  lifecycleRoute('_cancel', (s, id) => s.cancelSyncJob().execute(id)),
  lifecycleRoute('_check_in', (s, id, fence) => s.checkInSyncJob().execute(id, fence), { fenced: true }),
  lifecycleBodyRoute('_claim', parseClaimSyncJobRequest, (s, id, command) => s.claimSyncJob().executeCommand(id, command)),
  lifecycleBodyRoute('_error', parseErrorSyncJobRequest, (s, id, command, fence) => s.errorSyncJob().executeCommand(id, command, fence), { fenced: true }),
  lifecycleBodyRoute('_stats', parseUpdateSyncJobStatsRequest, (s, id, command, fence) => s.updateSyncJobStats().executeCommand(id, command, fence), {
    fenced: true,
  }),
];

/**
 * This project's ends of a job (spec section 8), not Elasticsearch APIs: same auth as `_claim`,
 * optional strict bodies, the fence, and the job's status in the answer.
 */
export const JOB_END_ROUTES: readonly Route<unknown>[] = [
  lifecycleBodyRoute('_complete', parseCompleteSyncJobRequest, (s, id, command, fence) => s.completeSyncJob().executeCommand(id, command, fence), {
    fenced: true,
    answer: endAnswer,
    extension: true,
  }),
  lifecycleBodyRoute('_suspend', parseSuspendSyncJobRequest, (s, id, command, fence) => s.suspendSyncJob().executeCommand(id, command, fence), {
    fenced: true,
    answer: endAnswer,
    extension: true,
  }),
];

/**
 * This project's worker extension, not an Elasticsearch API: a worker claims the next pending
 * (then suspended) job, optionally waiting for one (long poll, at most 60 s). Answers 200
 * {"job": <the claimed job, as GET answers it>} or {"job": null}; 503 when the server stops
 * during the wait. Same auth as _claim (a write key).
 */
export const WORKER_ROUTES: readonly Route<unknown>[] = [
  route<ClaimNextCommand>({
    method: 'POST',
    path: '/_connector/_sync_job/_claim_next',
    params: [],
    auth: 'write',
    extension: true,
    prepare: (request) => request.parseBody(parseClaimNextRequest),
    handle: async (request, command, services) => {
      const signal = command.waitMs > 0 ? request.signal() : undefined;
      const job = await services.claimNextSyncJob().claim(command, signal ? { signal } : {});
      if (!job && signal?.aborted && signal.reason === SERVER_CLOSING) {
        throw new HttpError(503, 'node_closed_exception', 'the server is shutting down: claim again (on another node, or once it is back)', {
          'retry-after': '1',
        });
      }
      return { body: { job: job ? toSyncJobResponse(job) : null } };
    },
  }),
];
