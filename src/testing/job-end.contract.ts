/**
 * The job's end and the connector's sync info (spec section 8), part of the store contract every
 * adapter runs: every end from every status against the oracle, a cancelation that wins, repeated
 * ends answering `noop`, concurrent ends, the fence, and what the connector records at a claim, at
 * each kind of end and at the deletion of a running job.
 */
import { describe, expect, it } from 'vitest';
import {
  ClaimSyncJob,
  CancelSyncJob,
  CheckInSyncJob,
  CompleteSyncJob,
  ConflictError,
  DeleteSyncJob,
  ErrorSyncJob,
  Instant,
  InvalidTransitionError,
  SYNC_STATUSES,
  SuspendSyncJob,
  UpdateSyncJobStats,
} from '../index.js';
import { sweepOrphanedSyncJobPlan } from '../internal.js';
import type { Clock, ConnectorRecord, JobType, SyncJob, SyncJobUpdate, SyncStatus } from '../index.js';
import type { StoreHarness } from './harness.js';
import { connector, steppingClock, syncInfoView, syncJob, rejection } from './fixtures.js';
import { specNoop, specOutcome } from './oracle.js';

const T0 = Instant.parse('2026-11-29T10:11:12.345678Z')!;
/** The `started_at` of a seeded claimed job. */
const STARTED = T0.plusMicros(-60_000_000);

/** A seeded job: claimed at {@link STARTED} unless pending. */
function seeded(id: string, c: ConnectorRecord, status: SyncStatus, jobType: JobType = 'full'): SyncJob {
  return syncJob(id, c, { createdAt: T0.plusMicros(-120_000_000), status, jobType, startedAt: status === 'pending' ? null : STARTED });
}

/** The connector's sync info as read back, `last_synced` included. */
const syncInfo = (c: ConnectorRecord | null): Record<string, unknown> => syncInfoView(c, true);

/**
 * Registers the job's-end contract. {@link describeStoreContract} runs it; the connector's sync
 * info is checked when the harness's job store writes it (`writesSyncInfo`, default true).
 *
 * @param getHarness - returns the current test's harness (read at test time)
 */
export function describeJobEndContract(getHarness: () => StoreHarness): void {
  describe("a job's end and the connector's sync info (spec section 8)", () => {
    const setup = async (): Promise<{ h: StoreHarness; c: ConnectorRecord; clock: Clock }> => {
      const h = getHarness();
      const c = connector('end-c1', { status: 'configured' });
      await h.connectors.upsert(c);
      return { h, c, clock: steppingClock(T0) };
    };
    const ends: ['complete' | 'suspend' | 'error', (h: StoreHarness, clock: Clock, id: string) => Promise<SyncJobUpdate | SyncJob>][] = [
      ['complete', (h, clock, id) => new CompleteSyncJob(h.jobs, clock).execute(id, undefined)],
      ['suspend', (h, clock, id) => new SuspendSyncJob(h.jobs, clock).execute(id, undefined)],
      ['error', (h, clock, id) => new ErrorSyncJob(h.jobs, clock).execute(id, { error: 'boom' })],
    ];

    for (const [name, end] of ends) {
      it(`${name} from every status: the spec's outcome, its end time, or the refusal`, async () => {
        const { h, c, clock } = await setup();
        for (const from of SYNC_STATUSES) {
          const id = `end-${name}-${from}`;
          await h.jobs.insert(seeded(id, c, from));
          const before = (await h.jobs.get(id))!;
          const want = specOutcome(name, from);
          if (want === null) {
            const e = await rejection(end(h, clock, id));
            expect(e).toBeInstanceOf(InvalidTransitionError);
            expect(await h.jobs.get(id)).toEqual(before);
            continue;
          }
          const out = await end(h, clock, id);
          const job = 'result' in out ? out.job : out;
          if (specNoop(name, from)) {
            expect(out).toMatchObject({ result: 'noop' });
            expect(await h.jobs.get(id)).toEqual(before);
            continue;
          }
          if ('result' in out) expect(out.result).toBe('updated');
          expect(job.status).toBe(want);
          expect(await h.jobs.get(id)).toEqual(job);
          const at = job.lastSeen!;
          expect(at.compareTo(before.lastSeen!)).toBeGreaterThan(0);
          if (want === 'error') expect(job).toMatchObject({ error: 'boom', completedAt: at });
          else expect(job.error).toBeNull();
          if (want === 'completed') expect(job.completedAt).toEqual(at);
          if (want === 'suspended') expect(job.completedAt).toBeNull();
          if (want === 'canceled') expect(job).toMatchObject({ canceledAt: at, completedAt: at });
        }
      });
    }

    it('a cancelation requested meanwhile wins: complete and suspend of a canceling job end it canceled', async () => {
      const { h, c, clock } = await setup();
      for (const [id, end] of [
        ['win-complete', (i: string) => new CompleteSyncJob(h.jobs, clock).execute(i, { indexed_document_count: 7 })],
        ['win-suspend', (i: string) => new SuspendSyncJob(h.jobs, clock).execute(i, undefined)],
      ] as const) {
        await h.jobs.insert(seeded(id, c, 'in_progress'));
        await new CancelSyncJob(h.jobs, clock).execute(id);
        const out = await end(id);
        expect(out).toMatchObject({ result: 'updated', job: { status: 'canceled' } });
        // a repeat of the end: noop, the job as it is
        expect(await end(id)).toMatchObject({ result: 'noop', job: { status: 'canceled' } });
      }
      expect((await h.jobs.get('win-complete'))!.indexedDocumentCount).toBe(7);
    });

    it("the body's final counters, metadata (merged) and cursor (replacing the claim's) are stored", async () => {
      const { h, c, clock } = await setup();
      const job = seeded('body', c, 'in_progress');
      await h.jobs.insert({ ...job, metadata: { keep: 1, m: { a: 1 } }, connector: { ...job.connector, syncCursor: { claim: 1 } } });
      const out = await new CompleteSyncJob(h.jobs, clock).execute('body', {
        deleted_document_count: 1,
        indexed_document_count: 3_000_000_000,
        indexed_document_volume: 5,
        metadata: { m: { b: 2 } },
        sync_cursor: { end: 2 },
      });
      expect(out.job).toMatchObject({ status: 'completed', deletedDocumentCount: 1, indexedDocumentCount: 3_000_000_000, indexedDocumentVolume: 5 });
      expect(out.job.metadata).toEqual({ keep: 1, m: { a: 1, b: 2 } });
      expect(out.job.connector.syncCursor).toEqual({ end: 2 });
      expect(await h.jobs.get('body')).toEqual(out.job);
    });

    it('ten concurrent ends of one job: exactly one updated, the rest noop', async () => {
      const { h, c, clock } = await setup();
      await h.jobs.insert(seeded('race-end', c, 'in_progress'));
      const complete = new CompleteSyncJob(h.jobs, clock);
      const outs = await Promise.all(Array.from({ length: 10 }, () => complete.execute('race-end', undefined)));
      expect(outs.filter((o) => o.result === 'updated')).toHaveLength(1);
      expect(outs.filter((o) => o.result === 'noop')).toHaveLength(9);
      for (const o of outs) expect(o.job.status).toBe('completed');
    });

    it('cancel racing complete: the job ends completed (the cancel refused) or canceled (the complete after it)', async () => {
      const { h, c, clock } = await setup();
      for (let round = 0; round < 4; round++) {
        const id = `cc-end-${round}`;
        await h.jobs.insert(seeded(id, c, 'in_progress'));
        // started in either order, run concurrently
        const [first, second] = round % 2 === 0 ? (['complete', 'cancel'] as const) : (['cancel', 'complete'] as const);
        const start = (which: 'complete' | 'cancel') =>
          which === 'complete' ? new CompleteSyncJob(h.jobs, clock).execute(id, undefined) : new CancelSyncJob(h.jobs, clock).execute(id);
        const a = start(first);
        const b = start(second);
        const complete = first === 'complete' ? a : b;
        const cancel = first === 'cancel' ? a : b;
        const [done, canceled] = await Promise.allSettled([complete, cancel]);
        const stored = (await h.jobs.get(id))!;
        expect(done!.status).toBe('fulfilled');
        if (canceled!.status === 'fulfilled') expect(stored.status).toBe('canceled');
        else {
          expect(canceled!.reason).toBeInstanceOf(InvalidTransitionError);
          expect(stored.status).toBe('completed');
        }
      }
    });

    it('the fence: a call naming another claim (if_started_at) is a started_at_mismatch conflict and writes nothing; its own claim goes through', async () => {
      const { h, c, clock } = await setup();
      const other = { ifStartedAt: STARTED.plusMicros(1) };
      const own = { ifStartedAt: STARTED };
      const calls: [string, (fence: { ifStartedAt: Instant }) => Promise<unknown>][] = [
        ['stats', (f) => new UpdateSyncJobStats(h.jobs, clock).execute('fenced', { deleted_document_count: 0, indexed_document_count: 1, indexed_document_volume: 2 }, f)],
        ['check-in', (f) => new CheckInSyncJob(h.jobs, clock).execute('fenced', f)],
        ['error', (f) => new ErrorSyncJob(h.jobs, clock).execute('fenced', { error: 'x' }, f)],
        ['complete', (f) => new CompleteSyncJob(h.jobs, clock).execute('fenced', undefined, f)],
        ['suspend', (f) => new SuspendSyncJob(h.jobs, clock).execute('fenced', undefined, f)],
      ];
      for (const [name, call] of calls) {
        await h.jobs.delete('fenced');
        await h.jobs.insert(seeded('fenced', c, 'in_progress'));
        const before = await h.jobs.get('fenced');
        const e = await rejection(call(other));
        expect(e, name).toBeInstanceOf(ConflictError);
        expect((e as ConflictError).kind).toBe('started_at_mismatch');
        expect(await h.jobs.get('fenced')).toEqual(before);
        await call(own);
        expect(await h.jobs.get('fenced'), name).not.toEqual(before);
      }
      // a job never claimed has no started_at: any fence is a conflict
      await h.jobs.insert(seeded('unclaimed', c, 'pending'));
      expect(await rejection(new CheckInSyncJob(h.jobs, clock).execute('unclaimed', own))).toBeInstanceOf(ConflictError);
    });

    describe("the connector's sync info", () => {
      const recorded = async (): Promise<{ h: StoreHarness; c: ConnectorRecord; clock: Clock } | null> => {
        const s = await setup();
        return s.h.writesSyncInfo === false ? null : s;
      };

      for (const jobType of ['full', 'access_control'] as const) {
        const [statusField, errorField] =
          jobType === 'access_control' ? (['lastAccessControlSyncStatus', 'lastAccessControlSyncError'] as const) : (['lastSyncStatus', 'lastSyncError'] as const);

        it(`a ${jobType} job: claim, then each kind of end`, async () => {
          const s = await recorded();
          if (!s) return;
          const { h, c, clock } = s;
          const read = async () => syncInfo(await h.connectors.findById(c.id));
          const claim = async (id: string) => {
            await h.jobs.insert(seeded(id, c, 'pending', jobType));
            return new ClaimSyncJob(h.jobs, clock).execute(id, { worker_hostname: 'w', sync_cursor: { from: 'claim' } });
          };

          // a job canceled before any claim leaves the connector alone
          await h.jobs.insert(seeded(`${jobType}-never`, c, 'pending', jobType));
          await new CancelSyncJob(h.jobs, clock).execute(`${jobType}-never`);
          expect(await read()).toEqual({ status: 'configured' });

          await claim(`${jobType}-done`);
          expect(await read()).toEqual({ [statusField]: 'in_progress', status: 'connected' });

          const done = await new CompleteSyncJob(h.jobs, clock).execute(`${jobType}-done`, { indexed_document_count: 10, deleted_document_count: 2, sync_cursor: { to: 'end' } });
          expect(await read()).toEqual({
            [statusField]: 'completed',
            lastSynced: done.job.completedAt!.toString(),
            lastIndexedDocumentCount: 10,
            lastDeletedDocumentCount: 2,
            status: 'connected',
            ...(jobType === 'full' ? { syncCursor: { to: 'end' } } : {}),
          });
          const cursor = jobType === 'full' ? { syncCursor: { to: 'end' } } : {};

          await claim(`${jobType}-suspended`);
          const suspended = await new SuspendSyncJob(h.jobs, clock).execute(`${jobType}-suspended`, { indexed_document_count: 99 });
          // suspended: no counts (the last completed sync's stay)
          expect(await read()).toEqual({
            [statusField]: 'suspended',
            lastSynced: suspended.job.lastSeen!.toString(),
            lastIndexedDocumentCount: 10,
            lastDeletedDocumentCount: 2,
            status: 'connected',
            ...cursor,
          });
          // a cancel that ends the suspended job records it canceled
          const canceled = await new CancelSyncJob(h.jobs, clock).execute(`${jobType}-suspended`);
          expect(await read()).toMatchObject({ [statusField]: 'canceled', lastSynced: canceled.completedAt!.toString(), lastIndexedDocumentCount: 99 });

          await claim(`${jobType}-failed`);
          const failed = await new ErrorSyncJob(h.jobs, clock).execute(`${jobType}-failed`, { error: 'the source went away' });
          expect(await read()).toEqual({
            [statusField]: 'error',
            [errorField]: 'the source went away',
            lastSynced: failed.completedAt!.toString(),
            lastIndexedDocumentCount: 0,
            lastDeletedDocumentCount: 0,
            status: 'error',
            error: 'the source went away',
            ...cursor,
          });

          // the sweeper's end is an end too
          await claim(`${jobType}-swept`);
          const swept = await h.jobs.apply(`${jobType}-swept`, sweepOrphanedSyncJobPlan(clock.now()));
          expect(await read()).toMatchObject({ [statusField]: 'error', [errorField]: swept!.job.error, status: 'error' });

          // a running job deleted: the framework's "job is gone"
          await claim(`${jobType}-gone`);
          await new DeleteSyncJob(h.jobs, clock).execute(`${jobType}-gone`);
          expect(await read()).toMatchObject({ [statusField]: 'error', [errorField]: "Couldn't find the job", status: 'error', error: "Couldn't find the job" });
        });
      }

      it("a later sync's cursor replaces the connector's; a late retry of an earlier end rolls nothing back", async () => {
        const s = await recorded();
        if (!s) return;
        const { h, c, clock } = s;
        const claimAndComplete = async (id: string, cursor: Record<string, number>) => {
          await h.jobs.insert(seeded(id, c, 'pending'));
          await new ClaimSyncJob(h.jobs, clock).execute(id, { worker_hostname: 'w' });
          return new CompleteSyncJob(h.jobs, clock).execute(id, { sync_cursor: cursor, indexed_document_count: cursor.n ?? 0 });
        };
        await claimAndComplete('first', { a: 1, n: 1 });
        const second = await claimAndComplete('second', { b: 2, n: 2 });
        const after = syncInfo(await h.connectors.findById(c.id));
        expect(after).toMatchObject({ syncCursor: { b: 2, n: 2 }, lastIndexedDocumentCount: 2, lastSynced: second.job.completedAt!.toString() });
        // the first worker retries its lost answer: noop, the connector keeps the second sync
        expect(await new CompleteSyncJob(h.jobs, clock).execute('first', undefined)).toMatchObject({ result: 'noop' });
        expect(syncInfo(await h.connectors.findById(c.id))).toEqual(after);
      });

      it('a content and an access-control job keep their own status fields', async () => {
        const s = await recorded();
        if (!s) return;
        const { h, c, clock } = s;
        await h.jobs.insert(seeded('content', c, 'in_progress', 'incremental'));
        await h.jobs.insert(seeded('acl', c, 'in_progress', 'access_control'));
        await new CompleteSyncJob(h.jobs, clock).execute('content', undefined);
        await new ErrorSyncJob(h.jobs, clock).execute('acl', { error: 'acl failed' });
        expect(await h.connectors.findById(c.id)).toMatchObject({
          lastSyncStatus: 'completed',
          lastAccessControlSyncStatus: 'error',
          lastAccessControlSyncError: 'acl failed',
        });
      });

      it('a deleted connector is left alone; its job still ends', async () => {
        const s = await recorded();
        if (!s) return;
        const { h, c, clock } = s;
        await h.jobs.insert(seeded('orphan', c, 'in_progress'));
        await h.connectors.delete(c.id);
        const out = await new CompleteSyncJob(h.jobs, clock).execute('orphan', undefined);
        expect(out).toMatchObject({ result: 'updated', job: { status: 'completed' } });
        const stored = await h.connectors.findById(c.id);
        expect(stored?.deleted).toBe(true);
        expect(syncInfo(stored)).toEqual({ status: 'configured' });
      });
    });
  });
}
