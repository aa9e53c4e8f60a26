/**
 * Last step of `npm run build` (after tsc and scripts/copy-migrations.mjs): bundles the server's
 * entry point, dist/adapters/http/main.js, with its pure-JavaScript dependencies (Fastify,
 * Inversify, the core) into dist/bin/, so `npm start` and the `connector-sync-jobs` bin load a
 * few files instead of several hundred (faster start-up: docs/decisions/0008-start-up.md). The storage
 * adapters stay separate chunks loaded on demand (STORAGE), and their drivers (pg, PGlite, the
 * Elasticsearch client) stay external, loaded from node_modules.
 *
 * The PostgreSQL migration runner reads its .sql files from `./migrations/` next to its own
 * module (`import.meta.url`): in the bundle that is the chunk holding it, so the files are copied
 * next to that chunk, found from esbuild's metafile. The entry point is written last (the test
 * setup takes it as the build's completion mark).
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const RUNNER = 'dist/adapters/postgres/migrations.js';
const ENTRY = resolve('dist/bin/connector-sync-jobs.js');

const result = await build({
  entryPoints: { 'connector-sync-jobs': 'dist/adapters/http/main.js' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['pg', '@electric-sql/pglite', '@elastic/elasticsearch'],
  // CommonJS dependencies bundled into ESM call require() for Node builtins
  banner: { js: "import { createRequire as __csjCreateRequire } from 'node:module'; const require = __csjCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  metafile: true,
  write: false,
});

const holders = Object.entries(result.metafile.outputs).filter(([, output]) => RUNNER in output.inputs).map(([path]) => path);
if (holders.length !== 1) throw new Error(`bundle-bin: expected one output holding ${RUNNER}, found ${holders.length}`);
const migrations = join(dirname(holders[0]), 'migrations');
rmSync(migrations, { recursive: true, force: true });
cpSync('dist/adapters/postgres/migrations', migrations, { recursive: true });

const files = [...result.outputFiles].sort((a, b) => Number(a.path === ENTRY) - Number(b.path === ENTRY));
for (const file of files) {
  mkdirSync(dirname(file.path), { recursive: true });
  // executable when it starts with #!, as esbuild's own write makes it
  writeFileSync(file.path, file.contents, { mode: file.text.startsWith('#!') ? 0o755 : 0o644 });
}
