/**
 * What every request passes before anything else of it is read or run, and the key's
 * privileges once its route has checked the request:
 *
 * - {@link Admission.admit}: refused (503) while draining, the path and query decoded (400 for a
 *   bad escape; the query kept on the request, {@link queryOf}), then the API key (401);
 * - {@link Admission.authorize}: a read key on a write route (403).
 *
 * There is no Fastify hook on the request path: `admit` runs once per request where an
 * `onRequest` hook would have run it, at the first of the body parser (before a byte of the body
 * is read), the route's handler (a request without a body), the no-handler and wrong-method
 * answers, and the error handler (an error Fastify raises before the body parser, such as a 415
 * for a malformed Content-Type: a 401 or the drain's 503 still comes first).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeyAuthenticator, ApiKeyRole } from './auth.js';
import { drainingRefusal, isDraining } from './limits.js';
import type { Route } from './route.js';
import { checkPath, parseQueryString, pathOf } from './url.js';

/** The request property holding the API key's role (a Fastify request decoration). */
const ROLE = Symbol('connector-sync-jobs.http.role');
/** The request property telling that the request was admitted (a Fastify request decoration). */
const ADMITTED = Symbol('connector-sync-jobs.http.admitted');
/** The request property holding its decoded query parameters (a Fastify request decoration). */
const QUERY = Symbol('connector-sync-jobs.http.query');

type Admitted = FastifyRequest & {
  [ROLE]?: ApiKeyRole | null;
  [ADMITTED]?: boolean;
  [QUERY]?: ReadonlyMap<string, string> | null;
};

const EMPTY_QUERY: ReadonlyMap<string, string> = new Map();

/** The request's query parameters as upstream decodes them (kept by {@link Admission.admit}). */
export function queryOf(request: FastifyRequest): ReadonlyMap<string, string> {
  return (request as Admitted)[QUERY] ?? EMPTY_QUERY;
}

/** The admission of one server. */
export class Admission {
  /** `METHOD path` of the routes open without a key (`GET /`). */
  private readonly openRoutes: ReadonlySet<string>;

  /**
   * Declares the request properties it uses on `app` (call before any route). `auth` is
   * undefined when the server has no API keys; `retryAfterSeconds` goes on the drain's 503.
   */
  constructor(
    private readonly app: FastifyInstance,
    routes: readonly Route[],
    private readonly auth: ApiKeyAuthenticator | undefined,
    private readonly retryAfterSeconds: number,
  ) {
    this.openRoutes = new Set(routes.filter((r) => r.auth === 'none').map((r) => `${r.method} ${r.path}`));
    app.decorateRequest(QUERY, null);
    app.decorateRequest(ROLE, null);
    app.decorateRequest(ADMITTED, false);
  }

  /** Admits `request` once (later calls return at once); throws HttpError (503, 400, 401). */
  readonly admit = (request: FastifyRequest): void => {
    const r = request as Admitted;
    if (r[ADMITTED]) return;
    r[ADMITTED] = true;
    if (isDraining(this.app)) throw drainingRefusal(this.retryAfterSeconds);
    const url = request.url;
    const qs = url.indexOf('?');
    const path = qs < 0 ? url : url.slice(0, qs);
    checkPath(path);
    if (qs >= 0) r[QUERY] = parseQueryString(url.slice(qs + 1));
    if (!this.auth) return;
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (this.openRoutes.has(`${method} ${path}`)) return;
    r[ROLE] = this.auth.authenticate(request.headers.authorization, path);
  };

  /**
   * HttpError 403 when a read key calls a write route, whatever its method. Called after the
   * route parsed and validated the request, as upstream's: the REST handler parses it
   * (prepareRequest), TransportAction.execute validates it, and only then does the security
   * action filter check the key's privileges. So a read key sending a bad body gets the 400, a
   * valid one the 403.
   */
  authorize(request: FastifyRequest, route: Route): void {
    if (!this.auth || route.auth !== 'write') return;
    const role = (request as Admitted)[ROLE];
    if (role) this.auth.authorize(role, request.method === 'GET' || request.method === 'HEAD' ? 'POST' : request.method, pathOf(request.url));
  }
}
