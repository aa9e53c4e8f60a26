import { Instant } from '../internal.js';
/**
 * The contract every storage adapter passes: the ConnectorStore and SyncJobStore ports, and
 * the create use case wired on them. Written once; each adapter's test file calls
 * `describeStoreContract` with a factory. A host can run it against an adapter of its own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  ConnectorNotFoundError,
  CreateSyncJob,
  SyncJobError,
  encodeSyncJobDocument,
  newSyncJob,
} from '../internal.js';
import type {
  SyncJobQueue,
  ConnectorRecord,
  ConnectorStore,
  IdGenerator,
  SyncJob,
  SyncJobStore,
  JobType,
} from '../internal.js';
import { errorText, expectedDocument, vectorConnectors, vectors } from './vectors.js';
import { describeLifecycleContract } from './lifecycle.contract.js';
import { describeJobEndContract } from './job-end.contract.js';
import { describeLifecycleModel } from './lifecycle.model.js';
import type { StoreHarness } from './harness.js';
import { connector, syncJob, testIds } from './fixtures.js';

export type { StoreHarness } from './harness.js';

const NOW = Instant.parse('2026-11-29T10:11:12.345Z')!;

function job(id: string, connectorRecord: ConnectorRecord, jobType: JobType = 'full'): SyncJob {
  return syncJob(id, connectorRecord, { createdAt: NOW, jobType });
}

/**
 * Tries to change a value a store handed out: a store may hand out copies (the change is
 * lost) or deep-frozen values (the change throws a TypeError). Either way nothing stored changes.
 */
export function mutate(change: () => void): void {
  try {
    change();
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
}

/**
 * Registers the store contract as vitest `describe` blocks named `store contract: <name>` and
 * `lifecycle model: <name>`: ConnectorStore (upsert, findById, delete soft/hard/with jobs),
 * SyncJobStore (insert, idempotency, the one-active-job policy, orphan refusal when
 * `refusesOrphans`), the create use case on these stores with every worked example of the spec
 * (documents byte for byte, errors by status, type and reason), the lifecycle contract
 * ({@link describeLifecycleContract}) and the model-based test ({@link describeLifecycleModel}).
 * Call it at the top level of a vitest test file (not inside a test).
 *
 * @param name - names the suites (e.g. `'my adapter'`)
 * @param factory - called before each test (and each model sequence): must resolve fresh, empty
 *   stores; `close` is called after each test. A rejected promise fails that test.
 */
export function describeStoreContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`store contract: ${name}`, () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await factory();
    });
    afterEach(async () => {
      await h.close?.();
    });

    describe('ConnectorStore', () => {
      it('upserts: created, then updated, and reads back what went in', async () => {
        const rich = vectorConnectors().find((c) => c.id === 'rich')!;
        expect(await h.connectors.upsert(rich)).toBe('created');
        expect(await h.connectors.findById('rich')).toEqual(rich);
        const changed = { ...rich, language: 'fr', deleted: true };
        expect(await h.connectors.upsert(changed)).toBe('updated');
        expect(await h.connectors.findById('rich')).toEqual(changed);
      });

      it('returns null for a missing connector', async () => {
        expect(await h.connectors.findById('nope')).toBeNull();
      });

      it('keeps its own copy: mutating the input or the output changes nothing stored', async () => {
        const c = connector('c1', { configuration: { a: { value: 1 } } });
        await h.connectors.upsert(c);
        (c.configuration!.a as { value: number }).value = 2;
        const read = await h.connectors.findById('c1');
        expect(read!.configuration).toEqual({ a: { value: 1 } });
        mutate(() => {
          (read!.configuration!.a as { value: number }).value = 3;
        });
        expect((await h.connectors.findById('c1'))!.configuration).toEqual({ a: { value: 1 } });
      });
    });

    describe('ConnectorStore.delete', () => {
      it('soft delete: the connector reads back flagged deleted, a second soft delete is not found', async () => {
        const c = connector('c1', { name: 'one', isNative: false, description: 'any text', status: 'created' });
        await h.connectors.upsert(c);
        await h.connectors.delete('c1');
        expect(await h.connectors.findById('c1')).toEqual({ ...c, deleted: true });
        const again = await h.connectors.delete('c1').catch((e: unknown) => e);
        expect(again).toBeInstanceOf(ConnectorNotFoundError);
      });

      it('hard delete removes it (a soft-deleted one too); a missing connector is not found', async () => {
        await h.connectors.upsert(connector('c1'));
        await h.connectors.upsert(connector('c2'));
        await h.connectors.delete('c1', { hard: true });
        expect(await h.connectors.findById('c1')).toBeNull();
        await h.connectors.delete('c2');
        await h.connectors.delete('c2', { hard: true });
        expect(await h.connectors.findById('c2')).toBeNull();
        for (const hard of [false, true]) {
          const err = await h.connectors.delete('nope', { hard }).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ConnectorNotFoundError);
          expect((err as ConnectorNotFoundError).connectorId).toBe('nope');
        }
      });

      it('keeps the jobs unless deleteSyncJobs; with it, removes exactly that connector\'s jobs', async () => {
        const a = connector('ca');
        const b = connector('cb');
        await h.connectors.upsert(a);
        await h.connectors.upsert(b);
        await h.jobs.insert(job('ja1', a));
        await h.jobs.insert(job('ja2', a, 'access_control'));
        await h.jobs.insert(job('jb1', b));
        await h.connectors.delete('ca');
        expect(await h.countJobs()).toBe(3);
        await h.connectors.delete('ca', { hard: true, deleteSyncJobs: true });
        expect(await h.jobs.get('ja1')).toBeNull();
        expect(await h.jobs.get('ja2')).toBeNull();
        expect(await h.jobs.get('jb1')).not.toBeNull();
        expect(await h.countJobs()).toBe(1);
        await h.connectors.delete('cb', { deleteSyncJobs: true });
        expect(await h.countJobs()).toBe(0);
        expect((await h.connectors.findById('cb'))?.deleted).toBe(true);
      });

      it('deleteSyncJobs frees what the jobs held: their idempotency keys and the active-job locks', async () => {
        const a = connector('ca');
        await h.connectors.upsert(a);
        const claim = { key: 'k-ca', fingerprint: 'f' };
        await h.jobs.insert(job('ja1', a), { idempotency: claim, oneActivePerClass: true });
        await h.connectors.delete('ca', { hard: true, deleteSyncJobs: true });
        expect(await h.jobs.findIdempotencyKey('k-ca')).toBeNull();
        await h.connectors.upsert(a); // set up again under the same id
        const again = await h.jobs.insert(job('ja2', a), { idempotency: claim, oneActivePerClass: true });
        expect(again.created).toBe(true);
        expect(again.job.id).toBe('ja2');
        expect((await h.jobs.findIdempotencyKey('k-ca'))?.jobId).toBe('ja2');
      });

      it('a failed delete (not found) removes no jobs', async () => {
        const a = connector('ca');
        await h.connectors.upsert(a);
        await h.jobs.insert(job('ja1', a));
        await h.connectors.delete('ca');
        const err = await h.connectors.delete('ca', { deleteSyncJobs: true }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConnectorNotFoundError);
        expect(await h.jobs.get('ja1')).not.toBeNull();
      });

      it('after a soft delete a job store that sees connectors refuses new jobs for it', async () => {
        const a = connector('ca');
        await h.connectors.upsert(a);
        await h.connectors.delete('ca');
        if (!h.refusesOrphans) return;
        const err = await h.jobs.insert(job('ja1', a)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConnectorNotFoundError);
      });
    });

    describe('SyncJobStore', () => {
      it('inserts and reads back an identical job', async () => {
        const rich = vectorConnectors().find((c) => c.id === 'rich')!;
        await h.connectors.upsert(rich);
        const j = job('j-rich', rich, 'access_control');
        const r = await h.jobs.insert(j);
        expect(r.created).toBe(true);
        expect(r.job).toEqual(j);
        expect(await h.jobs.get('j-rich')).toEqual(j);
      });

      it('returns null for a missing job', async () => {
        expect(await h.jobs.get('missing')).toBeNull();
      });

      it('never overwrites: a second insert with the same id is a conflict and the first stays', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        const first = job('same-id', c);
        await h.jobs.insert(first);
        const second = { ...job('same-id', c, 'incremental') };
        const err = await h.jobs.insert(second).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConflictError);
        expect((err as ConflictError).kind).toBe('duplicate_id');
        expect(await h.jobs.get('same-id')).toEqual(first);
        expect(await h.countJobs()).toBe(1);
      });

      it('idempotency: same key and request returns the first job, another request is a conflict', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        const claim = { key: 'k-1', fingerprint: 'f-1' };
        const a = await h.jobs.insert(job('a', c), { idempotency: claim });
        const b = await h.jobs.insert(job('b', c), { idempotency: claim });
        expect(a.created).toBe(true);
        expect(b.created).toBe(false);
        expect(b.job.id).toBe('a');
        expect(await h.jobs.findIdempotencyKey('k-1')).toEqual({ fingerprint: 'f-1', jobId: 'a' });
        const err = await h.jobs.insert(job('c', c), { idempotency: { key: 'k-1', fingerprint: 'f-2' } }).catch((e: unknown) => e);
        expect((err as ConflictError).kind).toBe('idempotency_mismatch');
        expect(await h.jobs.get('c')).toBeNull();
        expect(await h.countJobs()).toBe(1);
        expect(await h.jobs.findIdempotencyKey('other')).toBeNull();
      });

      it('idempotency holds under concurrency: one job for many parallel inserts with one key', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        const claim = { key: 'k-par', fingerprint: 'f' };
        const results = await Promise.all(
          Array.from({ length: 25 }, (_, i) => h.jobs.insert(job(`par-${i}`, c), { idempotency: claim })),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
        expect(await h.countJobs()).toBe(1);
      });

      it('one active job per class: refuses a second active job of the same class, naming the first', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        await h.jobs.insert(job('first', c, 'full'), { oneActivePerClass: true });
        const err = await h.jobs.insert(job('second', c, 'incremental'), { oneActivePerClass: true }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConflictError);
        expect((err as ConflictError).kind).toBe('active_job_exists');
        expect((err as ConflictError).activeJobId).toBe('first');
        expect((err as Error).message).toContain('first');
        // another class, another connector, or the policy off: allowed
        await h.jobs.insert(job('acl', c, 'access_control'), { oneActivePerClass: true });
        const c2 = connector('c2');
        await h.connectors.upsert(c2);
        await h.jobs.insert(job('other-connector', c2, 'full'), { oneActivePerClass: true });
        await h.jobs.insert(job('policy-off', c, 'full'));
        expect(await h.countJobs()).toBe(4);
      });

      it('one active job per class holds under concurrency', async () => {
        const c = connector('c1');
        await h.connectors.upsert(c);
        const settled = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => h.jobs.insert(job(`race-${i}`, c), { oneActivePerClass: true })),
        );
        expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
        for (const s of settled) {
          if (s.status === 'rejected') expect((s.reason as ConflictError).kind).toBe('active_job_exists');
        }
        expect(await h.countJobs()).toBe(1);
      });

      it('no orphans: a job whose connector is gone or soft-deleted at write time is refused', async (ctx) => {
        if (!h.refusesOrphans) ctx.skip();
        const c = connector('c1');
        const j = job('orphan', c);
        expect(await h.jobs.insert(j).catch((e: unknown) => e)).toBeInstanceOf(ConnectorNotFoundError);
        await h.connectors.upsert({ ...c, deleted: true });
        expect(await h.jobs.insert(j).catch((e: unknown) => e)).toBeInstanceOf(ConnectorNotFoundError);
        expect(await h.countJobs()).toBe(0);
      });

      it('keeps its own copy of a job: mutating the input or a read changes nothing stored', async () => {
        const c = connector('c1', { configuration: { k: { value: 'v' } } });
        await h.connectors.upsert(c);
        const j = job('copy', c);
        const inserted = await h.jobs.insert(j);
        j.connector.configuration!.k = 'changed';
        const read = await h.jobs.get('copy');
        expect(read!.connector.configuration).toEqual({ k: { value: 'v' } });
        expect(read!.createdAt).toEqual(NOW);
        for (const out of [read!, inserted.job]) {
          mutate(() => {
            out.connector.configuration!.k = 'changed';
          });
          mutate(() => {
            out.metadata.x = 1;
          });
        }
        const again = await h.jobs.get('copy');
        expect(again!.connector.configuration).toEqual({ k: { value: 'v' } });
        expect(again!.metadata).toEqual({});
        expect(again!.createdAt).toEqual(NOW);
      });
    });

    describeLifecycleContract(() => h);
    describeJobEndContract(() => h);

    describe('create use case on this storage (spec vectors)', () => {
      for (const v of vectors.cases) {
        it(v.name, async () => {
          for (const c of vectorConnectors()) await h.connectors.upsert(c);
          const create = new CreateSyncJob(h.lookup ?? h.connectors, h.jobs, { now: () => NOW }, testIds('vec'));
          const before = await h.countJobs();
          const outcome = await create.execute(v.request).then(
            (j) => ({ ok: true as const, job: j }),
            (e: unknown) => ({ ok: false as const, error: e }),
          );
          if (v.expect.document) {
            if (!outcome.ok) throw outcome.error;
            const stored = await h.jobs.get(outcome.job.id);
            expect(stored).toEqual(outcome.job);
            expect(encodeSyncJobDocument(stored!)).toEqual(expectedDocument(v.expect.document, NOW));
            // byte-for-byte, key order included
            expect(JSON.stringify(encodeSyncJobDocument(stored!))).toBe(
              JSON.stringify(expectedDocument(v.expect.document, NOW)),
            );
          } else {
            expect(outcome.ok).toBe(false);
            const error = (outcome as { error: unknown }).error;
            expect(error).toBeInstanceOf(SyncJobError);
            if (v.expect.error.reason) expect((error as Error).message).toBe(v.expect.error.reason);
            if (v.expect.error.contains) expect(errorText(error)).toContain(v.expect.error.contains);
            expect(await h.countJobs()).toBe(before);
          }
        });
      }
    });
  });
  describeLifecycleModel(name, factory);
}
