import { Instant } from '../src/index.js';
import { describe, expect, it } from 'vitest';
import { Container } from 'inversify';
import { memoryModule } from '../adapters/memory/index.js';
import {
  CreateSyncJob,
  TOKENS,
  closeContainer,
  coreModule,
  createContainer,
  initializeContainer,
} from '../src/index.js';
import type { ConnectorStore, GetSyncJob, SyncJobStore } from '../src/index.js';
import { connector, fixedClock } from 'connector-sync-jobs/testing';

describe('Inversify wiring', () => {
  it('createContainer resolves the use cases on the memory adapter', async () => {
    const container = createContainer(memoryModule());
    await initializeContainer(container);
    await container.get<ConnectorStore>(TOKENS.ConnectorStore).upsert(connector('c1'));
    const create = container.get<CreateSyncJob>(TOKENS.CreateSyncJob);
    expect(create).toBeInstanceOf(CreateSyncJob);
    const job = await create.execute({ id: 'c1' });
    expect(job.id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await container.get<GetSyncJob>(TOKENS.GetSyncJob).execute(job.id)).toEqual(job);
    expect(container.get(TOKENS.ConnectorLookup)).toBe(container.get(TOKENS.ConnectorStore));
    await closeContainer(container);
  });

  it('closeContainer closes every closeable even when one fails, then rethrows', async () => {
    const closed: string[] = [];
    const boom = new Error('queue cannot unregister: database down');
    const container = createContainer(memoryModule());
    container.bind(TOKENS.Closeable).toConstantValue({ close: async () => void closed.push('pool') });
    container.bind(TOKENS.Closeable).toConstantValue({
      close: async () => {
        closed.push('queue');
        throw boom;
      },
    });
    await expect(closeContainer(container)).rejects.toBe(boom);
    expect(closed).toEqual(['queue', 'pool']);

    const two = createContainer(memoryModule());
    for (const name of ['a', 'b']) two.bind(TOKENS.Closeable).toConstantValue({ close: async () => Promise.reject(new Error(name)) });
    const error = await closeContainer(two).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['b', 'a']);
  });

  it("a host loads the modules into its own container, with the policy and its own clock", async () => {
    const host = new Container();
    const now = Instant.parse('2030-01-01T00:00:00Z')!;
    host.load(coreModule({ oneActiveJobPerClass: true, clock: fixedClock(now) }), memoryModule());
    await host.get<ConnectorStore>(TOKENS.ConnectorStore).upsert(connector('c1'));
    const create = host.get<CreateSyncJob>(TOKENS.CreateSyncJob);
    const first = await create.execute({ id: 'c1' });
    expect(first.createdAt).toEqual(now);
    await expect(create.execute({ id: 'c1', job_type: 'incremental' })).rejects.toMatchObject({
      code: 'conflict',
      kind: 'active_job_exists',
      activeJobId: first.id,
    });
    expect(await create.execute({ id: 'c1', job_type: 'access_control' })).toMatchObject({ jobType: 'access_control' });
  });

  it('idempotency keys: same key and request -> same job; other request -> conflict', async () => {
    const container = createContainer(memoryModule());
    await container.get<ConnectorStore>(TOKENS.ConnectorStore).upsert(connector('c1'));
    const create = container.get<CreateSyncJob>(TOKENS.CreateSyncJob);
    const a = await create.execute({ id: 'c1' }, { idempotencyKey: 'k' });
    const b = await create.execute({ id: 'c1', job_type: 'FULL' }, { idempotencyKey: 'k' });
    expect(b.id).toBe(a.id);
    await expect(create.execute({ id: 'c1', job_type: 'incremental' }, { idempotencyKey: 'k' })).rejects.toMatchObject({
      kind: 'idempotency_mismatch',
    });
    await expect(create.execute({ id: 'c1' }, { idempotencyKey: '' })).rejects.toMatchObject({ code: 'invalid_request' });
    const results = await Promise.all(Array.from({ length: 20 }, () => create.execute({ id: 'c1' }, { idempotencyKey: 'par' })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((container.get<SyncJobStore>(TOKENS.SyncJobStore) as unknown as { size: number }).size).toBe(2);
  });
});
