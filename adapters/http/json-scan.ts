/**
 * A small JSON scanner over the raw request text, for what JSON.parse cannot tell:
 * where each top-level key sits (upstream prefixes parse errors with `[line:column]`), and
 * whether a top-level key repeats (Elasticsearch's Jackson parser rejects duplicate keys,
 * JSON.parse silently keeps the last). It also validates the whole text against the JSON
 * grammar (RFC 8259, as JSON.parse does) and reports where it first fails. Iterative, so
 * deeply nested input cannot overflow the stack.
 */

/** A 1-based line and column, Jackson style. */
export interface TextPosition {
  line: number;
  column: number;
}

/** One top-level key of an object body. */
export interface TopLevelEntry {
  /** The decoded key. */
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  /** Offset just after the key's closing quote. */
  keyEnd: number;
  /** The value's raw text. */
  valueStart: number;
  valueEnd: number;
}

/** What the scanner found. */
export type ScanResult =
  | { ok: true; entries: TopLevelEntry[] | null }
  | {
      ok: false;
      offset: number;
      message: string;
      /** Top-level entries complete before the error (null when the value is not an object). */
      entries: TopLevelEntry[] | null;
      /** A top-level key read before the error whose value was not complete. */
      pendingKey?: { key: string; keyStart: number };
    };

/**
 * Deepest nesting of objects and arrays accepted: Jackson's default
 * `StreamReadConstraints.DEFAULT_MAX_DEPTH`, which Elasticsearch's JSON parser keeps
 * (`XContentImplUtils` only raises the string length limit).
 */
export const MAX_NESTING_DEPTH = 1000;

/** Jackson's message for a document nested deeper than {@link MAX_NESTING_DEPTH}. */
export function nestingDepthMessage(depth: number, max = MAX_NESTING_DEPTH): string {
  return `Document nesting depth (${depth}) exceeds the maximum allowed (${max}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class ScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
    readonly entries: TopLevelEntry[] | null = null,
    readonly pendingKey?: { key: string; keyStart: number },
  ) {
    super(message);
  }
}

function describeChar(text: string, i: number): string {
  if (i >= text.length) return 'Unexpected end-of-input';
  const code = text.codePointAt(i) as number;
  const shown = code < 0x20 ? `CTRL-CHAR, code ${code}` : `'${String.fromCodePoint(code)}' (code ${code})`;
  return `Unexpected character (${shown})`;
}

/**
 * Scans `text`; `entries` lists the top-level keys when the value is an object, else null.
 * Iterative (no recursion), and stops at the first object or array nested deeper than
 * {@link MAX_NESTING_DEPTH}, as Elasticsearch's parser does, so nothing later (JSON.parse, the
 * core's copies, the storage) ever sees a deeper value.
 */
export function scanJson(text: string): ScanResult {
  try {
    return { ok: true, entries: scan(text) };
  } catch (e) {
    if (e instanceof ScanError) {
      const failed: ScanResult = { ok: false, offset: e.offset, message: e.message, entries: e.entries };
      if (e.pendingKey) failed.pendingKey = e.pendingKey;
      return failed;
    }
    throw e;
  }
}

function scan(text: string): TopLevelEntry[] | null {
  const n = text.length;
  let i = 0;
  const skipWs = (): void => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const fail = (expecting?: string): never => {
    // What a streaming parser had already seen: the complete top-level entries, and a key whose
    // value was still being read (the caller reports an earlier field error first, as upstream).
    const pendingKey = pending ? { key: pending.key, keyStart: pending.keyStart } : undefined;
    throw new ScanError(i, describeChar(text, i) + (expecting ? `: was expecting ${expecting}` : ''), entries ? [...entries] : null, pendingKey);
  };
  const enter = (kind: 'o' | 'a'): void => {
    if (stack.length >= MAX_NESTING_DEPTH) {
      const pendingKey = pending ? { key: pending.key, keyStart: pending.keyStart } : undefined;
      throw new ScanError(i, nestingDepthMessage(stack.length + 1), entries ? [...entries] : null, pendingKey);
    }
    stack.push(kind);
  };
  const readString = (): void => {
    // text[i] is the opening quote
    i++;
    for (;;) {
      if (i >= n) fail('closing quote for a string value');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('closing quote for a string value');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) {
          i++;
          fail('escaped character');
        }
        if ('"\\/bfnrt'.includes(e as string)) i += 2;
        else if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            fail('hex-digit for character escape');
          }
          i += 6;
        } else {
          i++;
          fail('valid escape sequence');
        }
      } else i++;
    }
  };
  const readNumber = (): void => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) fail('digit');
    i += (m as RegExpExecArray)[0].length;
  };
  const readLiteral = (): void => {
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    fail("JSON String, Number, Array, Object or token 'null', 'true' or 'false'");
  };

  // Stack of containers: 'o' object, 'a' array. Depth 1 object = the top level.
  const stack: ('o' | 'a')[] = [];
  let entries: TopLevelEntry[] | null = null;
  let pending: { key: string; keyStart: number; keyEnd: number } | null = null;

  skipWs();
  if (text.charCodeAt(i) === 0x7b) entries = [];

  // Reads one value; containers push onto the stack and return.
  const startValue = (): void => {
    skipWs();
    const c = text[i];
    if (c === '{') {
      enter('o');
      i++;
      skipWs();
      if (text[i] === '}') {
        i++;
        stack.pop();
        afterValue();
        return;
      }
      startKey();
      return;
    }
    if (c === '[') {
      enter('a');
      i++;
      skipWs();
      if (text[i] === ']') {
        i++;
        stack.pop();
        afterValue();
        return;
      }
      work.push('value');
      return;
    }
    if (c === '"') readString();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) readNumber();
    else readLiteral();
    afterValue();
  };
  let valueStart = 0;
  const startKey = (): void => {
    skipWs();
    if (text[i] !== '"') fail('double-quote to start field name');
    const keyStart = i;
    readString();
    const keyEnd = i;
    skipWs();
    if (text[i] !== ':') fail("a colon to separate field name and value");
    i++;
    if (stack.length === 1 && entries) {
      pending = { key: JSON.parse(text.slice(keyStart, keyEnd)) as string, keyStart, keyEnd };
      skipWs();
      valueStart = i;
    }
    work.push('value');
  };
  // Called after a complete value at the current depth.
  const afterValue = (): void => {
    if (stack.length === 1 && stack[0] === 'o' && pending && entries) {
      entries.push({ ...pending, valueStart, valueEnd: i });
      pending = null;
    }
    work.push('after');
  };
  const work: ('value' | 'after')[] = [];

  startValue();
  while (work.length > 0) {
    const step = work.pop();
    if (step === 'value') {
      startValue();
      continue;
    }
    // 'after': a value just ended inside the container on top of the stack (or at the root)
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    skipWs();
    const c = text[i];
    if (c === ',') {
      i++;
      if (top === 'o') startKey();
      else work.push('value');
    } else if ((c === '}' && top === 'o') || (c === ']' && top === 'a')) {
      i++;
      stack.pop();
      afterValue();
    } else {
      fail(top === 'o' ? "comma or '}' to close the object" : "comma or ']' to close the array");
    }
  }
  skipWs();
  if (i < n) fail('end-of-input');
  return entries;
}

/** The 1-based line and column of an offset (`\n`, `\r` and `\r\n` end a line). */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let j = 0; j < offset && j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(j + 1) !== 0x0a)) {
      line++;
      lineStart = j + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** `[line:column]` of an offset. */
export function locationPrefix(text: string, offset: number): string {
  const p = positionOf(text, offset);
  return `[${p.line}:${p.column}]`;
}

/** The first top-level key that repeats an earlier one (index into entries), or -1. */
export function firstDuplicate(entries: readonly TopLevelEntry[]): number {
  const seen = new Set<string>();
  for (let k = 0; k < entries.length; k++) {
    const key = (entries[k] as TopLevelEntry).key;
    if (seen.has(key)) return k;
    seen.add(key);
  }
  return -1;
}

/** What {@link parseJsonFast} returns when only the full scan can answer. */
export const NEEDS_SCAN: unique symbol = Symbol('needs the full scan');

/**
 * The fast path for a request body: one allocation-free pass over `text` counting the nesting
 * depth and the top-level keys (colons at depth 1 outside strings), then `JSON.parse`. Returns
 * the parsed value only where the full check (`scanJson` ok and no `firstDuplicate`) provably
 * accepts the same text and JSON.parse gives the same value: the text parses, it nests no
 * deeper than {@link MAX_NESTING_DEPTH} (checked before JSON.parse sees the text), and, for an
 * object, JSON.parse kept as many keys as the text has top-level keys (a repeated key, escapes
 * decoded, makes JSON.parse keep fewer). Otherwise returns {@link NEEDS_SCAN}: the caller runs
 * the full scan, which explains the error (position, upstream's message, earlier fields).
 * `tests/adapters/http/json-fast.property.test.ts` checks the two agree on arbitrary texts.
 */
export function parseJsonFast(text: string): unknown {
  const n = text.length;
  let depth = 0;
  let topKeys = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote (an escape skips the character after the backslash)
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_NESTING_DEPTH) return NEEDS_SCAN;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x3a && depth === 1) {
      topKeys++;
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return NEEDS_SCAN;
    throw error;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length !== topKeys) return NEEDS_SCAN;
  return value;
}
