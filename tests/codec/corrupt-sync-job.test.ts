import { describe, expect, it } from 'vitest';
import { CorruptSyncJobError, Instant, decodeSyncJobDocument, encodeSyncJobDocument } from '../../src/index.js';
import type { JsonObject } from '../../src/index.js';
import { connector, syncJob } from 'connector-sync-jobs/testing';

const job = syncJob('j-1', connector('c', { indexName: 'i', serviceType: 's', language: null }), {
  createdAt: Instant.parse('2026-11-29T10:00:00.000001Z')!,
});
const good = encodeSyncJobDocument(job);

function corrupt(patch: JsonObject): CorruptSyncJobError {
  try {
    decodeSyncJobDocument('j-1', { ...good, ...patch });
  } catch (e) {
    if (e instanceof CorruptSyncJobError) return e;
    throw e;
  }
  throw new Error('expected CorruptSyncJobError');
}

describe('decoding a stored job checks it', () => {
  it('a valid document decodes', () => {
    expect(decodeSyncJobDocument('j-1', good)).toEqual(job);
    expect(decodeSyncJobDocument('j-1', { ...good, deleted_document_count: 3_000_000_000 }).deletedDocumentCount).toBe(3_000_000_000);
  });

  it('unknown status, job type or trigger method: a typed, non-retryable error naming job and field', () => {
    for (const [field, value] of [
      ['status', 'running'],
      ['status', 5],
      ['job_type', 'nightly'],
      ['trigger_method', 'manual'],
      ['status', 'PENDING'],
    ] as const) {
      const e = corrupt({ [field]: value });
      expect(e).toMatchObject({ code: 'corrupt_sync_job', retryable: false, syncJobId: 'j-1', field });
      expect(e.message).toContain('[j-1]');
      expect(e.message).toContain(`[${field}]`);
    }
  });

  it('negative, fractional or non-numeric counters', () => {
    for (const field of ['deleted_document_count', 'indexed_document_count', 'indexed_document_volume', 'total_document_count']) {
      expect(corrupt({ [field]: -1 }).field).toBe(field);
      expect(corrupt({ [field]: 1.5 }).field).toBe(field);
      expect(corrupt({ [field]: 'many' }).field).toBe(field);
    }
  });

  it('missing connector or created_at, unreadable dates', () => {
    const { connector: _c, ...noConnector } = good;
    expect(() => decodeSyncJobDocument('j-1', noConnector)).toThrow(CorruptSyncJobError);
    expect(corrupt({ created_at: null }).field).toBe('created_at');
    expect(corrupt({ last_seen: 'yesterday' }).field).toBe('last_seen');
  });
});
