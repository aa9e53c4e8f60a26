import { describe, expect, it } from 'vitest';
import { MemoryConnectorStore, MemorySyncJobStore } from '../../../adapters/memory/index.js';
import { CreateSyncJob, Instant } from '../../../src/index.js';
import { connector, fixedClock, mutate, testIds } from 'connector-sync-jobs/testing';

const NOW = Instant.parse('2024-01-01T00:00:00Z')!;

describe('memory store: jobs of an unchanged connector share one frozen snapshot', () => {
  it('shares while the connector is unchanged, takes the new values after an upsert, keeps each job its own', async () => {
    const connectors = new MemoryConnectorStore();
    const jobs = new MemorySyncJobStore(connectors);
    const create = new CreateSyncJob(connectors, jobs, fixedClock(NOW), testIds('snap'));
    await connectors.upsert(connector('c1', { configuration: { k: { value: 'v1' } } }));
    const a = await create.execute({ id: 'c1' });
    const b = await create.execute({ id: 'c1', job_type: 'incremental' });
    const acl = await create.execute({ id: 'c1', job_type: 'access_control' });
    const storedA = (await jobs.get(a.id))!;
    const storedB = (await jobs.get(b.id))!;
    const storedAcl = (await jobs.get(acl.id))!;
    // one kept snapshot for the two jobs with the same values, another for the access-control index
    expect(storedB.connector).toBe(storedA.connector);
    expect(storedAcl.connector).not.toBe(storedA.connector);
    expect(storedAcl.connector.indexName).toBe('.search-acl-filter-search-c1');
    expect(storedA.connector.indexName).toBe('search-c1');
    expect(Object.isFrozen(storedA.connector)).toBe(true);
    mutate(() => {
      (b.connector as { indexName?: string }).indexName = 'changed';
    });
    expect((await jobs.get(a.id))!.connector.indexName).toBe('search-c1');

    await connectors.upsert(connector('c1', { configuration: { k: { value: 'v2' } }, language: 'fr' }));
    const c = await create.execute({ id: 'c1' });
    const storedC = (await jobs.get(c.id))!;
    expect(storedC.connector.configuration).toEqual({ k: { value: 'v2' } });
    expect(storedC.connector.language).toBe('fr');
    expect((await jobs.get(a.id))!.connector.configuration).toEqual({ k: { value: 'v1' } });
    expect((await jobs.get(a.id))!.connector.language).toBe('en');
    // a snapshot with the same values but parts not frozen by the store is frozen anew, not shared
    const outside = { ...storedC, id: 'outside', connector: { ...storedC.connector, configuration: { k: { value: 'v2' } } } };
    await jobs.insert(outside);
    outside.connector.configuration.k = { value: 'changed' };
    const storedOutside = (await jobs.get('outside'))!;
    expect(storedOutside.connector).not.toBe(storedC.connector);
    expect(storedOutside.connector.configuration).toEqual({ k: { value: 'v2' } });
  });
});
