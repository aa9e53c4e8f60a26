import { STATUS_CODES } from 'node:http';
import type { ServerOptions as NodeServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { HttpError, esErrorBody } from './errors.js';

/**
 * Time and connection bounds of the HTTP server, so that no client can hold a connection, a
 * request or the process's file descriptors for ever. Times in ms.
 */
export interface HttpLimits {
  /** Longest time to receive a request's headers, from the connection or the previous request (default 10,000). */
  headersTimeoutMs: number;
  /** Longest time to receive a whole request, headers and body (default 30,000); then 408 and the connection is closed. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept between requests (default 30,000). */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic either way for this long is destroyed, e.g. a client that stops reading (default 60,000). */
  idleTimeoutMs: number;
  /** Most connections open at once; further ones are closed as soon as they are accepted (default 1,000). */
  maxConnections: number;
}

/** The defaults: a stalled request is answered 408 within 30 s (the check runs every second). */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  maxConnections: 1_000,
};

/** The limits with defaults filled in; `headersTimeoutMs` is capped at `requestTimeoutMs` (Node requires it). */
export function resolveLimits(limits: Partial<HttpLimits> = {}): HttpLimits {
  const l = { ...DEFAULT_HTTP_LIMITS, ...limits };
  return { ...l, headersTimeoutMs: Math.min(l.headersTimeoutMs, l.requestTimeoutMs) };
}

/** A raw HTTP/1.1 error answer in Elasticsearch's shape, for a socket that has no response object. */
function rawErrorAnswer(status: number, type: string, reason: string): string {
  const body = JSON.stringify(esErrorBody(status, { type, reason }));
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    'Content-Type: application/json; charset=UTF-8\r\n' +
    'X-elastic-product: Elasticsearch\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * Fastify options enforcing `limits`: Node's `headersTimeout` / `requestTimeout` (checked every
 * `connectionsCheckingInterval`, here a quarter of the shortest, at most 1 s), `keepAliveTimeout`,
 * the socket inactivity timeout (Fastify's `connectionTimeout`: Node's `socket.setTimeout`), and a
 * `clientErrorHandler` that answers a request that did not arrive in time with 408 and a
 * malformed or oversized head with 400 / 431, in Elasticsearch's error shape, then closes the
 * connection.
 */
export function limitOptions(limits: HttpLimits): Partial<FastifyServerOptions> & { http: NodeServerOptions } {
  const interval = Math.max(10, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node's own socket timer, though Node re-arms it around every request: timeouts come from
    // the platform, not from code of ours (docs/decisions/0007-http-timeouts-from-node.md)
    connectionTimeout: limits.idleTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: interval },
    clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      let answer: string;
      if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        answer = rawErrorAnswer(408, 'timeout_exception', `request was not received within [${limits.requestTimeoutMs}ms]`);
      } else if (error.code === 'HPE_HEADER_OVERFLOW') {
        answer = rawErrorAnswer(431, 'too_long_http_header_exception', 'HTTP header is larger than the limit');
      } else {
        answer = rawErrorAnswer(400, 'illegal_argument_exception', `malformed HTTP request (${error.code ?? 'parse error'})`);
      }
      this.log.debug({ err: error }, 'client error');
      // Only when nothing of a response was written yet on this socket (as Node itself does).
      const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
      if (socket.writable && !inFlight?.headersSent) socket.write(answer);
      socket.destroy(error);
    },
  };
}

/** Applies what Fastify has no option for: the connection cap. Call once, before `listen`. */
export function applyConnectionCap(app: FastifyInstance, limits: HttpLimits): void {
  app.server.maxConnections = limits.maxConnections;
}

const draining = new WeakSet<FastifyInstance>();

/**
 * Starts refusing work on `app` (see {@link drainingRefusal}): every request from
 * now on is answered 503 before any route runs, and every answer carries `Connection: close`.
 * `app.close()` does the same by itself; calling this first, a moment before `app.close()`,
 * lets clients with idle kept-alive connections get that answer instead of a reset.
 */
export function startDraining(app: FastifyInstance): void {
  draining.add(app);
}

/** True once draining ({@link startDraining}) or `app.close()` (see {@link markDrainingOnClose}) has begun. */
export function isDraining(app: FastifyInstance): boolean {
  return draining.has(app);
}

/** Makes `app.close()` start draining too. Call once, before `listen`. */
export function markDrainingOnClose(app: FastifyInstance): void {
  app.addHook('preClose', (done) => {
    draining.add(app);
    done();
  });
}

/**
 * Shutdown without resets or unacknowledged writes: once draining ({@link startDraining}) or
 * `app.close()` has begun, a request that still arrives (a kept-alive connection, a client that
 * connected just before) is answered with this 503 (Elasticsearch's shape, `Retry-After`,
 * `Connection: close`) before any route runs, so it never starts a write: the server checks
 * {@link isDraining} first thing for every request. The answers of requests already running
 * carry `Connection: close` (the server's responder checks {@link isDraining}).
 */
export function drainingRefusal(retryAfterSeconds: number): HttpError {
  return new HttpError(503, 'node_closed_exception', 'node is shutting down', {
    'retry-after': String(retryAfterSeconds),
    connection: 'close',
  });
}
