import { CLAIMABLE_SYNC_STATUSES, Instant, SYNC_STATUSES, UnstorableValueError } from '../../../src/index.js';
import type { ClaimNextFilters, SyncJob, SyncJobPlan } from '../../../src/index.js';
import { JOB_COLUMNS, JOB_SELECT } from '../columns/job-columns.js';
import type { JobColumn } from '../columns/job-columns.js';
import { placeholder } from '../columns/param-cast.js';
import { jsonText } from '../columns/pg-json.js';
import { unstorableTextReason } from '../columns/storable-text.js';
import { JSON_MERGE_FUNCTION } from '../schema.js';
import { statementName } from '../statement-name.js';

/** `IN (...)` of sync statuses, as literals (the domain's enum values, never caller text). */
function statusList(statuses: readonly string[]): string {
  return statuses
    .map((s) => {
      if (!/^[a-z_]+$/.test(s)) throw new TypeError(`not a sync status: ${s}`);
      return `'${s}'`;
    })
    .join(', ');
}

const sameParam = (a: unknown, b: unknown): boolean =>
  a === b || (a instanceof Instant && b instanceof Instant && a.epochMicros === b.epochMicros);

/** Deepest object nesting of a merge the one statement does in SQL (deeper: the JavaScript fallback). */
export const MAX_SQL_MERGE_DEPTH = 32;

/** Whether `value` nests objects or arrays more than `max` levels deep (iterative: no recursion). */
function jsonDepthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The column of each entity field. */
const COLUMN_OF_FIELD = new Map(JOB_COLUMNS.filter((c) => c.field !== null).map((c) => [c.field!, c]));

/**
 * Which row a plan's statement writes: the job with this id, or the next claimable job that
 * passes the filters (claim-next: the oldest pending, then suspended, `FOR UPDATE SKIP LOCKED`,
 * on the claim-order index of migration 4).
 */
export type PlanTarget = { readonly id: string } | { readonly next: ClaimNextFilters };

/** The target's parameters (`$1`...) and its `WHERE`, and what its text depends on. */
export function targetClause(target: PlanTarget): { params: unknown[]; where: string; key: string } {
  if ('id' in target) return { params: [target.id], where: 'id = $1', key: 'id' };
  const params: unknown[] = [];
  const where = [`status IN (${statusList(CLAIMABLE_SYNC_STATUSES)})`];
  const { connectorIds, jobTypes, serviceTypes } = target.next;
  if (connectorIds && connectorIds.length > 0) {
    params.push([...connectorIds]);
    where.push(`connector_id = ANY($${params.length}::text[])`);
  }
  if (jobTypes && jobTypes.length > 0) {
    params.push([...jobTypes]);
    where.push(`job_type = ANY($${params.length}::text[])`);
  }
  if (serviceTypes && serviceTypes.length > 0) {
    params.push([...serviceTypes]);
    where.push(`(connector->>'service_type') = ANY($${params.length}::text[])`);
  }
  const select = `SELECT id FROM sync_jobs WHERE ${where.join(' AND ')} ORDER BY (status = 'suspended'), created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`;
  return { params, where: `id = (${select})`, key: `next:${where.length}:${select}` };
}

/** The text a plan sets that PostgreSQL cannot hold (a NUL, a lone surrogate), as UnstorableValueError; null when none. */
export function unstorablePlanText(plan: SyncJobPlan): UnstorableValueError | null {
  for (const c of plan.cases) {
    for (const field of Object.keys(c.set) as (keyof SyncJob)[]) {
      const column = COLUMN_OF_FIELD.get(field)!;
      if (column.text === undefined) continue;
      const param = column.param(c.set as unknown as SyncJob);
      const reason = typeof param === 'string' ? unstorableTextReason(param) : null;
      if (reason !== null) return new UnstorableValueError(`[${column.text}] ${reason}.`, column.text);
    }
  }
  return null;
}

/**
 * Statement texts of {@link planStatement} by shape (a handful: one or two per command), each
 * with its statement name; past 1000 shapes a text is neither kept nor named.
 */
const commandSqlCache = new Map<string, { text: string; name: string | undefined }>();

/**
 * A plan as one statement: `UPDATE sync_jobs SET <each field a case sets: $n, or a CASE on the
 * stored status when the cases differ>, status = <its target>, metadata = <merge(stored object
 * or {}, $n)>, sync_cursor = <merge(stored cursor, $n) when it is an object, else $n> WHERE
 * <the target> AND status IN (<accepted>) [AND last_seen <= $n] [AND started_at = $n] RETURNING <every column>` (no
 * status guard when the plan accepts every status: the column's CHECK allows only those). The
 * stored cursor is the column when set, else the snapshot's (rows written before migration 3),
 * as the read does. Null when the plan accepts no status, sets a text PostgreSQL cannot hold, or
 * merges a change nested deeper than {@link MAX_SQL_MERGE_DEPTH}: the caller then applies the
 * plan in JavaScript on the row it read (`read-and-apply-sync-job-plan.ts`), which reports the
 * refusal or the UnstorableValueError in the same order as any other store.
 */
export function planStatement(
  plan: SyncJobPlan,
  target: PlanTarget,
): { text: string; params: unknown[]; merges: boolean; name: string | undefined } | null {
  const cases = plan.cases.filter((c) => c.from.length > 0);
  // a replaced cursor is written by the JavaScript path (the compiled statement merges)
  if (cases.length === 0 || plan.replace !== undefined || unstorablePlanText(plan) !== null) return null;
  const clause = targetClause(target);
  const params: unknown[] = clause.params;
  // What the text depends on: per case its statuses and target, per column the parameter
  // number each case gives it (none: left as stored), the merges. Same shape, same text (cached);
  // the placeholders themselves are written only when a shape's text is built.
  const assigned: [name: string, column: JobColumn | null, values: (string | number | undefined)[]][] = [];
  let anyStatus = false;
  for (const c of cases) if (c.status !== undefined) anyStatus = true;
  if (anyStatus) assigned.push(['status', null, cases.map((c) => (c.status === undefined ? undefined : `'${c.status}'`))]);
  const fields: (keyof SyncJob)[] = [];
  for (const c of cases) for (const f of Object.keys(c.set) as (keyof SyncJob)[]) if (!fields.includes(f)) fields.push(f);
  for (const field of fields) {
    const column = COLUMN_OF_FIELD.get(field)!;
    const given = cases.map((c) => (Object.prototype.hasOwnProperty.call(c.set, field) ? (c.set as Record<string, unknown>)[field] : undefined));
    const values: (number | undefined)[] = new Array<number | undefined>(cases.length);
    for (let i = 0; i < given.length; i++) {
      const value = given[i];
      if (value === undefined) continue;
      let earlier = 0;
      // bounded by i: a value not equal to itself (NaN) is its own first occurrence
      while (earlier < i && !(given[earlier] !== undefined && sameParam(given[earlier], value))) earlier++;
      if (earlier < i) {
        values[i] = values[earlier];
        continue;
      }
      params.push(column.param(cases[i]!.set as unknown as SyncJob));
      values[i] = params.length;
    }
    assigned.push([column.name, column, values]);
  }
  const { metadata, syncCursor } = plan.merge;
  // The SQL merge recurses once per level the stored value and the change share: a deep change
  // would exhaust PostgreSQL's stack (PGlite's session even PANICs), so it goes to the fallback,
  // which merges in JavaScript. The change's own depth bounds the recursion.
  if ((metadata !== undefined && jsonDepthOver(metadata, MAX_SQL_MERGE_DEPTH)) || (syncCursor !== undefined && jsonDepthOver(syncCursor, MAX_SQL_MERGE_DEPTH))) {
    return null;
  }
  if (metadata !== undefined) params.push(jsonText(metadata, 'metadata'));
  if (syncCursor !== undefined) params.push(jsonText(syncCursor, 'connector.sync_cursor'));
  const lastSeen = plan.lastSeenAtOrBefore;
  if (lastSeen !== undefined) params.push(lastSeen.toString());
  const fence = plan.ifStartedAt;
  if (fence !== undefined) params.push(fence.toString());
  const merges = metadata !== undefined || syncCursor !== undefined;
  let key = `${clause.key}|${metadata !== undefined}${syncCursor !== undefined}${lastSeen !== undefined}${fence !== undefined}`;
  for (const c of cases) key += `|${c.from.join(',')}>${c.status ?? ''}`;
  for (const [name, , values] of assigned) key += `|${name}=${values.join('/')}`;
  let cached = commandSqlCache.get(key);
  if (cached === undefined) {
    const when = (c: (typeof cases)[number]): string => `status IN (${statusList(c.from)})`;
    const sets = assigned.map(([name, column, numbers]) => {
      const values = numbers.map((v) => (v === undefined || column === null ? v : placeholder(column, v as number)));
      const first = values[0];
      if (first !== undefined && cases.every((_, i) => values[i] === first)) return `${name} = ${first}`;
      const arms = cases.map((c, i) => (values[i] === undefined ? '' : ` WHEN ${when(c)} THEN ${values[i]}`)).join('');
      return `${name} = CASE${arms} ELSE ${name} END`;
    });
    let n = params.length - (fence !== undefined ? 1 : 0) - (lastSeen !== undefined ? 1 : 0) - (syncCursor !== undefined ? 1 : 0) - (metadata !== undefined ? 1 : 0);
    if (metadata !== undefined) {
      sets.push(`metadata = ${JSON_MERGE_FUNCTION}(CASE WHEN json_typeof(metadata) = 'object' THEN metadata ELSE '{}'::json END, $${++n}::text::json)`);
    }
    if (syncCursor !== undefined) {
      const changes = `$${++n}::text::json`;
      const stored = `coalesce(CASE WHEN json_typeof(sync_cursor) <> 'null' THEN sync_cursor END, connector -> 'sync_cursor')`;
      sets.push(`sync_cursor = CASE WHEN json_typeof(${stored}) = 'object' THEN ${JSON_MERGE_FUNCTION}(${stored}, ${changes}) ELSE ${changes} END`);
    }
    const from = cases.flatMap((c) => c.from);
    // A command that accepts every status needs no guard: the column's CHECK (migration 1) allows
    // only the seven, and a statement sent unnamed is parsed on every call: a shorter text costs less.
    let guard = SYNC_STATUSES.every((st) => from.includes(st)) ? '' : ` AND status IN (${statusList(from)})`;
    if (lastSeen !== undefined) guard += ` AND last_seen <= $${params.length - (fence !== undefined ? 1 : 0)}::timestamptz`;
    if (fence !== undefined) guard += ` AND started_at = $${params.length}::timestamptz`;
    const text = `UPDATE sync_jobs SET ${sets.join(', ')} WHERE ${clause.where}${guard} RETURNING ${JOB_SELECT}`;
    // named by its text (`pg` refuses one name for two texts on a connection)
    cached = { text, name: commandSqlCache.size < 1000 ? statementName('cmd', text) : undefined };
    if (cached.name !== undefined) commandSqlCache.set(key, cached);
  }
  return { text: cached.text, params, merges, name: cached.name };
}
