import { fsyncSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PGliteOptions } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/**
 * The PGlite instances this adapter opens itself. A module of its own, imported only when one
 * is needed (`pglite.ts`, `index.ts`): the only module of the adapter that imports PGlite's
 * classes at load, so a host with `pg` alone never loads (nor needs) `@electric-sql/pglite`.
 */

/**
 * A Node file system for PGlite whose fsync really reaches the disk. PGlite mounts its data
 * directory with Emscripten's NODEFS, which has no `fsync` stream operation (so `fsync(2)` from
 * PostgreSQL is a silent no-op); this adds it, for files (directories have no host descriptor).
 */
class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]): ReturnType<NodeFS['init']> {
    const result = await super.init(pg, opts);
    const preRun = (result.emscriptenOpts.preRun ?? []) as ((mod: unknown) => void)[];
    result.emscriptenOpts.preRun = [
      ...preRun,
      (mod: unknown) => {
        const ops = (mod as { NODEFS: { stream_ops: Record<string, unknown> } }).NODEFS.stream_ops;
        ops.fsync = (stream: { nfd?: number }): number => {
          if (stream.nfd !== undefined) fsyncSync(stream.nfd);
          return 0;
        };
      },
    ] as typeof result.emscriptenOpts.preRun;
    return result;
  }
}

/** PGlite's start parameters with fsync on (its defaults pass `-F`, fsync off). */
function durableStartParams(): string[] {
  return [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'fsync=on', '-c', 'wal_sync_method=fsync'];
}

/** PGlite on a data directory (durable: fsync per commit), or in memory when `dir` is undefined. */
export function newPglite(dir: string | undefined, durable = true): PGlite {
  if (dir === undefined) return new PGlite();
  const pgOptions: PGliteOptions = durable ? { fs: new DurableNodeFS(dir), startParams: durableStartParams() } : { dataDir: dir };
  return new PGlite(pgOptions);
}

/** `PGlite.create`: in memory, or at `dataDir` (PGlite's own defaults). */
export function createPglite(dataDir?: string): Promise<PGlite> {
  return dataDir === undefined ? PGlite.create() : PGlite.create(dataDir);
}
