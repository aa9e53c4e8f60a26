/**
 * The tests' one independent oracle for the lifecycle: spec section 5's transition table and
 * what each command does from each status, written out here from the spec on purpose (never
 * imported from the domain), so that a change to the domain's table or plans fails the contract
 * suite, the model test and the domain's tests alike.
 */
import type { SyncStatus } from '../index.js';

/** Spec section 5's table. */
export const SPEC_TRANSITIONS: Readonly<Record<SyncStatus, readonly SyncStatus[]>> = {
  pending: ['in_progress', 'canceled'],
  in_progress: ['canceling', 'completed', 'suspended', 'error'],
  suspended: ['in_progress', 'canceled'],
  canceling: ['canceled', 'error'],
  completed: [],
  canceled: [],
  error: [],
};

/** True when spec section 5 allows `from` -> `to`. */
export function specAllows(from: SyncStatus, to: SyncStatus): boolean {
  return SPEC_TRANSITIONS[from].includes(to);
}

/** The lifecycle calls of spec sections 5 and 8. */
export type SpecCommand = 'cancel' | 'claim' | 'error' | 'check-in' | 'stats' | 'complete' | 'suspend';

/**
 * The status a job in `from` has after `command` (spec sections 5 and 8), or null when the call
 * is refused as an invalid transition: cancel ends a pending or suspended job at once and moves
 * any other to canceling; claim and error are checked moves; check-in and stats keep the status;
 * complete and suspend move in_progress to their status and canceling to canceled, and leave a
 * job already in their status or canceled as it is ({@link specNoop}).
 */
export function specOutcome(command: SpecCommand, from: SyncStatus): SyncStatus | null {
  const move = (to: SyncStatus): SyncStatus | null => (specAllows(from, to) ? to : null);
  switch (command) {
    case 'cancel':
      return from === 'pending' || from === 'suspended' ? move('canceled') : move('canceling');
    case 'claim':
      return move('in_progress');
    case 'error':
      return move('error');
    case 'check-in':
    case 'stats':
      return from;
    case 'complete':
    case 'suspend': {
      const to: SyncStatus = command === 'complete' ? 'completed' : 'suspended';
      if (specNoop(command, from)) return from;
      return from === 'canceling' ? move('canceled') : from === 'in_progress' ? move(to) : null;
    }
  }
}

/** True when `command` on a job in `from` changes nothing and answers `noop` (a repeated end, spec section 8). */
export function specNoop(command: SpecCommand, from: SyncStatus): boolean {
  if (command === 'complete') return from === 'completed' || from === 'canceled';
  if (command === 'suspend') return from === 'suspended' || from === 'canceled';
  return false;
}
