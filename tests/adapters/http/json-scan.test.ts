import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { firstDuplicate, positionOf, scanJson } from '../../../adapters/http/json-scan.js';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return false;
  }
};

describe('json-scan', () => {
  test.prop([fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v, null, 2)), fc.string({ unit: 'binary' }))], { numRuns: 2000 })(
    'accepts exactly what JSON.parse accepts, and slices top-level values exactly',
    (text) => {
      const r = scanJson(text);
      expect(r.ok).toBe(parses(text));
      if (r.ok && r.entries) {
        const obj = JSON.parse(text) as Record<string, unknown>;
        for (const e of r.entries) expect(JSON.parse(text.slice(e.valueStart, e.valueEnd))).toEqual(obj[e.key]);
        expect(new Set(r.entries.map((e) => e.key))).toEqual(new Set(Object.keys(obj)));
      }
    },
  );

  it('finds repeated top-level keys, decoding escapes, ignoring nested ones', () => {
    const entries = (t: string) => {
      const r = scanJson(t);
      if (!r.ok || !r.entries) throw new Error('not an object');
      return r.entries;
    };
    expect(firstDuplicate(entries('{"a":1,"b":{"a":2,"a":3},"c":[{"b":1}]}'))).toBe(-1);
    expect(firstDuplicate(entries('{"a":1,"b":2,"\\u0061":3}'))).toBe(2);
  });

  it('reports where the text first breaks', () => {
    expect(scanJson('{"a":1,}')).toMatchObject({ ok: false, offset: 7 });
    expect(scanJson('[1,2')).toMatchObject({ ok: false, offset: 4, message: expect.stringContaining('end-of-input') });
    expect(scanJson('"\u0001"')).toMatchObject({ ok: false, offset: 1 });
  });

  it('stops at Elasticsearch\'s depth limit (1,000) without recursing, however deep the input', () => {
    expect(scanJson('['.repeat(1_000) + ']'.repeat(1_000)).ok).toBe(true);
    const deep = scanJson('['.repeat(100_000) + ']'.repeat(100_000));
    expect(deep).toMatchObject({ ok: false, offset: 1_000 });
    expect((deep as { message: string }).message).toBe(
      'Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)',
    );
    expect(scanJson('{"a":'.repeat(100_000)).ok).toBe(false);
  });

  it('gives 1-based lines and columns; \\n, \\r\\n and \\r end lines', () => {
    expect(positionOf('abc', 0)).toEqual({ line: 1, column: 1 });
    expect(positionOf('a\nbc', 3)).toEqual({ line: 2, column: 2 });
    expect(positionOf('a\r\nbc', 3)).toEqual({ line: 2, column: 1 });
    expect(positionOf('a\rb', 2)).toEqual({ line: 2, column: 1 });
  });
});
