import { describe, expect, it } from 'vitest';
import { ElasticsearchIdGenerator } from '../../src/index.js';

describe('ElasticsearchIdGenerator', () => {
  it('100,000 ids are distinct, 20 characters of URL-safe base64', () => {
    const gen = new ElasticsearchIdGenerator();
    const ids = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const id = gen.next();
      expect(id).toMatch(/^[A-Za-z0-9_-]{20}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(100_000);
  });

  it('two generators at the same instant (two processes) still never collide', () => {
    const a = new ElasticsearchIdGenerator(() => 1_700_000_000_000);
    const b = new ElasticsearchIdGenerator(() => 1_700_000_000_000);
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      ids.add(a.next());
      ids.add(b.next());
    }
    expect(ids.size).toBe(40_000);
  });

  it('ids are time-ordered by their prefix', () => {
    let t = 1_600_000_000_000;
    const gen = new ElasticsearchIdGenerator(() => t);
    const first = gen.next();
    t += 1;
    const second = gen.next();
    const decode = (id: string) => Buffer.from(id, 'base64url').readUIntBE(0, 6);
    expect(decode(first)).toBe(1_600_000_000_000);
    expect(decode(second)).toBe(1_600_000_000_001);
  });

  it('an id is the URL-safe base64 of its 15 bytes: milliseconds, then a sequence that steps by one', () => {
    const gen = new ElasticsearchIdGenerator(() => 1_700_000_000_123.9);
    let previous: number | undefined;
    for (let i = 0; i < 70_000; i++) {
      const id = gen.next();
      const bytes = Buffer.from(id, 'base64url');
      expect(bytes.length).toBe(15);
      expect(bytes.toString('base64url')).toBe(id);
      expect(bytes.readUIntBE(0, 6)).toBe(1_700_000_000_123);
      const sequence = bytes.readUInt16BE(6);
      if (previous !== undefined) expect(sequence).toBe((previous + 1) & 0xffff);
      previous = sequence;
    }
  });
});
