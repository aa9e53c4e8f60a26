import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  Instant,
  InvalidTransitionError,
  SYNC_STATUSES,
  SYNC_STATUS_TRANSITIONS,
  assertValidTransition,
  cancelSyncJob,
  changedSyncJobFields,
  checkInSyncJob,
  claimSyncJob,
  errorSyncJob,
  isValidTransition,
  mergeJsonObjects,
  newSyncJob,
  updateSyncJobStats,
  applyPlan,
  cancelSyncJobPlan,
  checkInSyncJobPlan,
  claimSyncJobPlan,
  errorSyncJobPlan,
  updateSyncJobStatsPlan,
} from '../../src/internal.js';
import type { JsonObject, JsonValue, SyncJob, SyncJobPlan, SyncStatus } from '../../src/internal.js';
import { SPEC_TRANSITIONS, connector, specOutcome, syncJob } from 'connector-sync-jobs/testing';
import type { SpecCommand } from 'connector-sync-jobs/testing';

const T0 = Instant.parse('2026-11-29T10:00:00.000001Z')!;
const NOW = Instant.parse('2026-11-29T11:00:00.123456Z')!;

function job(status: SyncStatus = 'pending'): SyncJob {
  const c = connector('c1', { serviceType: 's', language: null, configuration: { a: { value: 1 } } });
  return syncJob('j1', c, { createdAt: T0, status, startedAt: null, workerHostname: null });
}

describe('the transition table (spec section 5, upstream ConnectorSyncStatusStateMachine)', () => {
  it('is exactly the spec table', () => {
    expect(SYNC_STATUS_TRANSITIONS).toEqual(SPEC_TRANSITIONS);
  });

  it('assertValidTransition throws upstream message for each refused pair, nothing for allowed ones', () => {
    for (const from of SYNC_STATUSES) {
      for (const to of SYNC_STATUSES) {
        if (isValidTransition(from, to)) expect(() => assertValidTransition(from, to)).not.toThrow();
        else {
          const e = (() => {
            try {
              assertValidTransition(from, to);
            } catch (err) {
              return err;
            }
            return null;
          })();
          expect(e).toBeInstanceOf(InvalidTransitionError);
          expect(e).toMatchObject({
            code: 'invalid_transition',
            retryable: false,
            from,
            to,
            message: `Invalid transition attempt from [${from}] to [${to}]. Such a ConnectorSyncStatus transition is not supported by the Connector Protocol.`,
          });
        }
      }
    }
    // no self-transitions, terminal statuses move nowhere
    for (const s of SYNC_STATUSES) expect(isValidTransition(s, s)).toBe(false);
  });
});

describe('commands', () => {
  it('cancel: pending and suspended -> canceled at once; in_progress -> canceling; others refused', () => {
    for (const s of ['pending', 'suspended'] as const) {
      const r = cancelSyncJob(job(s), NOW);
      expect(r).toMatchObject({ status: 'canceled', cancelationRequestedAt: NOW, canceledAt: NOW, completedAt: NOW });
    }
    expect(cancelSyncJob(job('in_progress'), NOW)).toMatchObject({
      status: 'canceling',
      cancelationRequestedAt: NOW,
      canceledAt: null,
      completedAt: null,
    });
    for (const s of ['canceling', 'canceled', 'completed', 'error'] as const) {
      expect(() => cancelSyncJob(job(s), NOW)).toThrow(InvalidTransitionError);
    }
    expect(() => cancelSyncJob(job('canceling'), NOW)).toThrow('from [canceling] to [canceling]');
    expect(() => cancelSyncJob(job('completed'), NOW)).toThrow('from [completed] to [canceling]');
  });

  it('claim: the checked move to in_progress, worker, started_at = last_seen = now, cursor merged', () => {
    const r = claimSyncJob(job('pending'), { workerHostname: 'h' }, NOW);
    expect(r).toMatchObject({ status: 'in_progress', workerHostname: 'h', startedAt: NOW, lastSeen: NOW });
    expect(r.connector.syncCursor).toBeUndefined();
    expect(claimSyncJob(job('suspended'), { workerHostname: 'h' }, NOW).status).toBe('in_progress');
    for (const s of ['in_progress', 'canceling', 'canceled', 'completed', 'error'] as const) {
      expect(() => claimSyncJob(job(s), { workerHostname: 'h' }, NOW)).toThrow(`from [${s}] to [in_progress]`);
    }
    const withCursor = { ...job('suspended'), connector: { ...job().connector, syncCursor: { a: 1, n: { x: 1 } } } };
    const merged = claimSyncJob(withCursor, { workerHostname: 'h', syncCursor: { n: { y: 2 }, b: 2 } }, NOW);
    expect(merged.connector.syncCursor).toEqual({ a: 1, n: { x: 1, y: 2 }, b: 2 });
    expect(merged.connector.configuration).toBe(withCursor.connector.configuration);
    // a stored cursor that is not an object is replaced
    const scalar = { ...job(), connector: { ...job().connector, syncCursor: 'old' as JsonValue } };
    expect(claimSyncJob(scalar, { workerHostname: 'h', syncCursor: { c: 1 } }, NOW).connector.syncCursor).toEqual({ c: 1 });
  });

  it('error: the checked move to error with the message and the end time (completed_at = last_seen = now); nothing else changes', () => {
    for (const s of ['in_progress', 'canceling'] as const) {
      const before = job(s);
      const r = errorSyncJob(before, { error: 'boom' }, NOW);
      expect(r).toEqual({ ...before, status: 'error', error: 'boom', completedAt: NOW, lastSeen: NOW });
    }
    for (const s of ['pending', 'suspended', 'canceled', 'completed', 'error'] as const) {
      expect(() => errorSyncJob(job(s), { error: 'x' }, NOW)).toThrow(`from [${s}] to [error]`);
    }
  });

  it('check-in: last_seen = now in every status', () => {
    for (const s of SYNC_STATUSES) {
      const before = job(s);
      expect(checkInSyncJob(before, NOW)).toEqual({ ...before, lastSeen: NOW });
    }
  });

  it('stats: counters set, total only when given, last_seen given or now, metadata merged; any status', () => {
    for (const s of SYNC_STATUSES) {
      const before = { ...job(s), totalDocumentCount: 7, metadata: { keep: 1, n: { a: 1 } } };
      const r = updateSyncJobStats(before, { deletedDocumentCount: 1, indexedDocumentCount: 2, indexedDocumentVolume: 3_000_000_000 }, NOW);
      expect(r).toEqual({ ...before, deletedDocumentCount: 1, indexedDocumentCount: 2, indexedDocumentVolume: 3_000_000_000, lastSeen: NOW });
      const given = Instant.parse('2023-12-04T08:45:50.567149Z')!;
      const r2 = updateSyncJobStats(
        before,
        { deletedDocumentCount: 0, indexedDocumentCount: 0, indexedDocumentVolume: 0, totalDocumentCount: 9, lastSeen: given, metadata: { n: { b: 2 } } },
        NOW,
      );
      expect(r2).toMatchObject({ totalDocumentCount: 9, lastSeen: given, metadata: { keep: 1, n: { a: 1, b: 2 } } });
    }
  });

  it('commands never change their input', () => {
    const before = job('in_progress');
    const snapshot = JSON.stringify(before);
    cancelSyncJob(before, NOW);
    errorSyncJob(before, { error: 'e' }, NOW);
    checkInSyncJob(before, NOW);
    updateSyncJobStats(before, { deletedDocumentCount: 1, indexedDocumentCount: 1, indexedDocumentVolume: 1, metadata: { z: 1 } }, NOW);
    claimSyncJob({ ...before, status: 'pending' }, { workerHostname: 'h', syncCursor: { c: 1 } }, NOW);
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});

describe('mergeJsonObjects (Elasticsearch partial-update merge)', () => {
  it('merges objects recursively; anything else replaces; base keys kept', () => {
    expect(mergeJsonObjects({ a: 1, o: { x: 1, d: { p: 1 } }, arr: [1, 2] }, { o: { y: 2, d: { q: 2 } }, arr: [3], a: null })).toEqual({
      a: null,
      o: { x: 1, y: 2, d: { p: 1, q: 2 } },
      arr: [3],
    });
    expect(mergeJsonObjects({ o: { x: 1 } }, { o: 5 })).toEqual({ o: 5 });
    expect(mergeJsonObjects({ o: 5 }, { o: { x: 1 } })).toEqual({ o: { x: 1 } });
  });

  it('keeps __proto__ as a plain key and changes neither input', () => {
    const changes = JSON.parse('{"__proto__":{"polluted":true}}') as JsonObject;
    const base = { a: 1 };
    const out = mergeJsonObjects(base, changes);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(base).toEqual({ a: 1 });
  });

  const json: fc.Arbitrary<JsonObject> = fc.letrec((tie) => ({
    obj: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value') as fc.Arbitrary<JsonValue>, { maxKeys: 3 }),
    value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 2 }), fc.constant(null), tie('obj')),
  })).obj as fc.Arbitrary<JsonObject>;

  test.prop([json, json])('every key of changes wins (deeply); every key only in base stays', (base, changes) => {
    const out = mergeJsonObjects(base, changes);
    const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
    for (const k of Object.keys(changes)) {
      if (isObj(changes[k]) && isObj(base[k])) expect(out[k]).toEqual(mergeJsonObjects(base[k] as JsonObject, changes[k] as JsonObject));
      else expect(out[k]).toEqual(changes[k]);
    }
    for (const k of Object.keys(base)) if (!(k in changes)) expect(out[k]).toEqual(base[k]);
  });

  test.prop([json])('merging with {} or into {} is the identity', (o) => {
    expect(mergeJsonObjects(o, {})).toEqual(o);
    expect(mergeJsonObjects({}, o)).toEqual(o);
  });

  test.prop([json, json])('applying the same changes twice changes nothing more (a retried update is harmless)', (a, b) => {
    const once = mergeJsonObjects(a, b);
    expect(mergeJsonObjects(once, b)).toEqual(once);
  });
});

describe('changedSyncJobFields', () => {
  it('names what a decision changed, instants by value, the cursor as syncCursor', () => {
    const before = job('pending');
    expect(changedSyncJobFields(before, { ...before })).toEqual([]);
    expect(changedSyncJobFields(before, { ...before, lastSeen: Instant.ofEpochMicros(before.lastSeen!.epochMicros) })).toEqual([]);
    expect(changedSyncJobFields(before, claimSyncJob(before, { workerHostname: 'h', syncCursor: { a: 1 } }, NOW)).sort()).toEqual(
      ['lastSeen', 'startedAt', 'status', 'syncCursor', 'workerHostname'].sort(),
    );
    expect(changedSyncJobFields(before, cancelSyncJob(before, NOW)).sort()).toEqual(
      ['cancelationRequestedAt', 'canceledAt', 'completedAt', 'status'].sort(),
    );
  });

  it('a decision that changes a fixed field is a bug: TypeError', () => {
    const before = job('pending');
    expect(() => changedSyncJobFields(before, { ...before, jobType: 'incremental' })).toThrow(TypeError);
    expect(() => changedSyncJobFields(before, { ...before, createdAt: NOW })).toThrow(TypeError);
    expect(() => changedSyncJobFields(before, { ...before, connector: { ...before.connector, indexName: 'x' } })).toThrow(
      '[connector.indexName]',
    );
  });
});

describe('plans, the one encoding of each command (what memory and Elasticsearch apply and PostgreSQL compiles)', () => {
  const plans: [string, SpecCommand, SyncJobPlan][] = [
    ['cancel', 'cancel', cancelSyncJobPlan(NOW)],
    ['check-in', 'check-in', checkInSyncJobPlan(NOW)],
    ['claim', 'claim', claimSyncJobPlan({ workerHostname: 'w' }, NOW)],
    ['claim with cursor', 'claim', claimSyncJobPlan({ workerHostname: 'w', syncCursor: { a: { b: 1 } } }, NOW)],
    ['error', 'error', errorSyncJobPlan({ error: 'boom' }, NOW)],
    ['stats', 'stats', updateSyncJobStatsPlan({ deletedDocumentCount: 1, indexedDocumentCount: 2, indexedDocumentVolume: 3 }, NOW)],
    [
      'stats with total, last seen and metadata',
      'stats',
      updateSyncJobStatsPlan(
        { deletedDocumentCount: 1, indexedDocumentCount: 2, indexedDocumentVolume: 3, totalDocumentCount: 4, lastSeen: T0, metadata: { m: { x: [1] } } },
        NOW,
      ),
    ],
  ];
  for (const [name, command, plan] of plans) {
    it(`${name}: from each status, the spec's outcome or upstream's refusal; cases disjoint`, () => {
      for (const status of SYNC_STATUSES) {
        const stored: SyncJob = { ...job(status), metadata: { m: { y: 2 } }, connector: { ...job(status).connector, syncCursor: { a: { c: 3 } } } };
        const want = specOutcome(command, status);
        if (want === null) {
          expect(() => applyPlan(stored, plan)).toThrow(InvalidTransitionError);
          expect(() => applyPlan(stored, plan)).toThrow(new RegExp(`^Invalid transition attempt from \\[${status}\\] to \\[`));
        } else {
          const { job: after, result } = applyPlan(stored, plan);
          expect(result).toBe('updated');
          expect(after.status).toBe(want);
          expect(changedSyncJobFields(stored, after).length).toBeGreaterThan(0);
        }
      }
      const from = plan.cases.flatMap((c) => c.from);
      expect(new Set(from).size).toBe(from.length); // cases are disjoint
    });
  }
});
