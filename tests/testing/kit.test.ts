/**
 * The testing kit's own helpers (src/testing, imported as a host does): the delegating stub
 * stores, the job arbitrary and the shipped spec vectors. The contract suites themselves run in
 * every adapter's contract test file and, from the installed package, in tests/package.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryConnectorStore, MemorySyncJobStore } from 'connector-sync-jobs/adapters/memory';
import { decodeSyncJobDocument, encodeSyncJobDocument, Instant } from 'connector-sync-jobs';
import {
  connector,
  delegatingConnectorStore,
  delegatingSyncJobStore,
  syncJob,
  syncJobArb,
  vectorConnectors,
  vectors,
} from 'connector-sync-jobs/testing';

const NOW = Instant.parse('2026-11-29T10:00:00Z')!;

describe('delegatingSyncJobStore / delegatingConnectorStore', () => {
  it('forward every method to the base store', async () => {
    const baseConnectors = new MemoryConnectorStore();
    const baseJobs = new MemorySyncJobStore(baseConnectors);
    const connectors = delegatingConnectorStore(baseConnectors);
    const jobs = delegatingSyncJobStore(baseJobs);
    expect(await connectors.upsert(connector('c1'))).toBe('created');
    expect((await baseConnectors.findById('c1'))?.indexName).toBe('search-c1');
    const job = syncJob('job-1-xxxxxxxxxxxxxxx', connector('c1'), { createdAt: NOW });
    await jobs.insert(job);
    expect((await jobs.get(job.id))?.id).toBe(job.id);
    expect((await jobs.list({ from: 0, size: 10 })).count).toBe(1);
    expect(await jobs.delete(job.id)).toBe(true);
    expect(baseJobs.size).toBe(0);
    await connectors.delete('c1', { hard: true });
    expect(await connectors.findById('c1')).toBeNull();
  });

  it('use the overrides instead, leaving the base untouched', async () => {
    const base = new MemorySyncJobStore();
    const down = new Error('down');
    const jobs = delegatingSyncJobStore(base, { get: async () => Promise.reject(down) });
    await expect(jobs.get('x')).rejects.toBe(down);
    expect(await base.get('x')).toBeNull();
    const connectors = delegatingConnectorStore(new MemoryConnectorStore(), { findById: async () => connector('any') });
    expect((await connectors.findById('zzz'))?.id).toBe('any');
  });
});

describe('syncJobArb', () => {
  it('makes pending jobs the codec round-trips', () => {
    fc.assert(
      fc.property(syncJobArb, (job) => {
        expect(job.status).toBe('pending');
        expect(job.id).toMatch(/^[A-Za-z0-9_-]{20}$/);
        expect(job.connector.id).toBeTypeOf('string');
        const again = decodeSyncJobDocument(job.id, JSON.parse(JSON.stringify(encodeSyncJobDocument(job))));
        expect(JSON.stringify(again)).toBe(JSON.stringify(job));
      }),
      { numRuns: 50 },
    );
  });
});

describe('the shipped spec vectors', () => {
  it('hold the worked examples and decode their connectors', () => {
    expect(vectors.cases.length).toBeGreaterThan(5);
    expect(vectorConnectors().map((c) => c.id).sort()).toEqual(Object.keys(vectors.connectors).sort());
  });
});
