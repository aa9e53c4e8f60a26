import { describe, expect, it } from 'vitest';
import { MemoryConnectorStore, MemorySyncJobStore } from 'connector-sync-jobs/adapters/memory';
import { Instant } from 'connector-sync-jobs';
import { connector, syncJob } from 'connector-sync-jobs/testing';

describe('memory list count', () => {
  it("is upstream's: exact up to 10,000, then 10,000", async () => {
    const connectors = new MemoryConnectorStore();
    const jobs = new MemorySyncJobStore(connectors);
    const c = connector('c1');
    await connectors.upsert(c);
    const t0 = Instant.parse('2026-01-01T00:00:00Z')!;
    for (let i = 0; i < 10_000; i++) await jobs.insert(syncJob(`j-${i}`, c, { createdAt: t0.plusMicros(i) }));
    expect((await jobs.list({ from: 0, size: 1 })).count).toBe(10_000);
    await jobs.insert(syncJob('one-more', c, { createdAt: t0.plusMicros(-1), status: 'completed' }));
    expect((await jobs.list({ from: 0, size: 1 })).count).toBe(10_000);
    expect((await jobs.list({ from: 0, size: 1, status: 'completed' })).count).toBe(1);
    expect((await jobs.list({ from: 0, size: 1, connectorId: 'c1', status: 'pending' })).count).toBe(10_000);
  });
});
