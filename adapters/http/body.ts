/**
 * Reading a request body: one content-type parser for every request with a body, which admits
 * the request first (before a byte is read), refuses a declared length over the limit, and
 * streams the body as text, decompressing `gzip` / `deflate` with the limit on both the received
 * and the decoded bytes; and the refusal of content a route does not read. What the text means
 * (JSON) is `json-body.ts`'s.
 */
import type { Readable, Transform } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyContentTypeParser, FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import { pathOf } from './url.js';

/** Default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Media types accepted for a request body (parameters such as charset allowed). */
export const JSON_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/json', 'application/vnd.elasticsearch+json']);

/** A request body larger than the limit, before or after decompression (HTTP 413). */
export function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, 'content_too_long_exception', `request body is larger than the limit of [${limit}] bytes`);
}

/** What a request body may be compressed with (`Content-Encoding`). */
const DECODERS: Record<string, () => Transform> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  deflate: () => createInflate(),
};

/**
 * Reads a request body, decompressing `Content-Encoding: gzip` or `deflate` as it streams
 * (node:zlib), and stops at `limit` bytes of the raw body AND of the decoded body, so a small
 * compressed bomb is a 413 without ever holding more than `limit` bytes. Calls `callback` once,
 * with the UTF-8 text or an error: HttpError 400 for a corrupt stream or an unsupported
 * encoding, 413 ({@link bodyTooLarge}) over the limit. A callback, not a promise: it runs for
 * every request with a body, and Fastify's content-type parser takes one.
 */
export function readBody(
  stream: Readable,
  contentEncoding: string | undefined,
  limit: number,
  callback: (error: Error | null, text?: string) => void,
): void {
  const encoding = contentEncoding === undefined ? 'identity' : contentEncoding.trim().toLowerCase();
  let source: Readable = stream;
  let decoder: Transform | undefined;
  if (encoding !== 'identity' && encoding !== '') {
    const make = DECODERS[encoding];
    if (!make) {
      stream.resume();
      callback(new HttpError(400, 'illegal_argument_exception', `Unsupported Content-Encoding [${contentEncoding}]`));
      return;
    }
    decoder = make();
    source = decoder;
  }
  let raw = 0;
  let size = 0;
  const chunks: Buffer[] = [];
  let done = false;
  const fail = (error: Error): void => {
    if (done) return;
    done = true;
    if (decoder) {
      stream.unpipe(decoder);
      decoder.destroy();
    }
    stream.resume(); // drain what is left, so the answer can be written
    callback(error);
  };
  if (decoder) {
    stream.on('data', (chunk: Buffer) => {
      raw += chunk.length;
      if (raw > limit) fail(bodyTooLarge(limit));
    });
    stream.pipe(decoder);
    stream.on('error', fail);
  }
  source.on('data', (chunk: Buffer) => {
    if (done) return;
    size += chunk.length;
    if (size > limit) {
      fail(bodyTooLarge(limit));
      return;
    }
    chunks.push(chunk);
  });
  source.on('error', (error: Error) =>
    fail(decoder ? new HttpError(400, 'illegal_argument_exception', `Failed to decompress the request body: ${error.message}`) : error),
  );
  source.on('end', () => {
    if (done) return;
    done = true;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    callback(null, body.toString('utf8'));
  });
}

/**
 * Makes every request body text, read by {@link readBody}: Fastify's own parsers are removed and
 * one parser takes every content type. `admit` runs first (it throws the refusal: draining,
 * a bad path, no API key), so nothing of a refused request's body is read.
 */
export function registerBodyParser(app: FastifyInstance, bodyLimit: number, admit: (request: FastifyRequest) => void): void {
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
}

/** The body's text as the parser read it; '' when there is none. */
export function bodyText(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : '';
}

/**
 * True when the request carries content: a non-empty body, or (GET and HEAD, whose bodies
 * Fastify does not read) a positive Content-Length or a chunked body.
 */
function hasContent(request: FastifyRequest): boolean {
  if (typeof request.body === 'string') return request.body.length > 0;
  return Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Refuses content a route did not read, as upstream's BaseRestHandler: HttpError 400
 * `request [<METHOD> <path>] does not support having a body`.
 */
export function refuseUnreadContent(request: FastifyRequest): void {
  if (hasContent(request)) {
    throw new HttpError(400, 'illegal_argument_exception', `request [${request.method} ${pathOf(request.url)}] does not support having a body`);
  }
}
