/**
 * The HTTP adapter's route table: every API the server answers, one entry each. An entry names
 * the method, the path (upstream's path parameter names), the query parameters the route
 * consumes (besides the global ones), the auth level, and the handler. Everything else on the
 * wire (unknown parameters, 405 and no-handler answers, the product header, the error shape,
 * compressed bodies, `filter_path` and `pretty`) is applied by `server.ts` to every entry, so
 * adding a route is adding an entry here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Container } from 'inversify';
import {
  CLAIM_SYNC_JOB_BODY,
  ConnectorNotFoundError,
  ERROR_SYNC_JOB_BODY,
  TOKENS,
  UPDATE_SYNC_JOB_STATS_BODY,
  parseClaimNextRequest,
  decodeConnectorDocument,
  decodeConnectorSetup,
  parseClaimSyncJobRequest,
  parseCreateSyncJobRequest,
  parseErrorSyncJobRequest,
  parseUpdateSyncJobStatsRequest,
  parseListSyncJobsParams,
  toConnectorResponse,
  toSyncJobResponse,
} from '../../src/index.js';
import type {
  CancelSyncJob,
  ClaimNextSyncJob,
  CheckInSyncJob,
  ClaimSyncJob,
  Clock,
  ConnectorStore,
  CreateSyncJob,
  CreateSyncJobCommand,
  CreateSyncJobOptions,
  DeleteSyncJob,
  ErrorSyncJob,
  GetSyncJob,
  ListSyncJobs,
  UpdateSyncJobStats,
} from '../../src/index.js';
import { HttpError } from './errors.js';
import type { FieldLocator } from './errors.js';
import { booleanParam, infoAnswer } from './wire.js';

/** Who may call a route: anyone, a `read` key, or a `write` key (when API keys are on). */
export type AuthLevel = 'none' | 'read' | 'write';

/** A request body read as JSON by the server (media type checked, syntax and duplicates as upstream). */
export interface JsonBody {
  /** What JSON.parse gave; `undefined` when there is no body. */
  value: unknown;
  /** `[line:column]` of a top-level field in the raw text. */
  locate: FieldLocator;
}

/** What a handler sees of a request. */
export interface RouteRequest {
  /** Path parameters, percent-decoded (named as in the route's path). */
  params: Readonly<Record<string, string>>;
  /** Query parameters as upstream decodes them (first value of a repeated name). */
  query: ReadonlyMap<string, string>;
  headers: IncomingHttpHeaders;
  /**
   * Reads the body as JSON. `decode` is the core's parser for it: a field error it finds
   * before a syntax error answers first, as upstream's streaming parser does.
   */
  json(decode: (value: unknown) => unknown): JsonBody;
  /**
   * Aborts when the client goes away before the answer or the server starts to stop (its
   * `reason` is then {@link SERVER_CLOSING}); for long waits (claim-next).
   */
  signal(): AbortSignal;
}

/** The abort reason of a request's signal when the server is stopping. */
export const SERVER_CLOSING = Symbol.for('connector-sync-jobs.http.server-closing');

/** A success answer; `status` defaults to 200. */
export interface Answer {
  status?: number;
  body: unknown;
  /**
   * `body` already serialized as compact JSON (what `JSON.stringify(body)` gives), sent as is
   * when the request has no query parameters (no `filter_path`, no `pretty`); for the hot answers.
   */
  text?: string;
}

/** Characters an id may hold to be written between quotes as is (no JSON escape needed). */
const PLAIN_ID = /^[A-Za-z0-9_.-]*$/;

/** `{"id":<id>}` as JSON.stringify writes it, without building and walking the object. */
export function idAnswerText(id: string): string {
  return PLAIN_ID.test(id) ? `{"id":"${id}"}` : `{"id":${JSON.stringify(id)}}`;
}

/** The use cases and stores the handlers use, resolved once from the container. */
export interface Services {
  createSyncJob(): CreateSyncJob;
  getSyncJob(): GetSyncJob;
  listSyncJobs(): ListSyncJobs;
  deleteSyncJob(): DeleteSyncJob;
  cancelSyncJob(): CancelSyncJob;
  checkInSyncJob(): CheckInSyncJob;
  claimSyncJob(): ClaimSyncJob;
  errorSyncJob(): ErrorSyncJob;
  updateSyncJobStats(): UpdateSyncJobStats;
  connectors(): ConnectorStore;
  clock(): Clock;
  claimNextSyncJob(): ClaimNextSyncJob;
}

/**
 * One route. `prepare` (optional) reads and checks the body; it runs before the
 * unknown-parameter check, as upstream parses the body in `prepareRequest` before
 * `BaseRestHandler` looks for unconsumed parameters. `handle` then does the work. Errors are
 * thrown (typed errors or HttpError); the server's one error handler answers them. An error
 * carrying a `locate` (FieldLocator) property gets `[line:column]` prefixes.
 */
export interface Route<P = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify syntax with upstream's parameter names, e.g. `/_connector/:connector_id`. */
  path: string;
  /** Query parameters this route consumes (the global ones are always accepted). */
  params: readonly string[];
  auth: AuthLevel;
  prepare?: (request: RouteRequest, services: Services) => P;
  handle: (request: RouteRequest, prepared: P, services: Services) => Promise<Answer>;
  /**
   * This project's own extension, not an upstream API: other methods on its path are not
   * answered 405 but fall through to upstream's routes (e.g. `GET _connector/_sync_job/_claim_next`
   * stays a get of the job with that id).
   */
  extension?: boolean;
}

/** Builds a route with its `prepare` result typed. */
export function route<P = undefined>(r: Route<P>): Route<unknown> {
  return r as Route<unknown>;
}

/** Attaches the body's locator to an error, so the error handler can prefix `[line:column]`. */
export function located(error: unknown, locate: FieldLocator): unknown {
  if (typeof error === 'object' && error !== null && !('locate' in error)) Object.assign(error, { locate });
  return error;
}

function connectorNotFound(id: string): ConnectorNotFoundError {
  return new ConnectorNotFoundError(id);
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

/**
 * A lifecycle route with a body (`_claim`, `_error`, `_stats`): `prepare` reads the body with
 * the core's strict parser, as upstream's REST action parses it in `prepareRequest`; the use
 * case then parses it again with validation (the empty id, negative counters, an empty error)
 * before it looks the job up. Answers `{"result":"updated"}`.
 */
function lifecycleBodyRoute(
  action: string,
  body: { parse(value: unknown): unknown },
  validate: (id: string, value: unknown) => unknown,
  execute: (services: Services, id: string, value: unknown) => Promise<unknown>,
): Route<unknown> {
  return route<JsonBody>({
    method: 'PUT',
    path: `${JOB}/${action}`,
    params: [],
    auth: 'write',
    prepare: (request) => {
      const read = request.json((value) => body.parse(value));
      try {
        // parsed and validated here, before the API key's role is checked (see Route.auth)
        validate(jobIdOf(request), read.value);
      } catch (error) {
        throw located(error, read.locate);
      }
      return read;
    },
    handle: async (request, read, services) => {
      try {
        await execute(services, jobIdOf(request), read.value);
      } catch (error) {
        throw located(error, read.locate);
      }
      return UPDATED_ANSWER;
    },
  });
}

/** A lifecycle route without a body (`_cancel`, `_check_in`): answers `{"result":"updated"}`. */
function lifecycleRoute(action: string, execute: (services: Services, id: string) => Promise<unknown>): Route<unknown> {
  return route({
    method: 'PUT',
    path: `${JOB}/${action}`,
    params: [],
    auth: 'write',
    handle: async (request, _p, services) => {
      await execute(services, jobIdOf(request));
      return UPDATED_ANSWER;
    },
  });
}

/** The routes of this server. */
export const ROUTES: readonly Route<unknown>[] = [
  route({
    method: 'GET',
    path: '/',
    params: [],
    auth: 'none',
    handle: async () => ({ body: infoAnswer() }),
  }),
  route<{ command: CreateSyncJobCommand; locate: FieldLocator }>({
    method: 'POST',
    path: '/_connector/_sync_job',
    params: [],
    auth: 'write',
    prepare: (request) => {
      const body = request.json(parseCreateSyncJobRequest);
      try {
        // parsed once, here: the use case takes the command
        return { command: parseCreateSyncJobRequest(body.value), locate: body.locate };
      } catch (error) {
        throw located(error, body.locate);
      }
    },
    handle: async (request, body, services) => {
      const header = request.headers['idempotency-key'];
      const idempotencyKey = Array.isArray(header) ? header.join(', ') : header;
      try {
        const job = await services.createSyncJob().executeCommand(body.command, idempotencyKey === undefined ? NO_OPTIONS : { idempotencyKey });
        return { status: 201, body: { id: job.id }, text: idAnswerText(job.id) };
      } catch (error) {
        throw located(error, body.locate);
      }
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
  // The sync job lifecycle (spec section 5; upstream's Rest*ConnectorSyncJob*Action classes).
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
  lifecycleRoute('_check_in', (s, id) => s.checkInSyncJob().execute(id)),
  lifecycleBodyRoute('_claim', CLAIM_SYNC_JOB_BODY, parseClaimSyncJobRequest, (s, id, body) => s.claimSyncJob().execute(id, body)),
  lifecycleBodyRoute('_error', ERROR_SYNC_JOB_BODY, parseErrorSyncJobRequest, (s, id, body) => s.errorSyncJob().execute(id, body)),
  lifecycleBodyRoute('_stats', UPDATE_SYNC_JOB_STATS_BODY, parseUpdateSyncJobStatsRequest, (s, id, body) => s.updateSyncJobStats().execute(id, body)),
  route({
    method: 'GET',
    path: '/_connector/:connector_id',
    params: ['include_deleted'],
    auth: 'read',
    handle: async (request, _p, services) => {
      const id = request.params.connector_id ?? '';
      const includeDeleted = booleanParam(request.query, 'include_deleted');
      const connector = await services.connectors().findById(id);
      if (!connector || (connector.deleted && !includeDeleted)) throw connectorNotFound(id);
      return { body: toConnectorResponse(connector) };
    },
  }),
  route<ReturnType<typeof decodeConnectorDocument>>({
    method: 'PUT',
    path: '/_connector/:connector_id',
    params: [],
    auth: 'write',
    prepare: (request, services) => {
      const id = request.params.connector_id ?? '';
      const now = services.clock().now();
      const body = request.json((value) => decodeConnectorDocument(id, value, { strict: true, now }));
      try {
        return decodeConnectorSetup(id, body.value, now);
      } catch (error) {
        throw located(error, body.locate);
      }
    },
    handle: async (request, connector, services) => {
      const result = await services.connectors().upsert(connector);
      return { status: result === 'created' ? 201 : 200, body: { result, id: request.params.connector_id ?? '' } };
    },
  }),
  route<{ hard: boolean; deleteSyncJobs: boolean }>({
    method: 'DELETE',
    path: '/_connector/:connector_id',
    params: ['delete_sync_jobs', 'hard'],
    auth: 'write',
    // upstream's RestDeleteConnectorAction reads both in prepareRequest (a bad value is 400 before any privilege check)
    prepare: (request) => ({ hard: booleanParam(request.query, 'hard'), deleteSyncJobs: booleanParam(request.query, 'delete_sync_jobs') }),
    handle: async (request, options, services) => {
      await services.connectors().delete(request.params.connector_id ?? '', options);
      return { body: { acknowledged: true } };
    },
  }),
  // This project's extension (issue 14), not an Elasticsearch API: a worker claims the next
  // pending (then suspended) job, optionally waiting for one (long poll, at most 60 s).
  // Answers 200 {"job": <the claimed job, as GET answers it>} or {"job": null}; 503 when the
  // server stops during the wait. Same auth as _claim (a write key).
  route<ReturnType<typeof parseClaimNextRequest>>({
    method: 'POST',
    path: '/_connector/_sync_job/_claim_next',
    params: [],
    auth: 'write',
    extension: true,
    prepare: (request) => {
      const body = request.json(parseClaimNextRequest);
      try {
        return parseClaimNextRequest(body.value);
      } catch (error) {
        throw located(error, body.locate);
      }
    },
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

/** The services of a container, each resolved on first use (the container may still be loading). */
export function servicesOf(container: Container): Services {
  const resolved = new Map<symbol, unknown>();
  const lazy =
    <T>(token: symbol) =>
    (): T => {
      if (!resolved.has(token)) resolved.set(token, container.get<T>(token));
      return resolved.get(token) as T;
    };
  return {
    createSyncJob: lazy<CreateSyncJob>(TOKENS.CreateSyncJob),
    getSyncJob: lazy<GetSyncJob>(TOKENS.GetSyncJob),
    listSyncJobs: lazy<ListSyncJobs>(TOKENS.ListSyncJobs),
    deleteSyncJob: lazy<DeleteSyncJob>(TOKENS.DeleteSyncJob),
    cancelSyncJob: lazy<CancelSyncJob>(TOKENS.CancelSyncJob),
    checkInSyncJob: lazy<CheckInSyncJob>(TOKENS.CheckInSyncJob),
    claimSyncJob: lazy<ClaimSyncJob>(TOKENS.ClaimSyncJob),
    errorSyncJob: lazy<ErrorSyncJob>(TOKENS.ErrorSyncJob),
    updateSyncJobStats: lazy<UpdateSyncJobStats>(TOKENS.UpdateSyncJobStats),
    connectors: lazy<ConnectorStore>(TOKENS.ConnectorStore),
    clock: lazy<Clock>(TOKENS.Clock),
    claimNextSyncJob: lazy<ClaimNextSyncJob>(TOKENS.ClaimNextSyncJob),
  };
}
