/**
 * vitest globalSetup: runs once in the main process before any test file.
 *
 * 1. The build (`dist/`) is brought up to date when a source is newer than it: the start tests
 *    and the package test run the compiled JavaScript (`dist/bin/connector-sync-jobs.js`, the
 *    library under `dist/src` and `dist/adapters`), as `npm start` and hosts do.
 * 2. PGlite templates: one initdb (the 2-3 s cold start) and one migration for the whole run,
 *    dumped to `.tmp/pglite-templates/<key>/` (kept across runs while PGlite and the
 *    migrations are unchanged: the key hashes PGlite's version and `MIGRATIONS`, which holds
 *    each migration file's name and text). Test files open PGlite from these dumps
 *    (`loadDataDir`) through `tests/adapters/postgres/flavours.ts` instead of paying initdb each.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** Directory holding `unmigrated.tar` and `migrated.tar` (PGlite `dumpDataDir` output). */
    pgliteTemplates: string;
  }
}

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Rebuilds `dist/` (incrementally) when a source or build setting is newer than the last build. */
export function ensureBuild(): void {
  const bin = join(ROOT, 'dist', 'bin', 'connector-sync-jobs.js'); // written last by `npm run build`
  const inputs = ['src', 'adapters', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((p) => join(ROOT, p));
  if (existsSync(bin) && Math.max(...inputs.map(newestMtime)) <= statSync(bin).mtimeMs) return;
  // `npm run build` without its clean step: tsc is incremental (dist/.tsbuildinfo)
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/copy-migrations.mjs'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/bundle-bin.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

async function ensurePgliteTemplates(): Promise<string> {
  const pgliteVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
  const { MIGRATIONS, migrate, queryableFromPglite } = await import('../adapters/postgres/index.js');
  const key = createHash('sha256').update(pgliteVersion).update(JSON.stringify(MIGRATIONS)).digest('hex').slice(0, 16);
  const dir = join(ROOT, '.tmp', 'pglite-templates', key);
  if (existsSync(join(dir, 'migrated.tar')) && existsSync(join(dir, 'unmigrated.tar'))) return dir;
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  try {
    const write = async (name: string): Promise<void> => {
      const dump = await db.dumpDataDir('none');
      const tmp = join(dir, `${name}.${process.pid}.partial`);
      writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
      renameSync(tmp, join(dir, name)); // atomic: a reader never sees half a dump
    };
    await write('unmigrated.tar');
    await migrate(queryableFromPglite(db));
    await write('migrated.tar');
  } finally {
    await db.close();
  }
  return dir;
}

export default async function setup(project: TestProject): Promise<void> {
  ensureBuild();
  project.provide('pgliteTemplates', await ensurePgliteTemplates());
}
