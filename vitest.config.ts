import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // README examples import the package by name; inside the repo that is the source.
    alias: [
      { find: /^connector-sync-jobs\/adapters\/([a-z]+)$/, replacement: root('./adapters/$1/index.ts') },
      { find: /^connector-sync-jobs\/testing$/, replacement: root('./src/testing/index.ts') },
      { find: /^connector-sync-jobs$/, replacement: root('./src/index.ts') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // once per run: brings dist/ up to date, makes the PGlite templates (tests/global-setup.ts)
    globalSetup: ['tests/global-setup.ts'],
    // Safety nets against hangs, not performance limits: on a shared, overloaded 2-core machine
    // a PGlite initdb alone has taken over 60 s (2-3 s idle).
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Test files share their worker's module cache (no per-file re-import of Fastify, PGlite,
    // the Elasticsearch client...; docs/decisions/0009-tests-share-module-cache.md). No test
    // mocks modules, stubs the environment or configures fast-check globally, so nothing leaks
    // from one file to the next; a file that needs a clean module state must not be added
    // without setting `isolate` back.
    isolate: false,
    // Files run in parallel. Many wait on child processes, sockets or PGlite rather than
    // compute, so three workers keep two cores busy (vitest's default here would be one).
    maxWorkers: 3,
  },
});
