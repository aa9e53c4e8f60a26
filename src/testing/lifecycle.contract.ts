/**
 * The lifecycle part of the store contract (spec sections 4 and 5): `apply(id, plan)` with the
 * domain's plans, every transition allowed and refused, `list`, `delete` and what it frees,
 * and the races of spec section 4 (concurrent claims, a cancel racing a claim, stats racing
 * check-ins). Run by `describeStoreContract` for every adapter.
 */
import { describe, expect, it } from 'vitest';
import {
  CancelSyncJob,
  CheckInSyncJob,
  ClaimSyncJob,
  ConflictError,
  ErrorSyncJob,
  Instant,
  InvalidTransitionError,
  SYNC_STATUSES,
  SyncJobNotFoundError,
  UpdateSyncJobStats,
  cancelSyncJobPlan,
  checkInSyncJobPlan,
  claimSyncJobPlan,
  errorSyncJobPlan,
  transitionPlan,
  updateSyncJobStatsPlan,
} from '../internal.js';
import type { Clock, ConnectorRecord, JobType, JsonObject, SyncJob, SyncJobPlan, SyncStatus } from '../internal.js';
import type { StoreHarness } from './harness.js';
import { specAllows, specOutcome } from './oracle.js';
import { appliedJob, connector, steppingClock, syncJob, rejection } from './fixtures.js';
import type { SpecCommand } from './oracle.js';

const T0 = Instant.parse('2026-11-29T10:11:12.345678Z')!;

function record(id: string): ConnectorRecord {
  return connector(id, { configuration: { k: { value: 'v' } } });
}

function jobAt(id: string, c: ConnectorRecord, at: Instant, jobType: JobType = 'full', status: SyncStatus = 'pending'): SyncJob {
  return syncJob(id, c, { createdAt: at, jobType, status });
}

/** `jobAt` with stored metadata and a sync cursor in its snapshot. */
function jobWith(id: string, c: ConnectorRecord, status: SyncStatus, metadata: JsonObject, syncCursor: JsonObject): SyncJob {
  return syncJob(id, c, { createdAt: T0, status, metadata, syncCursor });
}

const applied = (h: StoreHarness, id: string, plan: SyncJobPlan): Promise<SyncJob | null> => appliedJob(h.jobs, id, plan);

/** Keeps only what the caller may compare across stores. */
function view(j: SyncJob | null): unknown {
  return j && JSON.parse(JSON.stringify(j));
}

/**
 * Registers the lifecycle contract (`describe('lifecycle: apply, list, delete')`): atomic
 * `apply` of the domain's plans and their races (one winner of concurrent claims, stats racing check-ins
 * lose nothing, cancel or error racing a claim ends in a state the transition table allows),
 * list order (newest `createdAt` first, ties by id), filters and paging, and `delete` freeing
 * the idempotency key and the one-active-job lock. {@link describeStoreContract} runs it; call
 * it yourself only inside your own `describe` with stores made in a `beforeEach`.
 *
 * @param getHarness - returns the current test's harness (read at test time, not when registering)
 */
export function describeLifecycleContract(getHarness: () => StoreHarness): void {
  describe('lifecycle: apply, list, delete', () => {
    const c1 = record('c1');
    const c2 = record('c2');
    const setup = async (): Promise<StoreHarness> => {
      const h = getHarness();
      await h.connectors.upsert(c1);
      await h.connectors.upsert(c2);
      return h;
    };

    describe('every transition of the table, allowed and refused, through apply', () => {
      for (const from of SYNC_STATUSES) {
        it(`from ${from}`, async () => {
          const h = await setup();
          for (const to of SYNC_STATUSES) {
            const id = `t-${from}-${to}`;
            await h.jobs.insert(jobAt(id, c1, T0, 'full', from));
            const allowed = specAllows(from, to);
            const run = applied(h, id, transitionPlan(to));
            if (allowed) {
              expect((await run)!.status).toBe(to);
              expect((await h.jobs.get(id))!.status).toBe(to);
            } else {
              const e = await rejection(run);
              expect(e).toBeInstanceOf(InvalidTransitionError);
              expect((e as Error).message).toBe(
                `Invalid transition attempt from [${from}] to [${to}]. Such a ConnectorSyncStatus transition is not supported by the Connector Protocol.`,
              );
              expect((await h.jobs.get(id))!.status).toBe(from);
            }
          }
        });
      }
    });

    describe('every command from every status', () => {
      const clock = steppingClock();
      const commands: [SpecCommand, () => SyncJobPlan][] = [
        ['cancel', () => cancelSyncJobPlan(clock.now())],
        ['claim', () => claimSyncJobPlan({ workerHostname: 'w' }, clock.now())],
        ['error', () => errorSyncJobPlan({ error: 'boom' }, clock.now())],
        ['check-in', () => checkInSyncJobPlan(clock.now())],
        ['stats', () => updateSyncJobStatsPlan({ deletedDocumentCount: 1, indexedDocumentCount: 2, indexedDocumentVolume: 3 }, clock.now())],
      ];
      for (const [name, plan] of commands) {
        it(name, async () => {
          const h = await setup();
          for (const from of SYNC_STATUSES) {
            const id = `c-${name}-${from}`;
            await h.jobs.insert(jobAt(id, c1, T0, 'full', from));
            const before = await h.jobs.get(id);
            const want = specOutcome(name, from);
            if (want === null) {
              expect(await rejection(h.jobs.apply(id, plan()))).toBeInstanceOf(InvalidTransitionError);
              expect(await h.jobs.get(id)).toEqual(before);
            } else {
              const after = await h.jobs.apply(id, plan());
              expect(after!.result).toBe('updated');
              expect(after!.job.status).toBe(want);
              expect(await h.jobs.get(id)).toEqual(after!.job);
            }
          }
        });
      }
    });

    it('apply on a missing job is null and creates nothing', async () => {
      const h = await setup();
      expect(await h.jobs.apply('missing', checkInSyncJobPlan(T0))).toBeNull();
      expect(await h.jobs.get('missing')).toBeNull();
    });

    it('a refused plan propagates its InvalidTransitionError and nothing is written', async () => {
      const h = await setup();
      await h.jobs.insert(jobAt('x', c1, T0, 'full', 'completed'));
      const before = await h.jobs.get('x');
      const e = await rejection(h.jobs.apply('x', claimSyncJobPlan({ workerHostname: 'w', syncCursor: { a: 1 } }, T0)));
      expect(e).toBeInstanceOf(InvalidTransitionError);
      expect((e as InvalidTransitionError).from).toBe('completed');
      expect(await h.jobs.get('x')).toEqual(before);
    });

    it('a plan that leaves the job alone answers noop and writes nothing', async () => {
      const h = await setup();
      await h.jobs.insert({ ...jobAt('keep', c1, T0, 'full', 'in_progress'), lastSeen: T0 });
      const before = await h.jobs.get('keep');
      // the sweeper's idle plan re-checks last_seen: a job seen after the cut-off is kept
      const kept = await h.jobs.apply('keep', { ...errorSyncJobPlan({ error: 'idle' }, T0), lastSeenAtOrBefore: T0.plusMicros(-1) });
      expect(kept).toEqual({ job: before, result: 'noop' });
      expect(await h.jobs.get('keep')).toEqual(before);
      const done = await h.jobs.apply('keep', { ...errorSyncJobPlan({ error: 'idle' }, T0), lastSeenAtOrBefore: T0 });
      expect(done!.result).toBe('updated');
      expect(done!.job).toMatchObject({ status: 'error', error: 'idle' });
    });

    it('claim, stats, check-in, cancel and error write exactly what the commands decide', async () => {
      const h = await setup();
      const clock = steppingClock();
      await h.jobs.insert(jobAt('life', c1, T0));
      const claimed = await applied(h, 'life', claimSyncJobPlan({ workerHostname: 'host-1', syncCursor: { a: { b: 1 }, keep: true } }, clock.now()));
      expect(claimed).toMatchObject({ status: 'in_progress', workerHostname: 'host-1' });
      expect(claimed!.startedAt).toEqual(claimed!.lastSeen);
      expect(claimed!.connector.syncCursor).toEqual({ a: { b: 1 }, keep: true });
      // the rest of the snapshot is kept
      expect(claimed!.connector.configuration).toEqual({ k: { value: 'v' } });
      expect(claimed!.connector.indexName).toBe('search-c1');

      const lastSeen = Instant.parse('2023-12-04T08:45:50.567149Z')!;
      const stats = await applied(
        h,
        'life',
        updateSyncJobStatsPlan(
          {
            deletedDocumentCount: 3_000_000_000,
            indexedDocumentCount: 3_000_000_001,
            indexedDocumentVolume: 3_000_000_002,
            totalDocumentCount: 3_000_000_003,
            lastSeen,
            metadata: { m: { x: 1 } },
          },
          clock.now(),
        ),
      );
      const stats2 = await applied(
        h,
        'life',
        updateSyncJobStatsPlan({ deletedDocumentCount: 0, indexedDocumentCount: 0, indexedDocumentVolume: 0, lastSeen, metadata: { m: { y: 2 } } }, clock.now()),
      );
      expect(stats!.deletedDocumentCount).toBe(3_000_000_000);
      const read = await h.jobs.get('life');
      expect(read).toEqual(stats2);
      expect(read!.totalDocumentCount).toBe(3_000_000_003); // kept: the second call gave none
      expect(read!.metadata).toEqual({ m: { x: 1, y: 2 } }); // merged recursively
      expect(read!.lastSeen!.toString()).toBe('2023-12-04T08:45:50.567149Z');
      expect(read!.lastSeen!.epochMicros).toBe(lastSeen.epochMicros);

      await h.jobs.apply('life', updateSyncJobStatsPlan({ deletedDocumentCount: 3_000_000_000, indexedDocumentCount: 1, indexedDocumentVolume: 2 }, clock.now()));
      expect((await h.jobs.get('life'))!.deletedDocumentCount).toBe(3_000_000_000);

      const checked = await applied(h, 'life', checkInSyncJobPlan(clock.now()));
      expect(checked!.lastSeen!.compareTo(lastSeen)).toBeGreaterThan(0);
      const canceling = await applied(h, 'life', cancelSyncJobPlan(clock.now()));
      expect(canceling).toMatchObject({ status: 'canceling', canceledAt: null, completedAt: null });
      expect(canceling!.cancelationRequestedAt).not.toBeNull();
      const failed = await applied(h, 'life', errorSyncJobPlan({ error: 'boom' }, clock.now()));
      expect(failed).toMatchObject({ status: 'error', error: 'boom', workerHostname: 'host-1' });
      expect(await h.jobs.get('life')).toEqual(failed);
      // check-in and stats do no status check
      expect((await applied(h, 'life', checkInSyncJobPlan(clock.now())))!.status).toBe('error');
    });

    it('a second claim merges its cursor into the stored one (as Elasticsearch merges objects)', async () => {
      const h = await setup();
      const clock = steppingClock();
      await h.jobs.insert(jobWith('cur', c1, 'suspended', {}, { a: 1, n: { x: 1 } }));
      const r = await applied(h, 'cur', claimSyncJobPlan({ workerHostname: 'w', syncCursor: { n: { y: 2 } } }, clock.now()));
      expect(r!.connector.syncCursor).toEqual({ a: 1, n: { x: 1, y: 2 } });
      expect((await h.jobs.get('cur'))!.connector.syncCursor).toEqual({ a: 1, n: { x: 1, y: 2 } });
    });

    it('a pending job canceled at once: cancelation requested, canceled and completed at one instant', async () => {
      const h = await setup();
      await h.jobs.insert(jobAt('p', c1, T0));
      const at = Instant.parse('2026-11-29T11:00:00.000001Z')!;
      const r = await applied(h, 'p', cancelSyncJobPlan(at));
      const read = await h.jobs.get('p');
      expect(read).toEqual(r);
      expect(read).toMatchObject({ status: 'canceled' });
      for (const f of ['cancelationRequestedAt', 'canceledAt', 'completedAt'] as const) expect(read![f]!.epochMicros).toBe(at.epochMicros);
    });

    it('apply hands out a job that shares nothing mutable with the store', async () => {
      const h = await setup();
      const clock = steppingClock();
      await h.jobs.insert(jobAt('iso', c1, T0));
      const out = await applied(
        h,
        'iso',
        updateSyncJobStatsPlan({ deletedDocumentCount: 1, indexedDocumentCount: 1, indexedDocumentVolume: 1, metadata: { a: { b: 1 } } }, clock.now()),
      );
      const before = view(await h.jobs.get('iso'));
      const tryMutate = (change: () => void): void => {
        try {
          change();
        } catch (e) {
          if (!(e instanceof TypeError)) throw e;
        }
      };
      tryMutate(() => ((out!.metadata.a as { b: number }).b = 2));
      tryMutate(() => (out!.metadata.z = 1));
      tryMutate(() => (out!.connector.configuration!.k = 'changed'));
      tryMutate(() => (out!.status = 'error'));
      expect(view(await h.jobs.get('iso'))).toEqual(before);
      // and a plan's merge values are not kept by reference either
      const changes = { a: { c: 1 } };
      const merged = await applied(h, 'iso', updateSyncJobStatsPlan({ deletedDocumentCount: 1, indexedDocumentCount: 1, indexedDocumentVolume: 1, metadata: changes }, clock.now()));
      const after = view(await h.jobs.get('iso'));
      changes.a.c = 2;
      tryMutate(() => ((merged!.metadata.a as { c: number }).c = 3));
      expect(view(await h.jobs.get('iso'))).toEqual(after);
      expect((after as { metadata: unknown }).metadata).toEqual({ a: { b: 1, c: 1 } });
    });

    describe('list', () => {
      const listSetup = async (): Promise<{ h: StoreHarness; ids: string[] }> => {
        const h = await setup();
        const ids: string[] = [];
        // created in this order, one microsecond apart; ids not in time order
        const plan: [string, ConnectorRecord, JobType, SyncStatus][] = [
          ['j-e', c1, 'full', 'pending'],
          ['j-a', c1, 'incremental', 'in_progress'],
          ['j-d', c2, 'access_control', 'pending'],
          ['j-b', c1, 'access_control', 'canceled'],
          ['j-c', c2, 'full', 'error'],
        ];
        for (const [i, [id, c, type, status]] of plan.entries()) {
          await h.jobs.insert(jobAt(id, c, T0.plusMicros(i), type, status));
          ids.push(id);
        }
        return { h, ids: ids.reverse() }; // newest first
      };
      const ids = (r: { results: SyncJob[] }): string[] => r.results.map((j) => j.id);

      it('newest created_at first; count counts every match; from and size page', async () => {
        const { h, ids: newest } = await listSetup();
        const all = await h.jobs.list({ from: 0, size: 100 });
        expect(all.count).toBe(5);
        expect(ids(all)).toEqual(newest);
        expect(all.results[0]).toEqual(await h.jobs.get(newest[0]!));
        const page = await h.jobs.list({ from: 1, size: 2 });
        expect(page.count).toBe(5);
        expect(ids(page)).toEqual(newest.slice(1, 3));
        expect(await h.jobs.list({ from: 5, size: 10 })).toEqual({ count: 5, results: [] });
        expect(await h.jobs.list({ from: 0, size: 0 })).toEqual({ count: 5, results: [] });
      });

      it('filters: connector, status, job types, combined', async () => {
        const { h } = await listSetup();
        expect(ids(await h.jobs.list({ from: 0, size: 100, connectorId: 'c1' }))).toEqual(['j-b', 'j-a', 'j-e']);
        expect(ids(await h.jobs.list({ from: 0, size: 100, status: 'pending' }))).toEqual(['j-d', 'j-e']);
        expect(ids(await h.jobs.list({ from: 0, size: 100, jobTypes: ['full', 'access_control'] }))).toEqual(['j-c', 'j-b', 'j-d', 'j-e']);
        expect(ids(await h.jobs.list({ from: 0, size: 100, jobTypes: [] }))).toHaveLength(5);
        const combined = await h.jobs.list({ from: 0, size: 100, connectorId: 'c2', status: 'pending', jobTypes: ['access_control'] });
        expect(combined).toMatchObject({ count: 1 });
        expect(ids(combined)).toEqual(['j-d']);
        expect(await h.jobs.list({ from: 0, size: 100, connectorId: 'nope' })).toEqual({ count: 0, results: [] });
      });

      it('ties on created_at are ordered by id', async () => {
        const h = await setup();
        for (const id of ['t-b', 't-c', 't-a']) await h.jobs.insert(jobAt(id, c1, T0));
        expect(ids(await h.jobs.list({ from: 0, size: 10 }))).toEqual(['t-a', 't-b', 't-c']);
      });

      it('an empty store lists nothing', async () => {
        const h = getHarness();
        expect(await h.jobs.list({ from: 0, size: 100 })).toEqual({ count: 0, results: [] });
      });
    });

    describe('delete', () => {
      it('removes the job from get and list; a missing job is false', async () => {
        const h = await setup();
        await h.jobs.insert(jobAt('d1', c1, T0));
        await h.jobs.insert(jobAt('d2', c1, T0.plusMicros(1)));
        expect(await h.jobs.delete('d1')).toBe(true);
        expect(await h.jobs.get('d1')).toBeNull();
        expect((await h.jobs.list({ from: 0, size: 10 })).results.map((j) => j.id)).toEqual(['d2']);
        expect(await h.jobs.delete('d1')).toBe(false);
        expect(await h.jobs.delete('never')).toBe(false);
        expect(await h.jobs.apply('d1', checkInSyncJobPlan(T0))).toBeNull();
        expect(await h.countJobs()).toBe(1);
      });

      it('frees the idempotency key: its next use makes a new job', async () => {
        const h = await setup();
        const claim = { key: 'k-del', fingerprint: 'f' };
        await h.jobs.insert(jobAt('first', c1, T0), { idempotency: claim });
        expect(await h.jobs.delete('first')).toBe(true);
        expect(await h.jobs.findIdempotencyKey('k-del')).toBeNull();
        const again = await h.jobs.insert(jobAt('second', c1, T0.plusMicros(1)), { idempotency: claim });
        expect(again.created).toBe(true);
        expect(again.job.id).toBe('second');
        expect(await h.jobs.findIdempotencyKey('k-del')).toEqual({ fingerprint: 'f', jobId: 'second' });
        // and it is bound again: another request with it is a conflict
        const e = await rejection(h.jobs.insert(jobAt('third', c1, T0), { idempotency: { key: 'k-del', fingerprint: 'g' } }));
        expect((e as ConflictError).kind).toBe('idempotency_mismatch');
      });

      it('frees the active-job lock: a new job of the class is allowed at once', async () => {
        const h = await setup();
        await h.jobs.insert(jobAt('active', c1, T0), { oneActivePerClass: true });
        const blocked = await rejection(h.jobs.insert(jobAt('blocked', c1, T0), { oneActivePerClass: true }));
        expect((blocked as ConflictError).kind).toBe('active_job_exists');
        expect(await h.jobs.delete('active')).toBe(true);
        expect((await h.jobs.insert(jobAt('next', c1, T0.plusMicros(1)), { oneActivePerClass: true })).created).toBe(true);
      });

      it('a job that left the active statuses no longer blocks the class', async () => {
        const h = await setup();
        const clock = steppingClock();
        await h.jobs.insert(jobAt('was-active', c1, T0), { oneActivePerClass: true });
        await h.jobs.apply('was-active', cancelSyncJobPlan(clock.now()));
        expect((await h.jobs.insert(jobAt('now', c1, T0.plusMicros(1)), { oneActivePerClass: true })).created).toBe(true);
      });
    });

    describe('every command from every status, through the use cases', () => {
      const calls: [SpecCommand, (h: StoreHarness, id: string) => Promise<SyncJob>][] = [
        ['cancel', (h, id) => new CancelSyncJob(h.jobs, steppingClock()).execute(id)],
        ['claim', (h, id) => new ClaimSyncJob(h.jobs, steppingClock()).execute(id, { worker_hostname: 'w', sync_cursor: { p: { q: 1 } } })],
        ['error', (h, id) => new ErrorSyncJob(h.jobs, steppingClock()).execute(id, { error: 'boom' })],
        ['check-in', (h, id) => new CheckInSyncJob(h.jobs, steppingClock()).execute(id)],
        [
          'stats',
          (h, id) =>
            new UpdateSyncJobStats(h.jobs, steppingClock()).execute(id, {
              deleted_document_count: 1,
              indexed_document_count: 2,
              indexed_document_volume: 3,
              metadata: { m: { y: [1, null] } },
            }),
        ],
      ];
      for (const [name, call] of calls) {
        it(name, async () => {
          const h = await setup();
          for (const from of SYNC_STATUSES) {
            const id = `u-${name}-${from}`;
            await h.jobs.insert(jobWith(id, c1, from, { m: { x: 1 } }, { p: { r: 2 } }));
            const before = (await h.jobs.get(id))!;
            const want = specOutcome(name, from);
            if (want === null) {
              const e = await rejection(call(h, id));
              expect(e).toBeInstanceOf(InvalidTransitionError);
              expect((e as Error).message).toMatch(new RegExp(`^Invalid transition attempt from \\[${from}\\] to \\[`));
              expect(await h.jobs.get(id)).toEqual(before);
            } else {
              const after = await call(h, id);
              expect(after.status).toBe(want);
              expect(await h.jobs.get(id)).toEqual(after);
              if (name === 'stats') expect(after.metadata).toEqual({ m: { x: 1, y: [1, null] } });
              if (name === 'claim') expect(after.connector.syncCursor).toEqual({ p: { r: 2, q: 1 } });
            }
          }
          await expect(call(h, 'missing')).rejects.toBeInstanceOf(SyncJobNotFoundError);
        });
      }
    });

    describe('races (spec section 4)', () => {
      it('ten concurrent claims of one pending job: exactly one winner, nine invalid transitions', async () => {
        const h = await setup();
        await h.jobs.insert(jobAt('race', c1, T0));
        const claim = new ClaimSyncJob(h.jobs, steppingClock());
        const settled = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => claim.execute('race', { worker_hostname: `worker-${i}` })),
        );
        const won = settled.filter((s): s is PromiseFulfilledResult<SyncJob> => s.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const s of settled) {
          if (s.status === 'rejected') {
            expect(s.reason).toBeInstanceOf(InvalidTransitionError);
            expect((s.reason as InvalidTransitionError).from).toBe('in_progress');
          }
        }
        const stored = await h.jobs.get('race');
        expect(stored!.status).toBe('in_progress');
        expect(stored!.workerHostname).toBe(won[0]!.value.workerHostname);
      });

      it('a cancel racing a claim ends in a state the table allows, matching who won', async () => {
        for (let round = 0; round < 4; round++) {
          const h = await setup();
          const id = `cc-${round}`;
          await h.jobs.insert(jobAt(id, c1, T0));
          const clock = steppingClock();
          const claim = new ClaimSyncJob(h.jobs, clock).execute(id, { worker_hostname: 'w' });
          const cancel = new CancelSyncJob(h.jobs, clock).execute(id);
          const [cl, ca] = await Promise.allSettled(round % 2 === 0 ? [claim, cancel] : [claim, cancel].reverse());
          const claimResult = round % 2 === 0 ? cl : ca;
          const cancelResult = round % 2 === 0 ? ca : cl;
          const stored = await h.jobs.get(id);
          expect(cancelResult!.status).toBe('fulfilled');
          if (claimResult!.status === 'fulfilled') {
            // claim first, then cancel: in_progress -> canceling
            expect(stored!.status).toBe('canceling');
            expect(stored!.workerHostname).toBe('w');
          } else {
            // cancel first: pending -> canceled, the claim refused
            expect(claimResult!.reason).toBeInstanceOf(InvalidTransitionError);
            expect(stored!.status).toBe('canceled');
            expect(stored!.workerHostname).toBeNull();
          }
        }
      });

      it('stats racing check-ins lose nothing; twenty concurrent check-ins all succeed', async () => {
        const h = await setup();
        await h.jobs.insert(jobAt('busy', c1, T0, 'full', 'in_progress'));
        const clock = steppingClock();
        const stats = new UpdateSyncJobStats(h.jobs, clock);
        const checkIn = new CheckInSyncJob(h.jobs, clock);
        const calls: Promise<SyncJob>[] = [];
        for (let i = 0; i < 10; i++) {
          calls.push(
            stats.execute('busy', {
              deleted_document_count: 0,
              indexed_document_count: 0,
              indexed_document_volume: 0,
              metadata: { [`k${i}`]: i, nested: { [`n${i}`]: i } },
            }),
          );
          calls.push(checkIn.execute('busy'));
        }
        const settled = await Promise.allSettled(calls);
        expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
        const stored = await h.jobs.get('busy');
        for (let i = 0; i < 10; i++) {
          expect(stored!.metadata[`k${i}`]).toBe(i);
          expect((stored!.metadata.nested as Record<string, number>)[`n${i}`]).toBe(i);
        }
        const checkIns = await Promise.allSettled(Array.from({ length: 20 }, () => checkIn.execute('busy')));
        expect(checkIns.filter((s) => s.status === 'fulfilled')).toHaveLength(20);
        expect(stored!.status).toBe('in_progress');
      });

      it('error and cancel racing on a running job: the table allows the end state', async () => {
        const h = await setup();
        await h.jobs.insert(jobAt('ec', c1, T0, 'full', 'in_progress'));
        const clock = steppingClock();
        const settled = await Promise.allSettled([
          new ErrorSyncJob(h.jobs, clock).execute('ec', { error: 'boom' }),
          new CancelSyncJob(h.jobs, clock).execute('ec'),
        ]);
        const stored = await h.jobs.get('ec');
        // error first: the cancel is refused (error -> canceling); cancel first: canceling -> error is allowed
        if (settled[1].status === 'fulfilled') expect(stored!.status).toBe('error');
        else expect(settled[1].reason).toBeInstanceOf(InvalidTransitionError);
        expect(settled[0].status).toBe('fulfilled');
        expect(stored).toMatchObject({ status: 'error', error: 'boom' });
      });
    });
  });
}
