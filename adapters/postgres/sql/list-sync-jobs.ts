import { MAX_LIST_COUNT } from '../../../src/internal.js';
import type { SyncJobListQuery, SyncJobListResult } from '../../../src/internal.js';
import { JOB_SELECT, rowToJob } from '../columns/job-columns.js';
import { unstorableKey } from '../columns/storable-text.js';
import { translateError } from '../errors.js';
import type { Queryable, Row } from '../queryable.js';
import { statementName } from '../statement-name.js';
import type { NamedOptions } from '../statement-name.js';

/**
 * The order of a list: newest first, ties by id in code-point order (`COLLATE "C"`, whatever the
 * database's collation). Qualified: a bare `created_at` would name JOB_SELECT's text output column.
 */
const LIST_ORDER = 'sync_jobs.created_at DESC, sync_jobs.id COLLATE "C"';

/** {@link listStatement}'s texts by filter combination (bit 1 connector, 2 status, 4 job types). */
const LIST_SQL: (string | undefined)[] = [];

/**
 * The one statement of a list: the page and the count of every match, in one snapshot. The page
 * uses the list indexes of migration 3 (`sync_jobs_list_*`: the order, by connector, by status)
 * and stops after `from + size` rows; the count is a separate aggregate (index-only where the
 * visibility map allows), joined so that a page past the end still carries it, and answered up
 * to `MAX_LIST_COUNT` (upstream's count: exact up to 10,000, then 10,000). Exported for the
 * EXPLAIN tests.
 */
export function listStatement(query: SyncJobListQuery): { text: string; params: unknown[]; name: string } {
  const params: unknown[] = [];
  const byConnector = query.connectorId !== undefined;
  const byStatus = query.status !== undefined;
  const byType = query.jobTypes !== undefined && query.jobTypes.length > 0;
  if (byConnector) params.push(query.connectorId);
  if (byStatus) params.push(query.status);
  if (byType) params.push([...query.jobTypes!]);
  params.push(query.size, query.from);
  // eight texts, one per combination of filters: built once, each with its statement name
  const shape = (byConnector ? 1 : 0) | (byStatus ? 2 : 0) | (byType ? 4 : 0);
  let text = LIST_SQL[shape];
  if (text === undefined) {
    const where: string[] = [];
    let n = 0;
    if (byConnector) where.push(`connector_id = $${++n}`);
    if (byStatus) where.push(`status = $${++n}`);
    if (byType) where.push(`job_type = ANY($${++n}::text[])`);
    const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const limit = n + 1;
    text = `WITH page AS (
  SELECT ${JOB_SELECT}, created_at AS list_at FROM sync_jobs${filter} ORDER BY ${LIST_ORDER} LIMIT $${limit} OFFSET $${limit + 1}
), total AS (
  SELECT count(*)::text AS total_count FROM sync_jobs${filter}
)
SELECT total.total_count, page.* FROM total LEFT JOIN page ON true ORDER BY page.list_at DESC, page.id COLLATE "C"`;
    LIST_SQL[shape] = text;
  }
  return { text, params, name: statementName('list', text) };
}

/** `SyncJobStore.list`: one named statement ({@link listStatement}): the page, newest first (ties by id), and the count of all matches. */
export async function listSyncJobs(db: Queryable, named: NamedOptions, query: SyncJobListQuery): Promise<SyncJobListResult> {
  if (query.connectorId !== undefined && unstorableKey(query.connectorId)) return { count: 0, results: [] };
  const { text, params, name } = listStatement(query);
  let rows: Row[];
  try {
    rows = (await db.query(text, params, named(name))).rows;
  } catch (error) {
    throw translateError(error, 'listing sync jobs');
  }
  const count = Math.min(Number(rows[0]?.total_count ?? 0), MAX_LIST_COUNT);
  const results = rows.filter((r) => r.id !== null && r.id !== undefined).map(rowToJob);
  return { count, results };
}
