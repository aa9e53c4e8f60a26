/**
 * How the server answers, in one place: success bodies (`filter_path`, `pretty`), errors in
 * Elasticsearch's shape, upstream's flat answers for an unknown route (400) and a wrong method
 * (405, `Allow`), OPTIONS, unrecognized query parameters, and the answers Node writes before
 * any route runs. Follows upstream's RestController, BaseRestHandler and AbstractRestChannel.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, errorReply } from './errors.js';
import type { FieldLocator } from './errors.js';
import type { Route } from './routes.js';
import { GLOBAL_PARAMS, applyFilterPath, booleanParam, checkPath, prettyJson, unrecognizedMessage } from './wire.js';

const JSON_TYPE = 'application/json; charset=UTF-8';

/** Upstream's RestRequest.Method order (how its 405 lists the allowed methods). */
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE', 'CONNECT'];

/** Methods Fastify can route; the ones a path does not answer are 405 (OPTIONS answers 200). */
const ROUTABLE = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

const EMPTY_QUERY: ReadonlyMap<string, string> = new Map();

/** Whether `pretty` was asked for; a malformed value counts as not (the error about it is answered plainly). */
function isPretty(query: ReadonlyMap<string, string>): boolean {
  try {
    return booleanParam(query, 'pretty');
  } catch (error) {
    if (error instanceof HttpError) return false;
    throw error;
  }
}

/** The request property holding its decoded query parameters (a Fastify request decoration). */
const QUERY = Symbol('connector-sync-jobs.http.query');
type WithQuery = FastifyRequest & { [QUERY]?: ReadonlyMap<string, string> | null };

/** The answers of one server (its `Retry-After` for 503s). */
export class WireResponder {
  /**
   * `draining` tells whether the server is shutting down: every answer then carries
   * `Connection: close` (see `limits.ts`).
   */
  constructor(
    private readonly retryAfterSeconds: number,
    private readonly draining: () => boolean = () => false,
  ) {}

  /** Declares the request property the query is kept in; call once, before any route. */
  static decorate(app: FastifyInstance): void {
    app.decorateRequest(QUERY, null);
  }

  /** Keeps the request's decoded query parameters (read once, in the onRequest hook). */
  setQuery(request: FastifyRequest, query: ReadonlyMap<string, string>): void {
    (request as WithQuery)[QUERY] = query;
  }

  queryOf(request: FastifyRequest): ReadonlyMap<string, string> {
    return (request as WithQuery)[QUERY] ?? EMPTY_QUERY;
  }

  private closeIfDraining(reply: FastifyReply): void {
    if (this.draining()) void reply.header('connection', 'close');
  }

  private text(request: FastifyRequest, body: unknown): string {
    const query = this.queryOf(request);
    return query.size > 0 && isPretty(query) ? prettyJson(body) : JSON.stringify(body);
  }

  /**
   * A success answer: `filter_path` applied, then `pretty`. `text` is `body` already serialized
   * (compact JSON), used when there is no query parameter.
   */
  send(request: FastifyRequest, reply: FastifyReply, status: number, body: unknown, text?: string): FastifyReply {
    void reply.header('x-elastic-product', 'Elasticsearch');
    const query = this.queryOf(request);
    if (text !== undefined && query.size === 0) {
      this.closeIfDraining(reply);
      return reply.code(status).type(JSON_TYPE).send(text);
    }
    const filter = query.get('filter_path');
    const shown = filter === undefined ? body : applyFilterPath(body, filter);
    this.closeIfDraining(reply);
    return reply.code(status).type(JSON_TYPE).send(this.text(request, shown));
  }

  /** Any thrown value as Elasticsearch's error answer (never filtered, never a stack). */
  error(request: FastifyRequest, reply: FastifyReply, error: unknown, locate?: FieldLocator): FastifyReply {
    const r = errorReply(error, locate, this.retryAfterSeconds);
    if (!r.expected) request.log.error({ err: error }, 'unexpected error');
    void reply.header('x-elastic-product', 'Elasticsearch');
    this.closeIfDraining(reply);
    return reply.code(r.status).headers(r.headers).type(JSON_TYPE).send(this.text(request, r.body));
  }

  /** No route for the path: upstream's flat 400 (`RestController.handleBadRequest`); OPTIONS is 200. */
  noHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    void reply.header('x-elastic-product', 'Elasticsearch');
    this.closeIfDraining(reply);
    if (request.method === 'OPTIONS') return reply.code(200).type('text/plain; charset=UTF-8').send('');
    const body = { error: `no handler found for uri [${request.url}] and method [${request.method}]` };
    return reply.code(400).type(JSON_TYPE).send(this.text(request, body));
  }

  /** The methods a path with these routes does not answer (HEAD comes with GET). */
  otherMethods(methods: readonly string[]): string[] {
    const allowed = new Set(methods);
    if (allowed.has('GET')) allowed.add('HEAD');
    return ROUTABLE.filter((m) => !allowed.has(m));
  }

  /**
   * A known path with another method: upstream's 405 `{"error": "Incorrect HTTP method for uri
   * [<uri>] and method [<M>], allowed: [<methods>]", "status": 405}` with `Allow`; OPTIONS is
   * 200 with `Allow` and no body (`RestController.handleOptionsRequest`).
   */
  wrongMethod(request: FastifyRequest, reply: FastifyReply, methods: readonly string[]): FastifyReply {
    const allowed = [...methods].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
    void reply.header('x-elastic-product', 'Elasticsearch').header('allow', allowed.join(','));
    this.closeIfDraining(reply);
    if (request.method === 'OPTIONS') return reply.code(200).type('text/plain; charset=UTF-8').send('');
    const body = {
      error: `Incorrect HTTP method for uri [${request.url}] and method [${request.method}], allowed: [${allowed.join(', ')}]`,
      status: 405,
    };
    return reply.code(405).type(JSON_TYPE).send(this.text(request, body));
  }

  /**
   * Refuses query parameters the route does not consume (`BaseRestHandler`): HttpError 400
   * `illegal_argument_exception`, `request [<path>] contains unrecognized parameter: [x] -> did
   * you mean [y]?`. Candidates are the route's parameters, its path parameters and the global ones.
   * A global boolean (`pretty`, `human`, `error_trace`) that is not one is a 400 too.
   */
  checkParams(request: FastifyRequest, route: Route, query: ReadonlyMap<string, string>): void {
    if (query.size === 0) return;
    // the global booleans are read (and a malformed value refused) before the route does anything
    booleanParam(query, 'pretty');
    booleanParam(query, 'human');
    booleanParam(query, 'error_trace');
    const known = new Set<string>([...GLOBAL_PARAMS, ...route.params, ...pathParamNames(route.path)]);
    const unknown = [...query.keys()].filter((k) => !known.has(k));
    if (unknown.length === 0) return;
    const path = request.url.split('?')[0] ?? request.url;
    throw new HttpError(400, 'illegal_argument_exception', unrecognizedMessage(path, unknown, [...known]));
  }

  /** Errors Fastify raises while routing (a URL it cannot decode, ...), in Elasticsearch's shape. */
  frameworkError(error: { statusCode?: number; message: string; code?: string }, request: FastifyRequest, reply: FastifyReply): void {
    let answer: unknown = error;
    try {
      checkPath(request.url.split('?')[0] ?? request.url);
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      answer = new HttpError(status, 'illegal_argument_exception', error.message);
    } catch (pathError) {
      answer = pathError;
    }
    void this.error(request, reply, answer);
  }
}

function pathParamNames(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.startsWith(':'))
    .map((s) => s.slice(1));
}

