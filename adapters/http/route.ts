/**
 * What a route is: its entry in the table (method, path, consumed query parameters, auth level,
 * `prepare` and `handle`), what its handler sees of a request, what it answers, and the use cases
 * and stores it works with. The table itself is `routes.ts`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Container } from 'inversify';
import { TOKENS } from '../../src/index.js';
import type {
  CancelSyncJob,
  ClaimNextSyncJob,
  CheckInSyncJob,
  ClaimSyncJob,
  Clock,
  CompleteSyncJob,
  ConnectorStore,
  CreateSyncJob,
  DeleteSyncJob,
  ErrorSyncJob,
  GetSyncJob,
  ListSyncJobs,
  ServiceToken,
  SuspendSyncJob,
  UpdateSyncJobStats,
} from '../../src/index.js';

/** Who may call a route: anyone, a `read` key, or a `write` key (when API keys are on). */
export type AuthLevel = 'none' | 'read' | 'write';

/** What a handler sees of a request. */
export interface RouteRequest {
  /** Path parameters, percent-decoded (named as in the route's path). */
  params: Readonly<Record<string, string>>;
  /** Query parameters as upstream decodes them (first value of a repeated name). */
  query: ReadonlyMap<string, string>;
  headers: IncomingHttpHeaders;
  /**
   * The body, read as JSON and parsed by `parse` (the core's parser for it; it gets `undefined`
   * when there is no body), once: what `parse` returns is what the route works with. The media
   * type, the syntax and duplicate keys are checked first, as upstream's parser does, except that
   * an error `parse` finds in a field before a syntax error answers first. Any error the route
   * throws afterwards that names a top-level field gets its `[line:column]` in this body.
   */
  parseBody<T>(parse: (value: unknown) => T): T;
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
  completeSyncJob(): CompleteSyncJob;
  suspendSyncJob(): SuspendSyncJob;
  updateSyncJobStats(): UpdateSyncJobStats;
  connectors(): ConnectorStore;
  clock(): Clock;
  claimNextSyncJob(): ClaimNextSyncJob;
}

/**
 * One route. `prepare` (optional) reads and checks what upstream's REST action reads in
 * `prepareRequest` (the body, with `request.parseBody`; parameters such as ints and enums), so
 * it runs before the unknown-parameter check and before the key's privileges are checked;
 * `handle` then gets what it returned and does the work. Errors are thrown (typed errors or
 * HttpError); the server's one error handler answers them.
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

/** The services of a container, each resolved on first use (the container may still be loading). */
export function servicesOf(container: Container): Services {
  const resolved = new Map<ServiceToken<unknown>, unknown>();
  const lazy =
    <T>(token: ServiceToken<T>) =>
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
    completeSyncJob: lazy<CompleteSyncJob>(TOKENS.CompleteSyncJob),
    suspendSyncJob: lazy<SuspendSyncJob>(TOKENS.SuspendSyncJob),
    updateSyncJobStats: lazy<UpdateSyncJobStats>(TOKENS.UpdateSyncJobStats),
    connectors: lazy<ConnectorStore>(TOKENS.ConnectorStore),
    clock: lazy<Clock>(TOKENS.Clock),
    claimNextSyncJob: lazy<ClaimNextSyncJob>(TOKENS.ClaimNextSyncJob),
  };
}
