/**
 * Elasticsearch's wire rules around every route, one helper each: URL decoding (RestUtils),
 * query parameters and the unrecognized-parameter message with its did-you-mean (BaseRestHandler),
 * boolean parameters (RestRequest.paramAsBoolean), `filter_path` (FilterPath) and `pretty`
 * (the XContent pretty printer), compressed request bodies, and the info answer of `GET /`.
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { suggestField } from '../../src/index.js';
import { HttpError } from './errors.js';

/** The parameters every route accepts (consumed by upstream's RestController and AbstractRestChannel). */
export const GLOBAL_PARAMS = ['error_trace', 'filter_path', 'human', 'pretty'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const hexNibble = (c: string): number => {
  const n = c.charCodeAt(0);
  if (n >= 48 && n <= 57) return n - 48;
  if (n >= 97 && n <= 102) return n - 87;
  if (n >= 65 && n <= 70) return n - 55;
  return -1;
};

const badParam = (message: string): HttpError => new HttpError(400, 'illegal_argument_exception', message);

/**
 * Decodes a percent-encoded URL component as upstream's `RestUtils.decodeComponent` does
 * (`%%` is `%`, `+` is kept unless `plusAsSpace`), with the same messages for a malformed
 * escape; bytes that are not valid UTF-8 are refused too (HttpError 400
 * `illegal_argument_exception`) instead of becoming U+FFFD.
 */
export function decodeComponent(s: string, plusAsSpace = false): string {
  if (!s.includes('%') && !(plusAsSpace && s.includes('+'))) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '+') {
      bytes.push(plusAsSpace ? 0x20 : 0x2b);
    } else if (c === '%') {
      if (i === s.length - 1) throw badParam(`unterminated escape sequence at end of string: ${s}`);
      const c1 = s[++i] as string;
      if (c1 === '%') {
        bytes.push(0x25);
        continue;
      }
      if (i === s.length - 1) throw badParam(`partial escape sequence at end of string: ${s}`);
      const c2 = s[++i] as string;
      const hi = hexNibble(c1);
      const lo = hexNibble(c2);
      if (hi < 0 || lo < 0) throw badParam(`invalid escape sequence \`%${c1}${c2}' at index ${i - 2} of: ${s}`);
      bytes.push(hi * 16 + lo);
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch (error) {
    throw badParam(`invalid UTF-8 in escape sequences of: ${s} (${(error as Error).message})`);
  }
}

/** Checks every segment of a raw path decodes (see {@link decodeComponent}); throws HttpError 400. */
export function checkPath(rawPath: string): void {
  if (!rawPath.includes('%')) return; // nothing to decode
  for (const segment of rawPath.split('/')) decodeComponent(segment);
}

/**
 * A query string as upstream's `RestUtils.decodeQueryString` reads it: `&` and `;` separate
 * parameters, `+` is a space, a name without `=` has the value "", the first value of a
 * repeated name is the one read. Throws HttpError 400 for a malformed escape.
 */
export function parseQueryString(qs: string): Map<string, string> {
  const out = new Map<string, string>();
  const end = qs.indexOf('#');
  const text = end >= 0 ? qs.slice(0, end) : qs;
  for (const part of text.split(/[&;]/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq), true);
    const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1), true);
    if (name === '') continue;
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

/**
 * A boolean parameter as `RestRequest.paramAsBoolean`: absent -> `fallback`, "" or "true" ->
 * true, "false" -> false, anything else HttpError 400.
 */
export function booleanParam(params: ReadonlyMap<string, string>, name: string, fallback = false): boolean {
  const v = params.get(name);
  if (v === undefined) return fallback;
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  throw badParam(`Failed to parse value [${v}] as only [true] or [false] are allowed.`);
}

/**
 * Upstream's `BaseRestHandler.unrecognized` message: `request [<path>] contains unrecognized
 * parameter(s): [x] -> did you mean [y]?, [z]`. `invalid` is sorted here, as upstream's TreeSet.
 * The suggestions are the domain's `suggestField`: upstream scores unknown query parameters and
 * unknown body fields alike (Lucene's LevenshteinDistance, similarity above 0.5, best first, then
 * by name); only the words around the suggestion differ.
 */
export function unrecognizedMessage(path: string, invalid: readonly string[], candidates: readonly string[]): string {
  const sorted = [...invalid].sort();
  const parts = sorted.map((name) => {
    const suggestion = suggestField(name, candidates); // '' or ' did you mean ...?'
    return suggestion === '' ? `[${name}]` : `[${name}] ->${suggestion}`;
  });
  return `request [${path}] contains unrecognized parameter${sorted.length > 1 ? 's' : ''}: ${parts.join(', ')}`;
}

type Pattern = readonly string[];

function glob(pattern: string, key: string): boolean {
  if (!pattern.includes('*')) return pattern === key;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(key);
}

/** The patterns left after matching `key`; an empty pattern means a full match. */
function advance(patterns: readonly Pattern[], key: string): Pattern[] {
  const out: Pattern[] = [];
  for (const p of patterns) {
    if (p[0] === '**') {
      out.push(p);
      if (p.length === 1) out.push([]);
      else out.push(...advance([p.slice(1)], key));
    } else if (p.length > 0 && glob(p[0] as string, key)) {
      out.push(p.slice(1));
    }
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** undefined: drop. `inc` null: everything below is included. */
function filterNode(value: unknown, inc: Pattern[] | null, exc: Pattern[]): unknown {
  if (Array.isArray(value)) {
    if (inc === null && exc.length === 0) return value;
    const items = value.map((v) => filterNode(v, inc, exc)).filter((v) => v !== undefined);
    return items.length === 0 && (inc !== null || value.length > 0) ? undefined : items;
  }
  if (!isPlainObject(value)) return inc === null ? value : undefined;
  if (inc === null && exc.length === 0) return value;
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const [k, v] of Object.entries(value)) {
    let nextInc: Pattern[] | null = null;
    if (inc !== null) {
      const a = advance(inc, k);
      if (a.length === 0) continue;
      nextInc = a.some((p) => p.length === 0) ? null : a;
    }
    const nextExc = advance(exc, k);
    if (nextExc.some((p) => p.length === 0)) continue;
    const r = filterNode(v, nextInc, nextExc);
    if (r === undefined) continue;
    Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
    kept++;
  }
  if (kept === 0 && Object.keys(value).length > 0) return undefined;
  if (kept === 0 && inc !== null) return undefined;
  return out;
}

/**
 * Applies upstream's `filter_path` to an answer: comma-separated dotted paths, `*` within a
 * name, `**` for any depth, a leading `-` excludes; arrays are transparent; objects left empty
 * are dropped; nothing kept gives `{}`.
 */
export function applyFilterPath(body: unknown, filterPath: string): unknown {
  const inc: Pattern[] = [];
  const exc: Pattern[] = [];
  for (const raw of filterPath.split(',')) {
    const expr = raw.trim();
    if (expr === '') continue;
    if (expr.startsWith('-')) exc.push(expr.slice(1).split('.'));
    else inc.push(expr.split('.'));
  }
  if (inc.length === 0 && exc.length === 0) return body;
  const r = filterNode(body, inc.length > 0 ? inc : null, exc);
  return r === undefined ? {} : r;
}

/**
 * JSON as upstream's pretty printer writes it (Jackson's DefaultPrettyPrinter with a two-space
 * line-feed indenter for objects and arrays): `"key" : value`, `{ }` and `[ ]` when empty, a
 * final line feed.
 */
export function prettyJson(value: unknown): string {
  const write = (v: unknown, indent: string): string => {
    if (Array.isArray(v)) {
      if (v.length === 0) return '[ ]';
      const inner = indent + '  ';
      return `[\n${v.map((x) => inner + write(x === undefined ? null : x, inner)).join(',\n')}\n${indent}]`;
    }
    if (isPlainObject(v)) {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return '{ }';
      const inner = indent + '  ';
      return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)} : ${write(x, inner)}`).join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(v) ?? 'null';
  };
  return `${write(value, '')}\n`;
}

/** What a request body may be compressed with (`Content-Encoding`). */
const DECODERS: Record<string, () => Transform> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  deflate: () => createInflate(),
};

/** A request body larger than the limit, before or after decompression (HTTP 413). */
export function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, 'content_too_long_exception', `request body is larger than the limit of [${limit}] bytes`);
}

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
 * The package's name and version (`GET /`), read through the package's own `./package.json`
 * export: the same file from the sources, the build and the installed package.
 */
const PACKAGE = createRequire(import.meta.url)('connector-sync-jobs/package.json') as { name: string; version: string };

/**
 * The Elasticsearch version this server answers as. 9.x: both official clients (8 and 9) accept
 * it (they check the `X-Elastic-Product` header, not the number), and an 8.x client's
 * `compatible-with=8` is what a 9.x cluster accepts.
 */
export const ELASTICSEARCH_VERSION = {
  number: '9.1.0',
  build_flavor: 'default',
  build_type: 'tar',
  lucene_version: '10.2.2',
  minimum_wire_compatibility_version: '8.19.0',
  minimum_index_compatibility_version: '8.0.0',
} as const;

/** Options of {@link infoAnswer}. */
export interface InfoOptions {
  /** The node name (default: the host's name is not used; `connector-sync-jobs`). */
  name?: string;
  /** The cluster name (default `connector-sync-jobs`). */
  clusterName?: string;
}

/**
 * `GET /`: Elasticsearch's info shape (RestMainAction): name, cluster_name, cluster_uuid,
 * version {number, build_flavor, build_type, build_hash, build_date, build_snapshot,
 * lucene_version, minimum_wire_compatibility_version, minimum_index_compatibility_version},
 * tagline. `build_hash` and `cluster_uuid` are derived from this package's name and version.
 */
export function infoAnswer(options: InfoOptions = {}): Record<string, unknown> {
  const hash = createHash('sha1').update(`${PACKAGE.name}@${PACKAGE.version}`).digest('hex');
  const uuid = Buffer.from(hash.slice(0, 32), 'hex').toString('base64url').slice(0, 22);
  return {
    name: options.name ?? PACKAGE.name,
    cluster_name: options.clusterName ?? PACKAGE.name,
    cluster_uuid: uuid,
    version: {
      number: ELASTICSEARCH_VERSION.number,
      build_flavor: ELASTICSEARCH_VERSION.build_flavor,
      build_type: ELASTICSEARCH_VERSION.build_type,
      build_hash: hash,
      build_date: '2025-07-01T00:00:00.000Z',
      build_snapshot: false,
      lucene_version: ELASTICSEARCH_VERSION.lucene_version,
      minimum_wire_compatibility_version: ELASTICSEARCH_VERSION.minimum_wire_compatibility_version,
      minimum_index_compatibility_version: ELASTICSEARCH_VERSION.minimum_index_compatibility_version,
    },
    tagline: 'You Know, for Search',
  };
}
