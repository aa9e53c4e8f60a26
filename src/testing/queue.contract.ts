/**
 * The worker-side contract every storage adapter's SyncJobQueue passes, with the
 * ClaimNextSyncJob and SweepSyncJobs use cases wired on it: claim order, filters, races of
 * concurrent claim-next calls, wake-ups, and the sweep (also racing a check-in).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ClaimNextSyncJob,
  IDLE_JOB_ERROR,
  Instant,
  SweepSyncJobs,
  checkInSyncJobPlan,
  claimSyncJobPlan,
  newSyncJob,
} from '../internal.js';
import type {
  Clock,
  ConnectorRecord,
  ConnectorStore,
  JobType,
  SyncJob,
  SyncJobQueue,
  SyncJobStore,
  SyncStatus,
} from '../internal.js';
import { connector, syncJob } from './fixtures.js';

/** What a factory hands the suite: fresh, empty stores and the queue on the same storage. */
export interface QueueHarness {
  connectors: ConnectorStore;
  jobs: SyncJobStore;
  queue: SyncJobQueue;
  /** Removes a connector outright (not a soft delete), leaving its jobs: how orphans arise. */
  removeConnector(id: string): Promise<void>;
  close?: () => Promise<void>;
  /** True for a store whose watches poll (Elasticsearch): a wait may end "maybe new work" without any. */
  polls?: boolean;
}

const T0 = Instant.parse('2026-11-29T10:00:00Z')!;
const at = (seconds: number) => T0.plusMicros(seconds * 1_000_000);

function makeJob(
  id: string,
  c: ConnectorRecord,
  options: { createdAt?: Instant; status?: SyncStatus; lastSeen?: Instant | null; jobType?: JobType } = {},
): SyncJob {
  return syncJob(id, c, { ...options, createdAt: options.createdAt ?? T0 });
}

/**
 * Registers the worker queue's contract (`describe('queue contract: <name>')`) for a
 * `SyncJobQueue`: claim-next (pending jobs oldest first, then suspended ones; filters by connector
 * ids, service types and job types; concurrent claim-next calls claim distinct jobs), waiting for
 * work (watches, aborts, timeouts), and the sweep of idle and orphaned in_progress/canceling jobs
 * (racing check-ins). Times are driven by the suite's own clock.
 *
 * @param name - names the suite
 * @param factory - called before each test: fresh, empty stores and the queue on them; `close`
 *   is called after each test
 */
export function describeQueueContract(name: string, factory: () => Promise<QueueHarness>): void {
  describe(`queue contract: ${name}`, () => {
    let h: QueueHarness;
    let now: Instant;
    const clock: Clock = { now: () => now };
    beforeEach(async () => {
      h = await factory();
      now = at(3600);
    });
    afterEach(async () => {
      await h.close?.();
    });

    const worker = { workerHostname: 'worker-1' };

    describe('claimNext', () => {
      it('answers null when nothing is claimable', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        await h.jobs.insert(makeJob('running', c, { status: 'in_progress' }));
        expect(await h.queue.claimNext({}, claimSyncJobPlan(worker, now))).toBeNull();
      });

      it('takes pending jobs oldest first, then suspended ones, and claims them as _claim does', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        await h.jobs.insert(makeJob('susp-old', c, { createdAt: at(1), status: 'suspended' }));
        await h.jobs.insert(makeJob('pend-new', c, { createdAt: at(30) }));
        await h.jobs.insert(makeJob('pend-old', c, { createdAt: at(20) }));
        await h.jobs.insert(makeJob('susp-new', c, { createdAt: at(5), status: 'suspended' }));
        const order: string[] = [];
        for (let i = 0; i < 4; i++) order.push((await h.queue.claimNext({}, claimSyncJobPlan(worker, now)))!.id);
        expect(order).toEqual(['pend-old', 'pend-new', 'susp-old', 'susp-new']);
        expect(await h.queue.claimNext({}, claimSyncJobPlan(worker, now))).toBeNull();
        const claimed = await h.jobs.get('pend-old');
        expect(claimed).toMatchObject({ status: 'in_progress', workerHostname: 'worker-1' });
        expect(claimed!.startedAt!.equals(now)).toBe(true);
        expect(claimed!.lastSeen!.equals(now)).toBe(true);
      });

      it('returns the job as stored, with the sync cursor merged into the snapshot', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        await h.jobs.insert(makeJob('j1', c));
        const got = await h.queue.claimNext({}, claimSyncJobPlan({ workerHostname: 'w', syncCursor: { page: 2, nested: { a: 1 } } }, now));
        expect(got!.connector.syncCursor).toEqual({ page: 2, nested: { a: 1 } });
        expect(await h.jobs.get('j1')).toEqual(got);
      });

      it('honours the filters: connector ids, service types, job types', async () => {
        const a = connector('ca', { serviceType: 'google_drive' });
        const b = connector('cb', { serviceType: 'sharepoint' });
        await h.connectors.upsert(a);
        await h.connectors.upsert(b);
        await h.jobs.insert(makeJob('a-full', a, { createdAt: at(1) }));
        await h.jobs.insert(makeJob('b-full', b, { createdAt: at(2) }));
        await h.jobs.insert(makeJob('a-acl', a, { createdAt: at(3), jobType: 'access_control' }));
        await h.jobs.insert(makeJob('b-incr', b, { createdAt: at(4), jobType: 'incremental' }));
        expect((await h.queue.claimNext({ connectorIds: ['cb'] }, claimSyncJobPlan(worker, now)))!.id).toBe('b-full');
        expect((await h.queue.claimNext({ jobTypes: ['access_control'] }, claimSyncJobPlan(worker, now)))!.id).toBe('a-acl');
        expect(await h.queue.claimNext({ serviceTypes: ['confluence'] }, claimSyncJobPlan(worker, now))).toBeNull();
        expect((await h.queue.claimNext({ serviceTypes: ['sharepoint'], jobTypes: ['incremental', 'full'] }, claimSyncJobPlan(worker, now)))!.id).toBe('b-incr');
        expect(await h.queue.claimNext({ connectorIds: ['cb'] }, claimSyncJobPlan(worker, now))).toBeNull();
        expect((await h.queue.claimNext({ connectorIds: [], serviceTypes: [] }, claimSyncJobPlan(worker, now)))!.id).toBe('a-full');
      });

      for (const [n, m] of [
        [10, 6],
        [5, 12],
        [8, 8],
      ] as const) {
        it(`${n} concurrent claim-next calls over ${m} jobs claim ${Math.min(n, m)} distinct jobs`, async () => {
          const c = connector('c1');
          await h.connectors.upsert(c);
          for (let i = 0; i < m; i++) await h.jobs.insert(makeJob(`job-${String(i).padStart(3, '0')}`, c, { createdAt: at(i) }));
          const got = await Promise.all(
            Array.from({ length: n }, (_, w) => h.queue.claimNext({}, claimSyncJobPlan({ workerHostname: `w${w}` }, now))),
          );
          const claimed = got.filter((j): j is SyncJob => j !== null);
          expect(claimed).toHaveLength(Math.min(n, m));
          expect(new Set(claimed.map((j) => j.id)).size).toBe(claimed.length);
          // each job's stored worker is the one that got it
          for (const j of claimed) expect((await h.jobs.get(j.id))!.workerHostname).toBe(j.workerHostname);
          // what is left is exactly the newest m - n jobs, still pending
          const left: string[] = [];
          for (let i = 0; i < m; i++) {
            const s = await h.jobs.get(`job-${String(i).padStart(3, '0')}`);
            if (s!.status === 'pending') left.push(s!.id);
          }
          expect(left).toHaveLength(Math.max(0, m - n));
        });
      }
    });

    describe('waiting for work', () => {
      it('a watch opened before a create wakes for it; one with nothing new times out', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        const w = await h.queue.watch();
        try {
          if (!h.polls) expect(await w.next(50)).toBe(false);
          await h.jobs.insert(makeJob('j1', c));
          expect(await w.next(5000)).toBe(true);
        } finally {
          w.close();
        }
      });

      it('a waiting claim-next gets a job created after it started waiting', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        const use = new ClaimNextSyncJob(h.queue, clock);
        const waiting = use.execute({ worker_hostname: 'w1', wait_timeout: '10s' });
        await new Promise((r) => setTimeout(r, 100));
        await h.jobs.insert(makeJob('late', c));
        const got = await waiting;
        expect(got?.id).toBe('late');
        expect(got?.status).toBe('in_progress');
      });

      it('a wait ends with null when its signal aborts or its timeout passes', async () => {
        const use = new ClaimNextSyncJob(h.queue, clock);
        const ac = new AbortController();
        const waiting = use.execute({ worker_hostname: 'w1', wait_timeout: '30s' }, { signal: ac.signal });
        setTimeout(() => ac.abort(), 50);
        const started = performance.now();
        expect(await waiting).toBeNull();
        expect(performance.now() - started).toBeLessThan(5000);
        expect(await use.execute({ worker_hostname: 'w1', wait_timeout: '100ms' })).toBeNull();
      });
    });

    describe('sweep', () => {
      const idleMs = 300_000;
      async function seedSweepable(): Promise<void> {
        // a full snapshot (pipeline, configuration): the sweep's update must not trip on it
        const live = connector('live', {
          pipeline: { extractBinaryContent: true, name: 'ent-search-generic-ingestion', reduceWhitespace: true, runMlInference: false },
          configuration: { host: { label: 'Host', value: 'example.org' } },
        });
        const gone = connector('gone');
        const soft = connector('soft');
        for (const c of [live, gone, soft]) await h.connectors.upsert(c);
        // now = T0 + 3600 s; idle cut-off = now - 300 s
        await h.jobs.insert(makeJob('idle-run', live, { status: 'in_progress', lastSeen: at(100) }));
        await h.jobs.insert(makeJob('idle-cancel', live, { status: 'canceling', lastSeen: at(3300) }));
        await h.jobs.insert(makeJob('fresh-run', live, { status: 'in_progress', lastSeen: at(3301) }));
        await h.jobs.insert(makeJob('old-pending', live, { status: 'pending', lastSeen: at(0) }));
        await h.jobs.insert(makeJob('old-suspended', live, { status: 'suspended', lastSeen: at(0) }));
        await h.jobs.insert(makeJob('orphan-run', gone, { status: 'in_progress', lastSeen: at(3500) }));
        await h.jobs.insert(makeJob('orphan-pending', gone, { status: 'pending', lastSeen: at(3500) }));
        await h.jobs.insert(makeJob('soft-cancel', soft, { status: 'canceling', lastSeen: at(3500) }));
        await h.removeConnector('gone');
        await h.connectors.upsert({ ...soft, deleted: true });
      }

      it("moves idle and orphaned in_progress/canceling jobs to error with the Python framework's message", async () => {
        await seedSweepable();
        const sweep = new SweepSyncJobs(h.jobs, h.queue, clock);
        const r = await sweep.execute({ idleThresholdMs: idleMs });
        expect([...r.orphaned].sort()).toEqual(['orphan-run', 'soft-cancel']);
        expect([...r.idle].sort()).toEqual(['idle-cancel', 'idle-run']);
        for (const id of ['idle-run', 'idle-cancel', 'orphan-run', 'soft-cancel']) {
          const j = (await h.jobs.get(id))!;
          expect(j.status).toBe('error');
          expect(j.error).toBe(IDLE_JOB_ERROR);
          expect(j.error).toBe('The job has not seen any update for some time.');
          expect(j.completedAt!.equals(now)).toBe(true);
          expect(j.lastSeen!.equals(now)).toBe(true);
        }
        expect((await h.jobs.get('fresh-run'))!.status).toBe('in_progress');
        expect((await h.jobs.get('old-pending'))!.status).toBe('pending');
        expect((await h.jobs.get('old-suspended'))!.status).toBe('suspended');
        expect((await h.jobs.get('orphan-pending'))!.status).toBe('pending');
        // a second sweep finds nothing more
        expect(await sweep.execute({ idleThresholdMs: idleMs })).toEqual({ orphaned: [], idle: [] });
      });

      it('a check-in that lands between the search and the write wins: the job stays in_progress', async () => {
        const live = connector('live');
        await h.connectors.upsert(live);
        await h.jobs.insert(makeJob('j1', live, { status: 'in_progress', lastSeen: at(0) }));
        const checkedInAt = now;
        const racingQueue: SyncJobQueue = {
          claimNext: (f, plan) => h.queue.claimNext(f, plan),
          watch: () => h.queue.watch(),
          findSweepCandidates: async (before, limit) => {
            const found = await h.queue.findSweepCandidates(before, limit);
            await h.jobs.apply('j1', checkInSyncJobPlan(checkedInAt));
            return found;
          },
        };
        const r = await new SweepSyncJobs(h.jobs, racingQueue, clock).execute({ idleThresholdMs: idleMs });
        expect(r.idle).toEqual([]);
        const j = (await h.jobs.get('j1'))!;
        expect(j.status).toBe('in_progress');
        expect(j.error).toBeNull();
        expect(j.lastSeen!.equals(checkedInAt)).toBe(true);
      });

      it('a sweep racing check-ins: every job ends either swept (error) or checked in (in_progress), never half', async () => {
        const live = connector('live');
        await h.connectors.upsert(live);
        const ids = Array.from({ length: 8 }, (_, i) => `r${i}`);
        for (const id of ids) await h.jobs.insert(makeJob(id, live, { status: 'in_progress', lastSeen: at(0) }));
        const later = now;
        const [r] = await Promise.all([
          new SweepSyncJobs(h.jobs, h.queue, clock).execute({ idleThresholdMs: idleMs }),
          ...ids.map((id) => h.jobs.apply(id, checkInSyncJobPlan(later))),
        ]);
        for (const id of ids) {
          const j = (await h.jobs.get(id))!;
          if (r.idle.includes(id)) {
            expect(j.status).toBe('error');
            expect(j.error).toBe(IDLE_JOB_ERROR);
          } else {
            expect(j.status).toBe('in_progress');
            expect(j.lastSeen!.equals(later)).toBe(true);
          }
        }
      });
    });
  });
}
