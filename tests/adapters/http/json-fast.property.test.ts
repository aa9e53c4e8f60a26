import { isDeepStrictEqual } from 'node:util';
import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, NEEDS_SCAN, firstDuplicate, parseJsonFast, scanJson } from '../../../adapters/http/json-scan.js';

/** The full check the fast path must agree with: the scan, then duplicate top-level keys. */
function fullCheckAccepts(text: string): boolean {
  const r = scanJson(text);
  return r.ok && (r.entries === null || firstDuplicate(r.entries) < 0);
}

/** Keys that collide after decoding, plus characters a naive scan could mistake for structure. */
const key = fc.constantFrom('a', 'b', 'ab', '__proto__', 'constructor', '1', '01', '', 'a:b', 'x"y', 'x\\', '{', '[', ':', 'é');
const keyText = key.chain((k) =>
  fc.constantFrom(JSON.stringify(k), JSON.stringify(k).replace(/a/g, '\\u0061'), JSON.stringify(k).replace(/b/g, '\\u0062')),
);
const ws = fc.constantFrom('', ' ', '\n', '\r\n', '\t');
const shallowObject = fc
  .array(fc.tuple(ws, keyText, ws, fc.json({ maxDepth: 2 })), { maxLength: 6 })
  .map((ms) => `{${ms.map(([w, k, w2, v]) => `${w}${k}${w2}:${v}`).join(',')}}`);
/** Objects whose top-level keys may repeat, with nested objects that may repeat keys too. */
const objectText = fc
  .array(fc.tuple(ws, keyText, fc.oneof(fc.json({ maxDepth: 2 }), shallowObject, shallowObject.map((o) => `[${o},${o}]`))), { maxLength: 6 })
  .map((ms) => `{${ms.map(([w, k, v]) => `${w}${k}:${w}${v}`).join(',')}}`);
/** Nesting around Elasticsearch's depth limit, objects and arrays mixed. */
const deepText = fc
  .tuple(fc.integer({ min: MAX_NESTING_DEPTH - 3, max: MAX_NESTING_DEPTH + 3 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.json({ maxDepth: 1 }))
  .map(([depth, kinds, inner]) => {
    let open = '';
    let close = '';
    for (let d = 0; d < depth; d++) {
      const object = kinds[d % kinds.length] as boolean;
      open += object ? '{"k":' : '[';
      close = (object ? '}' : ']') + close;
    }
    return open + inner + close;
  });
const validText = fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify(v, null, 2)), objectText);
/** A valid text with one character inserted, replaced or deleted. */
const brokenText = fc
  .tuple(validText, fc.nat(), fc.constantFrom('', '"', '\\', ':', ',', '{', '}', '[', ']', ' ', 'x', '\u0000', '\uFEFF'), fc.boolean())
  .map(([t, at, c, replace]) => {
    const i = t.length === 0 ? 0 : at % t.length;
    return t.slice(0, i) + c + t.slice(replace || c === '' ? i + 1 : i);
  });

describe('the fast JSON path agrees with the full scan', () => {
  test.prop([fc.oneof(validText, objectText, deepText, brokenText, fc.string(), fc.string({ unit: 'binary' }))], { numRuns: 3000 })(
    'on accept/reject and on the value',
    (text) => {
      const fast = parseJsonFast(text);
      expect(fast !== NEEDS_SCAN).toBe(fullCheckAccepts(text));
      // node's deep equality: own keys such as `constructor` are plain data to it, -0 is not 0
      if (fast !== NEEDS_SCAN) expect(isDeepStrictEqual(fast, JSON.parse(text))).toBe(true);
    },
  );

  it('sends repeated top-level keys, depth over the limit and syntax errors to the full scan', () => {
    expect(parseJsonFast('{"a":1,"\\u0061":2}')).toBe(NEEDS_SCAN);
    expect(parseJsonFast('{"a":{"b":1,"b":2},"c":"x:y"}')).toEqual({ a: { b: 2 }, c: 'x:y' });
    expect(parseJsonFast('['.repeat(MAX_NESTING_DEPTH) + ']'.repeat(MAX_NESTING_DEPTH))).not.toBe(NEEDS_SCAN);
    expect(parseJsonFast('['.repeat(MAX_NESTING_DEPTH + 1) + ']'.repeat(MAX_NESTING_DEPTH + 1))).toBe(NEEDS_SCAN);
    expect(parseJsonFast('{"a":1,}')).toBe(NEEDS_SCAN);
    expect(parseJsonFast('{"__proto__":1}')).toEqual(JSON.parse('{"__proto__":1}'));
  });
});
