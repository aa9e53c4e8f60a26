/**
 * `filter_path`: upstream's response filtering (`FilterPath`), applied to success answers only.
 */
import { isJsonObject } from '../../src/internal.js';

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

/** undefined: drop. `inc` null: everything below is included. */
function filterNode(value: unknown, inc: Pattern[] | null, exc: Pattern[]): unknown {
  if (Array.isArray(value)) {
    if (inc === null && exc.length === 0) return value;
    const items = value.map((v) => filterNode(v, inc, exc)).filter((v) => v !== undefined);
    return items.length === 0 && (inc !== null || value.length > 0) ? undefined : items;
  }
  if (!isJsonObject(value)) return inc === null ? value : undefined;
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
