import { MissingDriverError, isMissingPackage } from '../../src/internal.js';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Container } from 'inversify';
import { Admission, queryOf } from './admission.js';
import { ApiKeyAuthenticator } from './auth.js';
import type { ApiKeyEntry } from './auth.js';
import { DEFAULT_BODY_LIMIT, refuseUnreadContent, registerBodyParser } from './body.js';
import { applyConnectionCap, isDraining, limitOptions, markDrainingOnClose, resolveLimits } from './limits.js';
import type { HttpLimits } from './limits.js';
import { WireResponder } from './responder.js';
import { servicesOf } from './route.js';
import type { Route } from './route.js';
import { RouteCall, abortWaits } from './route-call.js';
import type { Waits } from './route-call.js';
import { ROUTES } from './routes.js';
import { checkParams, otherMethods, routesByPath } from './url.js';

/**
 * Fastify, an optional peer dependency, imported when this module loads (the bin bundles it):
 * when it is not installed, importing `connector-sync-jobs/adapters/http` still works and
 * {@link createServer} throws MissingDriverError naming it.
 */
const fastify: typeof import('fastify').default | MissingDriverError = await import('fastify').then(
  (m) => m.default,
  (error: unknown) => {
    if (isMissingPackage(error, 'fastify')) return new MissingDriverError('fastify', 'createServer (connector-sync-jobs/adapters/http)', { cause: error });
    throw error;
  },
);


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

/**
 * The HTTP adapter: Elasticsearch's wire API for the routes of `routes.ts` (sync jobs, connector
 * setup and delete, the info of `GET /`) over the use cases and stores bound in `container`.
 * Returns the Fastify instance, not listening. Every answer carries `X-Elastic-Product:
 * Elasticsearch`; every error has Elasticsearch's error shape (see `responder.ts`).
 */
export function createServer(container: Container, options: ServerOptions = {}): FastifyInstance {
  if (fastify instanceof MissingDriverError) throw fastify;
  const Fastify = fastify;
  const retryAfter = options.retryAfterSeconds ?? 1;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const auth = options.apiKeys && options.apiKeys.length > 0 ? new ApiKeyAuthenticator(options.apiKeys) : undefined;
  // answers carry `Connection: close` once the server drains (`app` is set before any request)
  const wire = new WireResponder(retryAfter, bodyLimit, (): boolean => isDraining(app));

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
  // (the first check of admission).
  markDrainingOnClose(app);
  // long waits (claim-next) end at once when the server stops: they answer 503
  const waits: Waits = { active: new Set(), closing: false };
  app.addHook('preClose', async () => abortWaits(waits));

  const admission = new Admission(app, ROUTES, auth, retryAfter);
  const { admit } = admission;
  registerBodyParser(app, bodyLimit, admit);

  /** `answer` once the request is admitted, else the refusal. */
  const admitted = (request: FastifyRequest, reply: FastifyReply, answer: () => FastifyReply): FastifyReply => {
    try {
      admit(request);
    } catch (refused) {
      return wire.error(request, reply, refused);
    }
    return answer();
  };

  app.setErrorHandler((error, request, reply) => admitted(request, reply, () => wire.thrown(request, reply, error)));
  app.setNotFoundHandler((request, reply) => admitted(request, reply, () => wire.noHandler(request, reply)));

  const services = servicesOf(container);
  for (const [path, routes] of routesByPath(ROUTES)) {
    const methods = routes.map((r) => r.method);
    // an extension's path leaves other methods to upstream's routes (see Route.extension)
    if (!routes.every((r) => r.extension)) {
      app.route({
        method: otherMethods(methods),
        url: path,
        handler: (request, reply) => admitted(request, reply, () => wire.wrongMethod(request, reply, methods)),
      });
    }
    for (const r of routes) {
      app.route({ method: r.method, url: path, handler: handlerOf(r) });
    }
  }

  /**
   * The handler of a route, with upstream's order: admission; the route's `prepare` (the body
   * read and parsed once, the parameters it reads in prepareRequest); the unconsumed query
   * parameters (`BaseRestHandler`); content the route did not read; the key's privileges; then
   * `handle`, whose answer goes through the responder. An error thrown after the body was read
   * is placed in it (`[line:column]`) and answered by the error handler.
   */
  function handlerOf(r: Route): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
    return async (request, reply) => {
      admit(request);
      const query = queryOf(request);
      const call = new RouteCall(request, reply, query, waits);
      try {
        const prepared = r.prepare ? r.prepare(call, services) : undefined;
        checkParams(request.url, r, query);
        if (call.body === undefined) refuseUnreadContent(request);
        admission.authorize(request, r);
        const answer = await r.handle(call, prepared, services);
        return wire.send(request, reply, answer.status ?? 200, answer.body, answer.text);
      } catch (error) {
        throw call.located(error);
      } finally {
        call.end();
      }
    };
  }

  return app;
}
