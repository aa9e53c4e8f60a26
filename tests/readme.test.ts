/**
 * Runs every ```ts block of README.md. A block fenced as ```ts env=NAME runs only when that
 * environment variable is set (examples that need a server). A `console.log(...); // text`
 * line must print exactly `text`. A block fenced as ```ts suite defines vitest suites (the
 * "Test your own adapter" example): it is imported while this file is collected, so its
 * `describe` blocks run here as part of this file.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts([^\n]*)\n([\s\S]*?)```/g)].map((m, i) => ({
  index: i,
  env: /env=([A-Z_]+)/.exec(m[1] ?? '')?.[1],
  suite: /\bsuite\b/.test(m[1] ?? ''),
  code: m[2] ?? '',
}));
const dir = new URL('../.tmp/readme/', import.meta.url);

// suite blocks: their describe/it calls must happen while vitest collects this file
const suites = blocks.filter((b) => b.suite);
for (const block of suites) {
  mkdirSync(dir, { recursive: true });
  const file = new URL(`suite-${block.index}.ts`, dir);
  writeFileSync(file, `${block.code}\nexport {};\n`);
  await import(/* @vite-ignore */ file.href);
}

describe('README examples', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(suites.length).toBeGreaterThanOrEqual(1);
  });

  for (const block of blocks.filter((b) => !b.suite)) {
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
