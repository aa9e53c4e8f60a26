import { Instant } from '../../../src/internal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ACTIVE_SYNC_STATUSES,
  ConflictError,
  ConnectorNotFoundError,
  CreateSyncJob,
  ElasticsearchIdGenerator,
  SYNC_STATUSES,
  newSyncJob,
} from '../../../src/internal.js';
import type { SyncJob } from '../../../src/internal.js';
import { PostgresConnectorStore, PostgresSyncJobStore, postgresStores } from '../../../adapters/postgres/index.js';
import { connector } from 'connector-sync-jobs/testing';
import { flavours } from './flavours.js';
import type { OpenDatabase } from './flavours.js';

for (const flavour of flavours) {
  describe.skipIf(!flavour.enabled)(`concurrency on ${flavour.name}`, () => {
    let d: OpenDatabase;
    let connectors: PostgresConnectorStore;
    let jobs: PostgresSyncJobStore;
    let create: CreateSyncJob;
    /** Through the connector cache (postgresModule's wiring): once warm, each create is one statement. */
    let cachedCreate: CreateSyncJob;
    beforeAll(async () => {
      d = await flavour.open({ poolSize: 25 });
      connectors = new PostgresConnectorStore(d.q);
      jobs = new PostgresSyncJobStore(d.q);
      create = new CreateSyncJob(connectors, jobs, { now: () => Instant.ofEpochMillis(Date.now()) }, new ElasticsearchIdGenerator());
      const cached = postgresStores(d.q);
      cachedCreate = new CreateSyncJob(cached.lookup, cached.jobs, { now: () => Instant.ofEpochMillis(Date.now()) }, new ElasticsearchIdGenerator());
    });
    afterAll(async () => {
      await d?.close();
    });
    beforeEach(async () => {
      await d.reset();
    });

    const createUncached = (): CreateSyncJob => create;
    const countFor = async (connectorId: string): Promise<number> =>
      (await d.q.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_jobs WHERE connector_id = $1', [connectorId]))
        .rows[0]!.n;

    it('hundreds of parallel creates on one connector give that many distinct, readable jobs', async () => {
      await connectors.upsert(connector('busy', { configuration: { k: { value: 1 } } }));
      const n = 300;
      const created = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          create.execute({ id: 'busy', job_type: i % 3 === 0 ? 'incremental' : 'full' }),
        ),
      );
      expect(new Set(created.map((j) => j.id)).size).toBe(n);
      expect(await countFor('busy')).toBe(n);
      const read = await Promise.all(created.map((j) => jobs.get(j.id)));
      read.forEach((r, i) => expect(r).toEqual(created[i]));
    });

    for (const [mode, path] of [['soft', 'read'], ['hard', 'read'], ['soft', 'cached'], ['hard', 'cached']] as const) {
      it(`no orphans: a ${mode} delete racing creates (${path === 'cached' ? 'cached connector, one statement' : 'connector read per create'}) leaves only jobs committed while the connector was live`, async () => {
        const create = path === 'cached' ? cachedCreate : createUncached();
        for (let round = 0; round < 5; round++) {
          const id = `racy-${mode}-${path}-${round}`;
          await connectors.upsert(connector(id));
          // the cached path: the first create keeps the connector, the racing ones are one statement each
          const warm = path === 'cached' ? 1 : 0;
          if (warm) await create.execute({ id });
          const creates: Promise<SyncJob>[] = [];
          let deletion: Promise<number> | undefined;
          for (let i = 0; i < 40; i++) {
            creates.push(create.execute({ id }));
            if (i === 10 + round * 5) {
              // The delete commits with the connector row locked; the jobs it sees in the same
              // transaction are all that may ever exist for this connector.
              deletion = d.q.transaction(async (tx) => {
                if (mode === 'soft') await tx.query('UPDATE connectors SET deleted = true WHERE id = $1', [id]);
                else await tx.query('DELETE FROM connectors WHERE id = $1', [id]);
                const seen = await tx.query<{ n: number }>(
                  'SELECT count(*)::int AS n FROM sync_jobs WHERE connector_id = $1',
                  [id],
                );
                return seen.rows[0]!.n;
              });
            }
          }
          const settled = await Promise.allSettled(creates);
          const seenAtDelete = await deletion!;
          const ok = settled.filter((s) => s.status === 'fulfilled');
          for (const s of settled) {
            if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(ConnectorNotFoundError);
          }
          expect(await countFor(id)).toBe(seenAtDelete);
          expect(ok).toHaveLength(seenAtDelete - warm);
          // A create after the delete is refused too.
          await expect(create.execute({ id })).rejects.toBeInstanceOf(ConnectorNotFoundError);
          // and the store itself refuses it, even for a job built while the connector was live
          const [first] = ok;
          if (first && first.status === 'fulfilled') {
            const late = { ...first.value, id: `${first.value.id}-late` };
            await expect(jobs.insert(late)).rejects.toBeInstanceOf(ConnectorNotFoundError);
          }
          expect(await countFor(id)).toBe(seenAtDelete);
        }
      });
    }

    it('one active job per class: many parallel use-case creates, exactly one per class wins', async () => {
      const guarded = new CreateSyncJob(connectors, jobs, { now: () => Instant.ofEpochMillis(Date.now()) }, new ElasticsearchIdGenerator(), {
        oneActiveJobPerClass: true,
      });
      await connectors.upsert(connector('guarded'));
      const settled = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) =>
          guarded.execute({ id: 'guarded', job_type: ['full', 'incremental', 'access_control'][i % 3]! }),
        ),
      );
      const ok = settled.filter((s): s is PromiseFulfilledResult<SyncJob> => s.status === 'fulfilled');
      expect(ok.map((s) => s.value.jobType === 'access_control').sort()).toEqual([false, true]);
      expect(await countFor('guarded')).toBe(2);
    });

    it('idempotency through the use case: parallel creates with one key give one job', async () => {
      await connectors.upsert(connector('idem'));
      const results = await Promise.all(
        Array.from({ length: 50 }, () => create.execute({ id: 'idem' }, { idempotencyKey: 'same-key' })),
      );
      expect(new Set(results.map((j) => j.id)).size).toBe(1);
      expect(await countFor('idem')).toBe(1);
    });
    it('one active job per class: only pending, in_progress, canceling and suspended jobs block', async () => {
      for (const status of SYNC_STATUSES) {
        const c = connector(`status-${status}`);
        await connectors.upsert(c);
        const old = newSyncJob(`old-${status}`, { connectorId: c.id, jobType: 'incremental', triggerMethod: 'scheduled' }, c, Instant.ofEpochMillis(Date.now()));
        await jobs.insert({ ...old, status });
        const next = newSyncJob(`next-${status}`, { connectorId: c.id, jobType: 'full', triggerMethod: 'on_demand' }, c, Instant.ofEpochMillis(Date.now()));
        const outcome = await jobs.insert(next, { oneActivePerClass: true }).catch((e: unknown) => e);
        if (ACTIVE_SYNC_STATUSES.includes(status)) {
          expect(outcome).toBeInstanceOf(ConflictError);
          expect((outcome as ConflictError).activeJobId).toBe(`old-${status}`);
          expect(await jobs.get(`next-${status}`)).toBeNull();
        } else {
          expect(outcome).toMatchObject({ created: true });
        }
      }
    });

    it('an idempotent replay returns the earlier job even while that job blocks the one-active policy', async () => {
      const guarded = new CreateSyncJob(connectors, jobs, { now: () => Instant.ofEpochMillis(Date.now()) }, new ElasticsearchIdGenerator(), {
        oneActiveJobPerClass: true,
      });
      await connectors.upsert(connector('replay'));
      const first = await guarded.execute({ id: 'replay' }, { idempotencyKey: 'r-1' });
      const replays = await Promise.all(
        Array.from({ length: 10 }, () => guarded.execute({ id: 'replay' }, { idempotencyKey: 'r-1' })),
      );
      for (const r of replays) expect(r).toEqual(first);
      const other = await guarded.execute({ id: 'replay' }, { idempotencyKey: 'r-2' }).catch((e: unknown) => e);
      expect((other as ConflictError).kind).toBe('active_job_exists');
      const mismatch = await guarded
        .execute({ id: 'replay', job_type: 'access_control' }, { idempotencyKey: 'r-1' })
        .catch((e: unknown) => e);
      expect((mismatch as ConflictError).kind).toBe('idempotency_mismatch');
      expect(await countFor('replay')).toBe(1);
    });
  });
}
