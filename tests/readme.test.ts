/**
 * Runs every ```ts block of README.md. A block fenced as ```ts env=NAME runs only when that
 * environment variable is set (examples that need a server). A `console.log(...); // text`
 * line must print exactly `text`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts([^\n]*)\n([\s\S]*?)```/g)].map((m, i) => ({
  index: i,
  env: /env=([A-Z_]+)/.exec(m[1] ?? '')?.[1],
  code: m[2] ?? '',
}));
const dir = new URL('../.tmp/readme/', import.meta.url);

describe('README examples', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  for (const block of blocks) {
    const title = `example ${block.index + 1}: ${block.code.split('\n').find((l) => l.includes('from'))?.trim() ?? ''}`;
    it.skipIf(block.env !== undefined && !process.env[block.env])(title, async () => {
      mkdirSync(dir, { recursive: true });
      const file = new URL(`example-${block.index}.ts`, dir);
      writeFileSync(file, `${block.code}\nexport {};\n`);
      const expected = [...block.code.matchAll(/console\.log\(.*\);\s*\/\/ (.*)$/gm)].map((m) => m[1]);
      const printed: string[] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      });
      try {
        await import(/* @vite-ignore */ file.href);
      } finally {
        spy.mockRestore();
      }
      expect(printed).toEqual(expected);
    });
  }
});
