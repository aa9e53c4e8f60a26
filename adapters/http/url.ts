/**
 * The request URL as Elasticsearch reads it: percent-decoding of the path and the query
 * (`RestUtils`), boolean parameters (`RestRequest.paramAsBoolean`), the parameters every route
 * accepts and the refusal of the others with its did-you-mean (`BaseRestHandler`), and the
 * router's own answers for a path no route takes (400) or a method the path does not answer
 * (405, `Allow`), after `RestController`. Pure functions: `responder.ts` writes the answers.
 */
import { suggestField } from '../../src/internal.js';
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

/** The path of a request URL (without the query string), as received. */
export function pathOf(url: string): string {
  const qs = url.indexOf('?');
  return qs < 0 ? url : url.slice(0, qs);
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

function pathParamNames(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.startsWith(':'))
    .map((s) => s.slice(1));
}

/**
 * Refuses query parameters a route does not consume (`BaseRestHandler`): HttpError 400
 * `illegal_argument_exception`, `request [<path>] contains unrecognized parameter: [x] -> did
 * you mean [y]?`. Candidates are the route's parameters, its path parameters and the global
 * ones. A global boolean (`pretty`, `human`, `error_trace`) that is not one is a 400 too.
 * `url` is the request's URL as received; `route` the route's path (Fastify syntax) and parameters.
 */
export function checkParams(url: string, route: { path: string; params: readonly string[] }, query: ReadonlyMap<string, string>): void {
  if (query.size === 0) return;
  // the global booleans are read (and a malformed value refused) before the route does anything
  booleanParam(query, 'pretty');
  booleanParam(query, 'human');
  booleanParam(query, 'error_trace');
  const known = new Set<string>([...GLOBAL_PARAMS, ...route.params, ...pathParamNames(route.path)]);
  const unknown = [...query.keys()].filter((k) => !known.has(k));
  if (unknown.length === 0) return;
  throw new HttpError(400, 'illegal_argument_exception', unrecognizedMessage(pathOf(url), unknown, [...known]));
}

/** Upstream's RestRequest.Method order (how its 405 lists the allowed methods). */
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE', 'CONNECT'];

/** Methods Fastify can route; the ones a path does not answer are 405 (OPTIONS answers 200). */
const ROUTABLE = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** Routes grouped by path, in table order: each path is registered once with its methods. */
export function routesByPath<R extends { path: string }>(routes: readonly R[]): Map<string, R[]> {
  const byPath = new Map<string, R[]>();
  for (const r of routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  return byPath;
}

/** The methods a path with these routes does not answer (HEAD comes with GET): its 405 route. */
export function otherMethods(methods: readonly string[]): string[] {
  const allowed = new Set(methods);
  if (allowed.has('GET')) allowed.add('HEAD');
  return ROUTABLE.filter((m) => !allowed.has(m));
}

/** A path's methods in upstream's order, as its 405 and `Allow` list them. */
export function allowedMethods(methods: readonly string[]): string[] {
  return [...methods].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
}

/** No route for the path: upstream's flat 400 body (`RestController.handleBadRequest`). */
export function noHandlerBody(method: string, url: string): { error: string } {
  return { error: `no handler found for uri [${url}] and method [${method}]` };
}

/** A known path with another method: upstream's flat 405 body. */
export function wrongMethodBody(method: string, url: string, allowed: readonly string[]): { error: string; status: number } {
  return { error: `Incorrect HTTP method for uri [${url}] and method [${method}], allowed: [${allowed.join(', ')}]`, status: 405 };
}
