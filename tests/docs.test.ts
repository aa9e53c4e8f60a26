/**
 * Runs every ```ts block of every `docs/*.md`, as tests/readme.test.ts runs README's
 * (tests/doc-examples.ts): an example keeps running wherever it moves.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeTsExamples } from './doc-examples.js';

const docs = new URL('../docs/', import.meta.url);
const files = readdirSync(docs).filter((f) => f.endsWith('.md')).sort();

describe('docs/', () => {
  it('has its pages', () => {
    expect(files).toContain('README.md');
  });
});

for (const file of files) await describeTsExamples(`docs/${file}`, new URL(file, docs));
