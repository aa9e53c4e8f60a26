import { createRequire } from 'node:module';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Container } from 'inversify';
import {
  InvalidRequestError,
  TOKENS,
  decodeConnectorDocument,
  parseCreateSyncJobRequest,
  toConnectorResponse,
  toSyncJobResponse,
} from '../../src/index.js';
import type { ConnectorStore, CreateSyncJob, GetSyncJob, InvalidRequestKind } from '../../src/index.js';
import { ApiKeyAuthenticator } from './auth.js';
import type { ApiKeyEntry } from './auth.js';
import { HttpError, errorReply, esErrorBody } from './errors.js';
import type { FieldLocator } from './errors.js';
import { firstDuplicate, locationPrefix, scanJson } from './json-scan.js';
import type { TopLevelEntry } from './json-scan.js';

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
}

/** Default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Media types accepted for a request body (parameters such as charset allowed). */
const JSON_MEDIA_TYPES = new Set(['application/json', 'application/vnd.elasticsearch+json']);

/**
 * The package's name and version (`GET /`), read through the package's own `./package.json`
 * export: the same file from the sources (`adapters/http/`) and from the build
 * (`dist/adapters/http/`, installed under `node_modules/connector-sync-jobs/`).
 */
const PACKAGE = createRequire(import.meta.url)('connector-sync-jobs/package.json') as {
  name: string;
  version: string;
};

/** Parse errors that upstream raises while reading the tokens, before it could see a later duplicate key. */
const EARLY_KINDS: ReadonlySet<InvalidRequestKind> = new Set(['unknown_field', 'wrong_type', 'failed_to_parse_field']);

/** The routes, and the methods each one answers (others are 405). HEAD comes with GET. */
const ROUTES: { url: string; methods: string[] }[] = [
  { url: '/', methods: ['GET'] },
  { url: '/_connector/_sync_job', methods: ['POST'] },
  { url: '/_connector/_sync_job/:id', methods: ['GET'] },
  { url: '/_connector/:id', methods: ['GET', 'PUT'] },
];
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** A request body read as JSON, with what is needed to answer like Elasticsearch. */
interface JsonBody {
  /** What JSON.parse gave; `undefined` for no body. */
  value: unknown;
  /** `[line:column]` of a top-level field in the raw text. */
  locate: FieldLocator;
}

const pathOf = (request: FastifyRequest): string => request.url.split('?')[0] ?? request.url;

function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown, retryAfter: number, locate?: FieldLocator): FastifyReply {
  const r = errorReply(error, locate, retryAfter);
  if (!r.expected) request.log.error({ err: error }, 'unexpected error');
  return reply.code(r.status).headers(r.headers).type('application/json; charset=UTF-8').send(r.body);
}

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

/**
 * Reads the raw body as JSON. Elasticsearch's checks, in its order: media type, then the body
 * as a streaming parser reads it: a syntax error or a duplicate top-level key answers, unless
 * `decode` (the core's own parser) fails on a field read before it.
 */
function readJsonBody(request: FastifyRequest, decode: (value: unknown) => unknown): JsonBody {
  const raw = typeof request.body === 'string' ? request.body : undefined;
  if (raw === undefined || raw === '') return { value: undefined, locate: () => undefined };
  const header = request.headers['content-type'];
  if (header === undefined) throw new HttpError(406, 'media_type_header_exception', 'Content-Type header is missing');
  const media = (header.split(';')[0] ?? '').trim().toLowerCase();
  if (!JSON_MEDIA_TYPES.has(media)) {
    throw new HttpError(406, 'media_type_header_exception', `Content-Type header [${header}] is not supported`);
  }
  const scanned = scanJson(raw);
  const entries: TopLevelEntry[] = (scanned.ok ? scanned.entries : scanned.entries) ?? [];
  const locate: FieldLocator = (field, at) => {
    const e = entries.find((x) => x.key === field);
    return e && locationPrefix(raw, at === 'name' ? e.keyStart : e.valueStart);
  };
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

/**
 * The HTTP adapter: Elasticsearch's wire API for creating and reading sync jobs, plus a
 * connector setup endpoint, over the use cases and stores bound in `container`. Returns the
 * Fastify instance, not listening. Every error answer has Elasticsearch's error shape.
 */
export function createServer(container: Container, options: ServerOptions = {}): FastifyInstance {
  const retryAfter = options.retryAfterSeconds ?? 1;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const auth = options.apiKeys && options.apiKeys.length > 0 ? new ApiKeyAuthenticator(options.apiKeys) : undefined;

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    frameworkErrors: (error, _request, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void reply.code(status).type('application/json; charset=UTF-8').send(esErrorBody(status, { type: 'illegal_argument_exception', reason: error.message }));
    },
  });

  // On close, in-flight requests finish; their answers then close the connection, so a client's
  // keep-alive connection does not hold the shutdown open.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Callback-style hooks: no promise per request on the hot path.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-elastic-product', 'Elasticsearch');
    if (!auth) return done();
    const path = pathOf(request);
    if (path === '/' && (request.method === 'GET' || request.method === 'HEAD')) return done();
    try {
      const role = auth.authenticate(request.headers.authorization, path);
      auth.authorize(role, request.method, path);
    } catch (error) {
      return done(error as Error);
    }
    done();
  });

  // Resolved once, on first use (the container may still be loading modules when this runs).
  let createUseCase: CreateSyncJob | undefined;
  let getUseCase: GetSyncJob | undefined;
  let connectorStore: ConnectorStore | undefined;
  const useCases = {
    create: () => (createUseCase ??= container.get<CreateSyncJob>(TOKENS.CreateSyncJob)),
    get: () => (getUseCase ??= container.get<GetSyncJob>(TOKENS.GetSyncJob)),
    connectors: () => (connectorStore ??= container.get<ConnectorStore>(TOKENS.ConnectorStore)),
  };

  app.setErrorHandler((error, request, reply) => {
    const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; locate?: FieldLocator };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(request, reply, new HttpError(413, 'content_too_long_exception', `request body is larger than the limit of [${bodyLimit}] bytes`), retryAfter);
    }
    if (typeof e.code === 'string' && e.code.startsWith('FST_') && typeof e.statusCode === 'number' && e.statusCode < 500) {
      return sendError(request, reply, new HttpError(e.statusCode, 'illegal_argument_exception', String(e.message)), retryAfter);
    }
    return sendError(request, reply, error, retryAfter, e.locate);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new HttpError(404, 'resource_not_found_exception', `no handler found for uri [${pathOf(request)}] and method [${request.method}]`),
      retryAfter,
    ),
  );

  for (const route of ROUTES) {
    const allowed = route.methods.includes('GET') ? [...route.methods, 'HEAD'] : route.methods;
    const others = ALL_METHODS.filter((m) => !allowed.includes(m));
    app.route({
      method: others,
      url: route.url,
      handler: (request, reply) =>
        sendError(
          request,
          reply,
          new HttpError(
            405,
            'method_not_allowed_exception',
            `Incorrect HTTP method for uri [${pathOf(request)}] and method [${request.method}], allowed: [${route.methods.join(', ')}]`,
            { allow: route.methods.join(',') },
          ),
          retryAfter,
        ),
    });
  }

  app.get('/', async () => ({ name: PACKAGE.name, version: PACKAGE.version }));

  app.post('/_connector/_sync_job', async (request, reply) => {
    let locate: FieldLocator | undefined;
    try {
      const body = readJsonBody(request, parseCreateSyncJobRequest);
      locate = body.locate;
      const header = request.headers['idempotency-key'];
      const idempotencyKey = Array.isArray(header) ? header.join(', ') : header;
      const job = await useCases.create().execute(body.value, idempotencyKey === undefined ? {} : { idempotencyKey });
      return reply.code(201).send({ id: job.id });
    } catch (error) {
      return sendError(request, reply, error, retryAfter, locate ?? (error as { locate?: FieldLocator }).locate);
    }
  });

  app.get<{ Params: { id: string } }>('/_connector/_sync_job/:id', async (request, reply) => {
    try {
      const job = await useCases.get().execute(request.params.id);
      return reply.send(toSyncJobResponse(job));
    } catch (error) {
      return sendError(request, reply, error, retryAfter);
    }
  });

  app.put<{ Params: { id: string } }>('/_connector/:id', async (request, reply) => {
    let locate: FieldLocator | undefined;
    try {
      const id = request.params.id;
      const decode = (value: unknown): ReturnType<typeof decodeConnectorDocument> =>
        decodeConnectorDocument(id, value, { strict: true });
      const body = readJsonBody(request, decode);
      locate = body.locate;
      if (body.value === undefined) throw new InvalidRequestError('missing_body', 'request body is required');
      const record = decode(body.value);
      const result = await useCases.connectors().upsert(record);
      return reply.code(result === 'created' ? 201 : 200).send({ result, id });
    } catch (error) {
      return sendError(request, reply, error, retryAfter, locate ?? (error as { locate?: FieldLocator }).locate);
    }
  });

  app.get<{ Params: { id: string }; Querystring: { include_deleted?: string } }>('/_connector/:id', async (request, reply) => {
    try {
      const id = request.params.id;
      const connector = await useCases.connectors().findById(id);
      if (!connector || (connector.deleted && request.query.include_deleted !== 'true')) {
        throw new HttpError(404, 'resource_not_found_exception', `Connector with id '${id}' does not exist.`);
      }
      return reply.send(toConnectorResponse(connector));
    } catch (error) {
      return sendError(request, reply, error, retryAfter);
    }
  });

  return app;
}
