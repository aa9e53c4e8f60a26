import type { SyncStatus } from './enums.js';
import { InvalidTransitionError } from './errors.js';

/**
 * The sync job state machine (spec section 5; upstream's `ConnectorSyncJobStateMachine`):
 * for each status, the statuses it may move to. Terminal statuses move nowhere. The only copy in
 * the code: every command's plan derives its accepted statuses from it.
 */
export const SYNC_STATUS_TRANSITIONS: Readonly<Record<SyncStatus, readonly SyncStatus[]>> = {
  pending: ['in_progress', 'canceled'],
  in_progress: ['canceling', 'completed', 'suspended', 'error'],
  suspended: ['in_progress', 'canceled'],
  canceling: ['canceled', 'error'],
  completed: [],
  canceled: [],
  error: [],
};

/** True when the table allows `from` -> `to`. */
export function isValidTransition(from: SyncStatus, to: SyncStatus): boolean {
  return SYNC_STATUS_TRANSITIONS[from].includes(to);
}

/** Throws {@link InvalidTransitionError} unless the table allows `from` -> `to`. */
export function assertValidTransition(from: SyncStatus, to: SyncStatus): void {
  if (!isValidTransition(from, to)) throw new InvalidTransitionError(from, to);
}

const TABLE_ORDER = Object.keys(SYNC_STATUS_TRANSITIONS) as SyncStatus[];

/** The statuses among `among` (default: all, in the table's order) from which the table allows the move to `to`. */
export function allowedFrom(to: SyncStatus, among: readonly SyncStatus[] = TABLE_ORDER): SyncStatus[] {
  return among.filter((s) => isValidTransition(s, to));
}
