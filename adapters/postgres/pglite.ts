import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import lockfile from 'proper-lockfile';
import { assertDriverInstalled } from '../../src/internal.js';
import { importWithPglite } from './drivers.js';

/** Options of {@link openPgliteDir}. */
export interface PgliteDirOptions {
  /**
   * Acknowledged means on disk (default true): PostgreSQL runs with `fsync=on` and
   * `wal_sync_method=fsync`, and the file system under PGlite really calls fsync(2), once per
   * commit. PGlite's own default is `fsync=off` (`-F`) with a no-op fsync: a process crash loses
   * nothing (writes are in the OS page cache), but an OS crash or power loss may lose acknowledged
   * jobs. A durable commit costs about twice as much (docs/decisions/0006-pglite-durable-by-default.md).
   */
  durable?: boolean;
  /**
   * The data-directory lock counts as abandoned when not refreshed for this long, in ms
   * (default 10,000, at least 2,000): a process killed with SIGKILL leaves its lock behind, and
   * the next start takes it over once it is this old.
   */
  lockStaleMs?: number;
}

/** A second process (or a second open in this one) on a PGlite data directory already in use. */
export class DataDirectoryInUseError extends Error {
  readonly code = 'EDATADIRINUSE';
  constructor(
    readonly dataDir: string,
    readonly lockPath: string,
  ) {
    super(
      `PGlite data directory ${dataDir} is in use by another process (lock ${lockPath}; a process that was killed releases it within its stale time)`,
    );
    this.name = 'DataDirectoryInUseError';
  }
}

/** Default {@link PgliteDirOptions.lockStaleMs}. */
export const DEFAULT_LOCK_STALE_MS = 10_000;

/** What {@link openPgliteDir} opened. */
export interface PgliteDir {
  /**
   * The PGlite instance, once `@electric-sql/pglite` is loaded (it is imported when first
   * needed, so a host with `pg` alone never needs it); its queries wait for PGlite to start.
   */
  db: Promise<PGlite>;
  /** Closes PGlite, then releases the directory lock. */
  close(): Promise<void>;
}

/**
 * Opens PGlite on a data directory that only this process may use. The lock is taken first,
 * synchronously, before PGlite touches the directory: `<dir>.lock`, a directory created with
 * mkdir (atomic on local and network file systems) by `proper-lockfile`, refreshed every
 * `lockStaleMs / 2`. A running holder -> {@link DataDirectoryInUseError}; a holder that died
 * (kill -9, power loss) stops refreshing, and its lock is taken over once `lockStaleMs` old. If
 * the lock is ever lost (its refresh fails, or someone took it over), PGlite is closed at once
 * so this process stops writing; its queries then fail as unavailable. Without
 * `@electric-sql/pglite` installed: MissingDriverError, before the lock is taken.
 */
export function openPgliteDir(dataDir: string, options: PgliteDirOptions = {}, neededBy = 'openPgliteDir'): PgliteDir {
  assertDriverInstalled('@electric-sql/pglite', neededBy);
  const dir = resolve(dataDir);
  const lockPath = `${dir}.lock`;
  mkdirSync(dirname(dir), { recursive: true });
  let db: PGlite | undefined;
  let lost = false;
  let release: () => void;
  try {
    release = lockfile.lockSync(dir, {
      realpath: false,
      lockfilePath: lockPath,
      stale: Math.max(2_000, options.lockStaleMs ?? DEFAULT_LOCK_STALE_MS),
      onCompromised: (error: Error) => {
        lost = true;
        process.stderr.write(`PGlite data directory lock ${lockPath} lost (${error.message}); closing PGlite\n`);
        if (db && !db.closed) void db.close().catch((e: unknown) => process.stderr.write(`closing PGlite failed: ${String(e)}\n`));
      },
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ELOCKED') throw new DataDirectoryInUseError(dataDir, lockPath);
    throw error;
  }
  const opened = importWithPglite(() => import('./pglite-open.js'), neededBy).then((m) => {
    db = m.newPglite(dir, options.durable !== false);
    if (lost) void db.close().catch(() => undefined);
    return db;
  });
  opened.catch(() => undefined); // awaited by its users; never an unhandled rejection
  let released = false;
  return {
    db: opened,
    async close() {
      try {
        const instance = await opened.catch(() => undefined);
        if (instance && !instance.closed) await instance.close();
      } finally {
        if (!released) {
          released = true;
          release();
        }
      }
    },
  };
}
