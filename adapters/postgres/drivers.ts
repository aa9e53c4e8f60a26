import { MissingDriverError, isMissingPackage, requireDriver } from '../../src/internal.js';

/** `pg`'s module (the same object `import pg from 'pg'` gives). */
export type PgModule = typeof import('pg');

let pg: PgModule | undefined;

/**
 * `pg`, loaded on first use (a host on PGlite never loads it); {@link MissingDriverError}
 * naming `neededBy` when it is not installed.
 */
export function loadPg(neededBy: string): PgModule {
  if (pg === undefined) {
    const loaded = requireDriver<PgModule & { default?: PgModule }>('pg', neededBy);
    pg = loaded.Pool === undefined && loaded.default !== undefined ? loaded.default : loaded;
  }
  return pg;
}

/**
 * Imports a module of this adapter that needs PGlite (`./pglite-open.js`, ...), turning a
 * missing `@electric-sql/pglite` into {@link MissingDriverError} naming `neededBy`.
 */
export async function importWithPglite<T>(load: () => Promise<T>, neededBy: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, '@electric-sql/pglite')) throw new MissingDriverError('@electric-sql/pglite', neededBy, { cause: error });
    throw error;
  }
}
