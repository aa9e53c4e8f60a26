/**
 * Second step of `npm run build` (after tsc): bundles the server's entry point,
 * dist/adapters/http/main.js, with its pure-JavaScript dependencies (Fastify, Inversify, the
 * core) into dist/bin/, so `npm start` and the `connector-sync-jobs` bin load a few files
 * instead of several hundred (start-up: see bench/README.md, figure 6). The storage adapters
 * stay separate chunks loaded on demand (STORAGE), and their drivers (pg, PGlite, the
 * Elasticsearch client) stay external, loaded from node_modules.
 */
import { build } from 'esbuild';

await build({
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
});
