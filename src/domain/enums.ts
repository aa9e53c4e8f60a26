/** Sync job types, as upstream's ConnectorSyncJobType (stored lowercase). */
export const JOB_TYPES = ['full', 'incremental', 'access_control'] as const;
/** A sync job type. */
export type JobType = (typeof JOB_TYPES)[number];

/** Trigger methods, as upstream's ConnectorSyncJobTriggerMethod (stored lowercase). */
export const TRIGGER_METHODS = ['on_demand', 'scheduled'] as const;
/** A sync job trigger method. */
export type TriggerMethod = (typeof TRIGGER_METHODS)[number];

/** The seven sync statuses of upstream's ConnectorSyncStatus. */
export const SYNC_STATUSES = [
  'canceling',
  'canceled',
  'completed',
  'error',
  'in_progress',
  'pending',
  'suspended',
] as const;
/** A sync job status. */
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** Statuses in which a job still occupies its connector (spec 4, one active job policy). */
export const ACTIVE_SYNC_STATUSES: readonly SyncStatus[] = ['pending', 'in_progress', 'canceling', 'suspended'];

/** The job class of the one-active-job policy: content syncs (full, incremental) or access control. */
export type JobClass = 'content' | 'access_control';

/** The class a job type belongs to. */
export function jobClassOf(jobType: JobType): JobClass {
  return jobType === 'access_control' ? 'access_control' : 'content';
}

/** Default job type when the request names none. */
export const DEFAULT_JOB_TYPE: JobType = 'full';
/** Default trigger method when the request names none. */
export const DEFAULT_TRIGGER_METHOD: TriggerMethod = 'on_demand';
/** Status of every new job. */
export const INITIAL_STATUS: SyncStatus = 'pending';

/** Java's Character.toUpperCase / toLowerCase on one UTF-16 unit: simple case mapping only. */
function simpleUpper(c: string): string {
  const u = c.toUpperCase();
  return u.length === 1 ? u : c;
}
function simpleLower(c: string): string {
  const l = c.toLowerCase();
  return l.length === 1 ? l : c;
}

/** Java's String.equalsIgnoreCase, unit by unit (so "\u017Fcheduled" matches "scheduled" as upstream). */
export function equalsIgnoreCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const c1 = a[i] as string;
    const c2 = b[i] as string;
    if (c1 === c2) continue;
    const u1 = simpleUpper(c1);
    const u2 = simpleUpper(c2);
    if (u1 === u2 || simpleLower(u1) === simpleLower(u2)) continue;
    return false;
  }
  return true;
}

/**
 * Upstream's `fromString`: the first enum name equal to `raw` ignoring case.
 * Returns undefined for anything else (the empty string included).
 */
export function matchEnum<T extends string>(values: readonly T[], raw: string): T | undefined {
  for (const v of values) if (v === raw || equalsIgnoreCase(v, raw)) return v;
  return undefined;
}
