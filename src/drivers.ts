import { createRequire } from 'node:module';

/**
 * A storage driver or server framework this package loads only when asked for, and which the
 * host has not installed (`pg`, `@electric-sql/pglite`, `@elastic/elasticsearch`, `fastify`:
 * optional peer dependencies). Its message is one line naming the package and the command:
 * `connector-sync-jobs: postgresModule({ connectionString }) needs the package "pg": npm install pg`.
 */
export class MissingDriverError extends Error {
  /** Stable code: `missing_driver`. */
  readonly code = 'missing_driver';

  constructor(
    /** The npm package to install. */
    readonly packageName: string,
    /** What needed it (`STORAGE=postgres`, `postgresModule({ pgliteDataDir })`, ...). */
    readonly neededBy: string,
    options?: { cause?: unknown },
  ) {
    super(`connector-sync-jobs: ${neededBy} needs the package "${packageName}": npm install ${packageName}`, options);
    this.name = 'MissingDriverError';
  }
}

const requireFrom = createRequire(import.meta.url);

/** True when `error` says the package itself could not be found (not one of its own imports). */
export function isMissingPackage(error: unknown, packageName: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || (e.code !== 'MODULE_NOT_FOUND' && e.code !== 'ERR_MODULE_NOT_FOUND')) return false;
  const message = String(e.message);
  return message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
}

/** Throws {@link MissingDriverError} unless `packageName` resolves from this package (nothing is loaded). */
export function assertDriverInstalled(packageName: string, neededBy: string): void {
  try {
    requireFrom.resolve(packageName);
  } catch (error) {
    if (isMissingPackage(error, packageName)) throw new MissingDriverError(packageName, neededBy, { cause: error });
    throw error;
  }
}

/**
 * Loads a CommonJS driver (`pg`, `@elastic/elasticsearch`, `fastify`) synchronously, the first
 * time it is needed; {@link MissingDriverError} when it is not installed. The same module object
 * an `import` of it gives (their ESM entry points wrap the CommonJS one).
 */
export function requireDriver<T>(packageName: string, neededBy: string): T {
  try {
    return requireFrom(packageName) as T;
  } catch (error) {
    if (isMissingPackage(error, packageName)) throw new MissingDriverError(packageName, neededBy, { cause: error });
    throw error;
  }
}
