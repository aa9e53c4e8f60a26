import Fastify from 'fastify';
import type { FastifyContentTypeParser, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Container } from 'inversify';
import { InvalidRequestError } from '../../src/index.js';
import type { InvalidRequestKind } from '../../src/index.js';
import { ApiKeyAuthenticator } from './auth.js';
import type { ApiKeyEntry, ApiKeyRole } from './auth.js';
import { HttpError } from './errors.js';
import type { FieldLocator } from './errors.js';
import { NEEDS_SCAN, firstDuplicate, locationPrefix, parseJsonFast, scanJson } from './json-scan.js';
import { applyConnectionCap, drainingRefusal, isDraining, limitOptions, markDrainingOnClose, resolveLimits } from './limits.js';
import type { HttpLimits } from './limits.js';
import type { TopLevelEntry } from './json-scan.js';
import { ROUTES, SERVER_CLOSING, servicesOf } from './routes.js';
import type { JsonBody, Route, RouteRequest } from './routes.js';
import { bodyTooLarge, checkPath, parseQueryString, readBody } from './wire.js';
import { WireResponder } from './wire-server.js';

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** Largest accepted request body in bytes (default 1 MiB); larger is 413. */
  bodyLimit?: number;
  /** When given (non-empty), requests need `Authorization: ApiKey <key>`; `GET /` stays open. */
  apiKeys?: readonly ApiKeyEntry[];
  /** Fastify's logger option (default off). Unexpected errors are logged through it. */
  logger?: FastifyServerOptions['logger'];
  /** `Retry-After` seconds on a 503 (default 1). */
  retryAfterSeconds?: number;
  /** Header, request, keep-alive and idle timeouts and the connection cap (defaults: `DEFAULT_HTTP_LIMITS`). */
  limits?: Partial<HttpLimits>;
}

/** Default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Media types accepted for a request body (parameters such as charset allowed). */
const JSON_MEDIA_TYPES = new Set(['application/json', 'application/vnd.elasticsearch+json']);

/**
 * True when the request carries content: a non-empty body, or (GET and HEAD, whose bodies
 * Fastify does not read) a positive Content-Length or a chunked body.
 */
function hasContent(request: FastifyRequest): boolean {
  if (typeof request.body === 'string') return request.body.length > 0;
  return Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
}

/** Parse errors that upstream raises while reading the tokens, before it could see a later duplicate key. */
const EARLY_KINDS: ReadonlySet<InvalidRequestKind> = new Set(['unknown_field', 'wrong_type', 'failed_to_parse_field']);

const pathOf = (request: FastifyRequest): string => {
  const qs = request.url.indexOf('?');
  return qs < 0 ? request.url : request.url.slice(0, qs);
};

/** The request property holding the API key's role (a Fastify request decoration). */
const ROLE = Symbol('connector-sync-jobs.http.role');
/** The request property telling that the request was admitted (a Fastify request decoration). */
const ADMITTED = Symbol('connector-sync-jobs.http.admitted');
type WithRole = FastifyRequest & { [ROLE]?: ApiKeyRole | null; [ADMITTED]?: boolean };

/**
 * Throws the error a streaming parser would have raised on the fields it read before a broken
 * spot (a syntax error or a duplicate key): an unknown field, a wrong type, or an enum that fails
 * when the last constructor argument arrives. `pending` is a key whose value was still being
 * read: only its name can fail (unknown field). Other outcomes leave the broken spot to answer.
 */
function failOnEarlierField(
  raw: string,
  before: readonly TopLevelEntry[],
  decode: (value: unknown) => unknown,
  locate: FieldLocator,
  pending?: { key: string; keyStart: number },
): void {
  const prefix: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    Object.defineProperty(prefix, key, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const e of before) set(e.key, JSON.parse(raw.slice(e.valueStart, e.valueEnd)));
  if (pending) set(pending.key, null);
  try {
    decode(prefix);
  } catch (error) {
    if (!(error instanceof InvalidRequestError) || !EARLY_KINDS.has(error.kind)) return;
    if (pending && error.field === pending.key && error.kind !== 'unknown_field') return;
    const where: FieldLocator = pending
      ? (field, at) => (field === pending.key ? locationPrefix(raw, pending.keyStart) : locate(field, at))
      : locate;
    throw Object.assign(error, { locate: where });
  }
}

/** `[line:column]` of a top-level field's name or value in `raw`. */
function locatorOf(raw: string, entries: readonly TopLevelEntry[]): FieldLocator {
  return (field, at) => {
    const e = entries.find((x) => x.key === field);
    return e && locationPrefix(raw, at === 'name' ? e.keyStart : e.valueStart);
  };
}

/**
 * Reads the raw body as JSON. Elasticsearch's checks, in its order: media type, then the body
 * as a streaming parser reads it: a syntax error or a duplicate top-level key answers, unless
 * `decode` (the core's own parser) fails on a field read before it. A body that parses is
 * taken by the fast path ({@link parseJsonFast}); the full scan then only runs on the error path.
 */
function readJsonBody(request: FastifyRequest, decode: (value: unknown) => unknown): JsonBody {
  const raw = typeof request.body === 'string' ? request.body : undefined;
  if (raw === undefined || raw === '') return { value: undefined, locate: () => undefined };
  const header = request.headers['content-type'];
  if (header === undefined) throw new HttpError(406, 'media_type_header_exception', 'Content-Type header is missing');
  if (!JSON_MEDIA_TYPES.has(header) && !JSON_MEDIA_TYPES.has((header.split(';')[0] ?? '').trim().toLowerCase())) {
    throw new HttpError(406, 'media_type_header_exception', `Content-Type header [${header}] is not supported`);
  }
  const fast = parseJsonFast(raw);
  if (fast !== NEEDS_SCAN) {
    // Accepted as the full scan would; its positions are only needed to explain a field error.
    let located: TopLevelEntry[] | undefined;
    const locateLazily: FieldLocator = (field, at) => {
      located ??= scanJson(raw).entries ?? [];
      return locatorOf(raw, located)(field, at);
    };
    return { value: fast, locate: locateLazily };
  }
  const scanned = scanJson(raw);
  const entries: TopLevelEntry[] = scanned.entries ?? [];
  const locate = locatorOf(raw, entries);
  if (!scanned.ok) {
    // Upstream parses as it reads: a field error before the broken spot answers first.
    failOnEarlierField(raw, entries, decode, locate, scanned.pendingKey);
    throw new HttpError(400, 'x_content_parse_exception', `${locationPrefix(raw, scanned.offset)} ${scanned.message}`);
  }
  const dup = firstDuplicate(entries);
  if (dup >= 0) {
    failOnEarlierField(raw, entries.slice(0, dup), decode, locate);
    const d = entries[dup] as TopLevelEntry;
    throw new HttpError(400, 'x_content_parse_exception', `${locationPrefix(raw, d.keyEnd)} Duplicate field '${d.key}'`);
  }
  return { value: JSON.parse(raw) as unknown, locate };
}

/** The long waits (claim-next) of one server, and whether it is stopping. */
interface Waits {
  active: Set<AbortController>;
  closing: boolean;
}

/** What a route sees of one request: one object per request (no closures made per request). */
class RouteCall implements RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly headers: FastifyRequest['headers'];
  /** Whether the route read the body (content it did not read is refused). */
  bodyRead = false;
  /** The request's long wait, once `signal()` was asked for. */
  wait: AbortController | undefined = undefined;

  constructor(
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
    readonly query: ReadonlyMap<string, string>,
    private readonly waits: Waits,
  ) {
    this.params = request.params as Record<string, string>;
    this.headers = request.headers;
  }

  json(decode: (value: unknown) => unknown): JsonBody {
    this.bodyRead = true;
    return readJsonBody(this.request, decode);
  }

  signal(): AbortSignal {
    if (!this.wait) {
      const controller = new AbortController();
      this.wait = controller;
      this.waits.active.add(controller);
      if (this.waits.closing) controller.abort(SERVER_CLOSING);
      // the client went away before the answer
      const raw = this.reply.raw;
      raw.once('close', () => {
        if (!raw.writableFinished) controller.abort(new Error('client disconnected'));
      });
    }
    return this.wait.signal;
  }
}

/**
 * The HTTP adapter: Elasticsearch's wire API for the routes of `routes.ts` (sync jobs, connector
 * setup and delete, the info of `GET /`) over the use cases and stores bound in `container`.
 * Returns the Fastify instance, not listening. Every answer carries `X-Elastic-Product:
 * Elasticsearch`; every error has Elasticsearch's error shape (see `wire-server.ts`).
 */
export function createServer(container: Container, options: ServerOptions = {}): FastifyInstance {
  const retryAfter = options.retryAfterSeconds ?? 1;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const auth = options.apiKeys && options.apiKeys.length > 0 ? new ApiKeyAuthenticator(options.apiKeys) : undefined;
  // answers carry `Connection: close` once the server drains (`app` is set before any request)
  const wire = new WireResponder(retryAfter, (): boolean => isDraining(app));

  const limits = resolveLimits(options.limits);
  const app: FastifyInstance = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    ...limitOptions(limits),
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    frameworkErrors: (error, request, rawReply) => wire.frameworkError(error, request, rawReply as unknown as FastifyReply),
  });

  applyConnectionCap(app, limits);
  // On close, in-flight requests finish; their answers then close the connection, so a client's
  // keep-alive connection does not hold the shutdown open; a request arriving meanwhile is 503
  // (drainingRefusal, first thing in admit() below).
  markDrainingOnClose(app);
  // long waits (claim-next) end at once when the server stops: they answer 503
  const waits: Waits = { active: new Set(), closing: false };
  app.addHook('preClose', async () => {
    waits.closing = true;
    for (const w of waits.active) w.abort(SERVER_CLOSING);
  });

  const openRoutes = new Set(ROUTES.filter((r) => r.auth === 'none').map((r) => `${r.method} ${r.path}`));

  WireResponder.decorate(app);
  app.decorateRequest(ROLE, null);
  app.decorateRequest(ADMITTED, false);
  /**
   * What every request passes before anything else of it is read or run: refused (503) while
   * draining, the path and query checks, then the API key (401). Throws HttpError. Runs once per
   * request, at the first of: the body parser (before a byte of the body is read), the route's
   * handler (a request without a body), the no-handler and wrong-method answers, and the error
   * handler (an error Fastify raises before the body parser, such as a 415 for a malformed
   * Content-Type). The same place as an `onRequest` hook, without Fastify's hook runner on
   * every request. The product header is set by every answer (wire-server.ts).
   */
  const admit = (request: FastifyRequest): void => {
    const r = request as WithRole;
    if (r[ADMITTED]) return;
    r[ADMITTED] = true;
    if (isDraining(app)) throw drainingRefusal(retryAfter);
    const url = request.url;
    const qs = url.indexOf('?');
    const path = qs < 0 ? url : url.slice(0, qs);
    checkPath(path);
    if (qs >= 0) wire.setQuery(request, parseQueryString(url.slice(qs + 1)));
    if (!auth) return;
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (openRoutes.has(`${method} ${path}`)) return;
    r[ROLE] = auth.authenticate(request.headers.authorization, path);
  };

  // Bodies are read as text, decompressed (gzip, deflate) with the limit on both sizes.
  app.removeAllContentTypeParsers();
  const bodyParser: FastifyContentTypeParser = (request, payload, done) => {
    try {
      admit(request);
    } catch (refused) {
      done(refused as Error, undefined);
      return;
    }
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > bodyLimit) {
      payload.resume();
      done(bodyTooLarge(bodyLimit), undefined);
      return;
    }
    readBody(payload, request.headers['content-encoding'], bodyLimit, done);
  };
  app.addContentTypeParser('*', bodyParser);
  // the same parser under the JSON media types too: Fastify caches the parser it finds for an
  // exact content type, but looks the catch-all up again on every request
  app.addContentTypeParser([...JSON_MEDIA_TYPES], bodyParser);

  /** `answer` once the request is admitted, else the refusal. */
  const admitted = (request: FastifyRequest, reply: FastifyReply, answer: () => FastifyReply): FastifyReply => {
    try {
      admit(request);
    } catch (refused) {
      return wire.error(request, reply, refused);
    }
    return answer();
  };

  app.setErrorHandler((error, request, reply) => {
    try {
      admit(request);
    } catch (refused) {
      return wire.error(request, reply, refused);
    }
    const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; locate?: FieldLocator };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return wire.error(request, reply, bodyTooLarge(bodyLimit));
    if (typeof e.code === 'string' && e.code.startsWith('FST_') && typeof e.statusCode === 'number' && e.statusCode < 500) {
      return wire.error(request, reply, new HttpError(e.statusCode, 'illegal_argument_exception', String(e.message)));
    }
    return wire.error(request, reply, error, e.locate);
  });

  app.setNotFoundHandler((request, reply) => admitted(request, reply, () => wire.noHandler(request, reply)));

  const services = servicesOf(container);

  const byPath = new Map<string, Route[]>();
  for (const r of ROUTES) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);

  for (const [path, routes] of byPath) {
    const methods = routes.map((r) => r.method);
    // an extension's path leaves other methods to upstream's routes (see Route.extension)
    if (!routes.every((r) => r.extension)) {
      app.route({
        method: wire.otherMethods(methods),
        url: path,
        handler: (request, reply) => admitted(request, reply, () => wire.wrongMethod(request, reply, methods)),
      });
    }
    for (const r of routes) {
      app.route({
        method: r.method,
        url: path,
        handler: async (request, reply) => {
          admit(request);
          const query = wire.queryOf(request);
          const routeRequest = new RouteCall(request, reply, query, waits);
          try {
            const prepared = r.prepare ? r.prepare(routeRequest, services) : undefined;
            wire.checkParams(request, r, query);
            // upstream's BaseRestHandler: content a route did not read is refused, after the parameters
            if (!routeRequest.bodyRead && hasContent(request)) {
              throw new HttpError(400, 'illegal_argument_exception', `request [${request.method} ${pathOf(request)}] does not support having a body`);
            }
            // Authorization comes after the request is parsed and validated, as upstream's: the
            // REST handler parses it (prepareRequest), TransportAction.execute validates it, and
            // only then does the security action filter check the key's privileges. So a read key
            // sending a bad body gets the 400, a valid one the 403.
            if (auth && r.auth === 'write') {
              const role = (request as WithRole)[ROLE];
              // a read key may not call a write route, whatever its method
              if (role) auth.authorize(role, request.method === 'GET' || request.method === 'HEAD' ? 'POST' : request.method, pathOf(request));
            }
            const answer = await r.handle(routeRequest, prepared, services);
            return wire.send(request, reply, answer.status ?? 200, answer.body, answer.text);
          } finally {
            if (routeRequest.wait) waits.active.delete(routeRequest.wait);
          }
        },
      });
    }
  }

  return app;
}
