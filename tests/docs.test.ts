/**
 * Runs every ```ts block of every `docs/*.md`, as tests/readme.test.ts runs README's
 * (tests/doc-examples.ts): an example keeps running wherever it moves. Also checks that the
 * relative links of README, `docs/` and `bench/README.md` lead to a file (and heading) that exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeTsExamples } from './doc-examples.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const docs = new URL('../docs/', import.meta.url);
const files = readdirSync(docs).filter((f) => f.endsWith('.md')).sort();

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = (markdown: string): Set<string> =>
  new Set([...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.*)$/gm)].map((m) => slug(m[1] ?? '')));

describe('docs/', () => {
  it('has its pages', () => {
    expect(files).toContain('README.md');
  });

  it('relative links lead to files and headings that exist', () => {
    const pages = ['README.md', 'bench/README.md', ...files.map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(ROOT, page), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1] as string;
        if (/^[a-z]+:/.test(link)) continue;
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), path);
        if (!existsSync(target)) {
          broken.push(`${page}: ${link}`);
          continue;
        }
        if (anchor !== undefined && statSync(target).isFile() && !anchorsOf(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${page}: ${link}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

for (const file of files) await describeTsExamples(`docs/${file}`, new URL(file, docs));
