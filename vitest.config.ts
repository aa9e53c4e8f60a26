import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // README examples import the package by name; inside the repo that is the source.
    alias: [
      { find: /^connector-sync-jobs\/adapters\/([a-z]+)$/, replacement: root('./adapters/$1/index.ts') },
      { find: /^connector-sync-jobs$/, replacement: root('./src/index.ts') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
