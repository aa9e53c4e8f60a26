import { ConflictError } from '../../../src/index.js';
import type { SyncJob } from '../../../src/index.js';
import { JOB_COLUMNS, JOB_SELECT } from '../columns/job-columns.js';
import type { JobColumn } from '../columns/job-columns.js';
import { placeholder } from '../columns/param-cast.js';
import { constraintOf, sqlStateOf } from '../errors.js';

/**
 * The columns an insert names and their parameters: a null parameter is left out (the column's
 * default is NULL), so a new job, whose later-lifecycle fields are all null, sends 13 parameters
 * instead of 20 (cheaper on PGlite: docs/decisions/0004-postgres-create-path.md). `id` and
 * `connector_id` are never null. `key`: which columns are named, the shape its text is cached by.
 */
export function insertShape(job: SyncJob): { columns: JobColumn[]; params: unknown[]; key: string } {
  const columns: JobColumn[] = [];
  const params: unknown[] = [];
  let key = '';
  for (const c of JOB_COLUMNS) {
    const value = c.param(job);
    if (value === null || value === undefined) {
      key += '0';
      continue;
    }
    key += '1';
    columns.push(c);
    params.push(value);
  }
  return { columns, params, key };
}

const insertSqlCache = new Map<string, string>();

/**
 * INSERT text for a shape. `plain`: the one-statement create, which inserts only when the
 * connector row (`$2`) is live (or, `versioned`, still the version in the last parameter),
 * reading it FOR SHARE unless `lock` is false; otherwise a VALUES insert returning the row.
 */
export function insertSql(columns: readonly JobColumn[], key: string, plain: boolean, versioned = false, lock = true): string {
  const cacheKey = `${plain ? (versioned ? 'c' : 'p') : 'v'}${lock ? '' : 'u'}${key}`;
  let text = insertSqlCache.get(cacheKey);
  if (text === undefined) {
    const names = columns.map((c) => c.name).join(', ');
    const values = columns.map((c, i) => placeholder(c, i + 1)).join(', ');
    // versioned: the row must still be the version the job was built from (the last parameter)
    const where = versioned ? `version = $${columns.length + 1}` : 'NOT deleted';
    text = plain
      ? `INSERT INTO sync_jobs (${names}) SELECT ${values} FROM connectors WHERE id = $2 AND ${where}${lock ? ' FOR SHARE' : ''} RETURNING id`
      : `INSERT INTO sync_jobs (${names}) VALUES (${values}) RETURNING ${JOB_SELECT}`;
    insertSqlCache.set(cacheKey, text);
  }
  return text;
}

/** A primary-key violation on sync_jobs is the core's duplicate-id conflict; anything else as it is. */
export function duplicateIdOr(error: unknown, id: string): unknown {
  return sqlStateOf(error) === '23505' && constraintOf(error) === 'sync_jobs_pkey' ? ConflictError.duplicateId(id, error) : error;
}
