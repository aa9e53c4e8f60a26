/**
 * The one responder every answer of the server goes through: success bodies (`filter_path`,
 * then `pretty`), errors in Elasticsearch's shape (pretty, never filtered), the router's flat
 * answers (no handler, wrong method, OPTIONS) and the errors Fastify raises itself. Every answer
 * carries `X-Elastic-Product: Elasticsearch`, and `Connection: close` while the server drains.
 * Follows upstream's RestController, BaseRestHandler and AbstractRestChannel.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { queryOf } from './admission.js';
import { bodyTooLarge } from './body.js';
import { HttpError, errorReply } from './errors.js';
import type { FieldLocator } from './errors.js';
import { applyFilterPath } from './filter-path.js';
import { isPretty, prettyJson } from './pretty.js';
import { allowedMethods, checkPath, noHandlerBody, pathOf, wrongMethodBody } from './url.js';

const JSON_TYPE = 'application/json; charset=UTF-8';

/** The answers of one server. */
export class WireResponder {
  /**
   * `retryAfterSeconds` goes on 503s; `bodyLimit` names the limit in a 413; `draining` tells
   * whether the server is shutting down (see `limits.ts`).
   */
  constructor(
    private readonly retryAfterSeconds: number,
    private readonly bodyLimit: number,
    private readonly draining: () => boolean = () => false,
  ) {}

  private closeIfDraining(reply: FastifyReply): void {
    if (this.draining()) void reply.header('connection', 'close');
  }

  private text(request: FastifyRequest, body: unknown): string {
    const query = queryOf(request);
    return query.size > 0 && isPretty(query) ? prettyJson(body) : JSON.stringify(body);
  }

  /**
   * A success answer: `filter_path` applied, then `pretty`. `text` is `body` already serialized
   * (compact JSON), used when there is no query parameter.
   */
  send(request: FastifyRequest, reply: FastifyReply, status: number, body: unknown, text?: string): FastifyReply {
    void reply.header('x-elastic-product', 'Elasticsearch');
    const query = queryOf(request);
    if (text !== undefined && query.size === 0) {
      this.closeIfDraining(reply);
      return reply.code(status).type(JSON_TYPE).send(text);
    }
    const filter = query.get('filter_path');
    const shown = filter === undefined ? body : applyFilterPath(body, filter);
    this.closeIfDraining(reply);
    return reply.code(status).type(JSON_TYPE).send(this.text(request, shown));
  }

  /**
   * Any thrown value as Elasticsearch's error answer (never filtered, never a stack; a 500 is
   * logged). `locate` places a field error in the body.
   */
  error(request: FastifyRequest, reply: FastifyReply, error: unknown, locate?: FieldLocator): FastifyReply {
    const r = errorReply(error, locate, this.retryAfterSeconds);
    if (!r.expected) request.log.error({ err: error }, 'unexpected error');
    void reply.header('x-elastic-product', 'Elasticsearch');
    this.closeIfDraining(reply);
    return reply.code(r.status).headers(r.headers).type(JSON_TYPE).send(this.text(request, r.body));
  }

  /**
   * What reaches the error handler: a route's error (placed in the body by the locator it
   * carries), or one of Fastify's own: a body over the limit (413), another client error of
   * Fastify's (a malformed Content-Type, ...) as `illegal_argument_exception` with its status.
   */
  thrown(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
    const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; locate?: FieldLocator };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return this.error(request, reply, bodyTooLarge(this.bodyLimit));
    if (typeof e.code === 'string' && e.code.startsWith('FST_') && typeof e.statusCode === 'number' && e.statusCode < 500) {
      return this.error(request, reply, new HttpError(e.statusCode, 'illegal_argument_exception', String(e.message)));
    }
    return this.error(request, reply, error, e.locate);
  }

  /** No route for the path: upstream's flat 400 (`RestController.handleBadRequest`); OPTIONS is 200. */
  noHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    void reply.header('x-elastic-product', 'Elasticsearch');
    this.closeIfDraining(reply);
    if (request.method === 'OPTIONS') return reply.code(200).type('text/plain; charset=UTF-8').send('');
    return reply.code(400).type(JSON_TYPE).send(this.text(request, noHandlerBody(request.method, request.url)));
  }

  /**
   * A known path with another method: upstream's 405 `{"error": "Incorrect HTTP method for uri
   * [<uri>] and method [<M>], allowed: [<methods>]", "status": 405}` with `Allow`; OPTIONS is
   * 200 with `Allow` and no body (`RestController.handleOptionsRequest`).
   */
  wrongMethod(request: FastifyRequest, reply: FastifyReply, methods: readonly string[]): FastifyReply {
    const allowed = allowedMethods(methods);
    void reply.header('x-elastic-product', 'Elasticsearch').header('allow', allowed.join(','));
    this.closeIfDraining(reply);
    if (request.method === 'OPTIONS') return reply.code(200).type('text/plain; charset=UTF-8').send('');
    return reply.code(405).type(JSON_TYPE).send(this.text(request, wrongMethodBody(request.method, request.url, allowed)));
  }

  /** Errors Fastify raises while routing (a URL it cannot decode, ...), in Elasticsearch's shape. */
  frameworkError(error: { statusCode?: number; message: string; code?: string }, request: FastifyRequest, reply: FastifyReply): void {
    let answer: unknown = error;
    try {
      checkPath(pathOf(request.url));
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      answer = new HttpError(status, 'illegal_argument_exception', error.message);
    } catch (pathError) {
      answer = pathError;
    }
    void this.error(request, reply, answer);
  }
}
