/**
 * Runs the ```ts blocks of a Markdown file as tests (used by tests/readme.test.ts and
 * tests/docs.test.ts).
 *
 * - A block fenced as ```ts env=NAME runs only when that environment variable is set (examples
 *   that need a server).
 * - A `console.log(...); // text` line must print exactly `text`.
 * - A block fenced as ```ts suite defines vitest suites (a contract-kit example): it is imported
 *   while the calling test file is collected, so its `describe` blocks run as part of that file.
 *
 * Each block is written to `.tmp/doc-examples/<name>/` and imported, so `connector-sync-jobs`
 * imports resolve to the sources through `vitest.config.ts`'s aliases.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';

/** One fenced code block of a Markdown file. */
export interface CodeBlock {
  /** Its position among the blocks of the same language in the file (0-based). */
  index: number;
  /** The fence's info string after the language (`env=NAME`, `suite`, `walkthrough`...). */
  info: string;
  env: string | undefined;
  suite: boolean;
  code: string;
}

/** The blocks fenced as ```<lang> in `markdown`, in order. */
export function codeBlocks(markdown: string, lang: string): CodeBlock[] {
  const fence = new RegExp('^```' + lang + '([^\\n]*)\\n([\\s\\S]*?)^```', 'gm');
  return [...markdown.matchAll(fence)].map((m, i) => {
    const info = (m[1] ?? '').trim();
    return { index: i, info, env: /env=([A-Z_]+)/.exec(info)?.[1], suite: /\bsuite\b/.test(info), code: m[2] ?? '' };
  });
}

/**
 * Registers `describe('<name> examples')` running every ```ts block of the Markdown file at
 * `file` (a URL); suite blocks are imported at once, so await this at the top of a test file.
 */
export async function describeTsExamples(name: string, file: URL, expectations: { minBlocks?: number; minSuites?: number } = {}): Promise<void> {
  const blocks = codeBlocks(readFileSync(file, 'utf8'), 'ts');
  const dir = new URL(`../.tmp/doc-examples/${name.replace(/[^A-Za-z0-9_.-]/g, '_')}/`, import.meta.url);

  // suite blocks: their describe/it calls must happen while vitest collects the calling file
  const suites = blocks.filter((b) => b.suite);
  for (const block of suites) {
    mkdirSync(dir, { recursive: true });
    const path = new URL(`suite-${block.index}.ts`, dir);
    writeFileSync(path, `${block.code}\nexport {};\n`);
    await import(/* @vite-ignore */ path.href);
  }

  describe(`${name} examples`, () => {
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('has its examples', () => {
      expect(blocks.length).toBeGreaterThanOrEqual(expectations.minBlocks ?? 0);
      expect(suites.length).toBeGreaterThanOrEqual(expectations.minSuites ?? 0);
    });

    for (const block of blocks.filter((b) => !b.suite)) {
      const title = `example ${block.index + 1}: ${block.code.split('\n').find((l) => l.includes('from'))?.trim() ?? ''}`;
      it.skipIf(block.env !== undefined && !process.env[block.env])(title, async () => {
        mkdirSync(dir, { recursive: true });
        const path = new URL(`example-${block.index}.ts`, dir);
        writeFileSync(path, `${block.code}\nexport {};\n`);
        const expected = [...block.code.matchAll(/console\.log\(.*\);\s*\/\/ (.*)$/gm)].map((m) => m[1]);
        const printed: string[] = [];
        const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
          printed.push(args.map(String).join(' '));
        });
        try {
          await import(/* @vite-ignore */ path.href);
        } finally {
          spy.mockRestore();
        }
        expect(printed).toEqual(expected);
      });
    }
  });
}
