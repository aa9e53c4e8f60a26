import { Instant } from '../../src/internal.js';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  decodeConnectorDocument,
  decodeSyncJobDocument,
  encodeConnectorDocument,
  encodeSyncJobDocument,
  newSyncJob,
  toSyncJobResponse,
} from '../../src/internal.js';
import { syncJob, syncableConnectorArb, vectors } from 'connector-sync-jobs/testing';

describe('sync job document codec', () => {
  test.prop([syncableConnectorArb, fc.constantFrom('full', 'incremental', 'access_control' as const), fc.tuple(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2200-01-01') }), fc.integer({ min: 0, max: 999 })).map(([d, us]) => Instant.ofEpochMicros(d.getTime() * 1000 + us))], { numRuns: 200 })(
    'a job survives encode -> JSON -> decode unchanged',
    (connector, jobType, now) => {
      const job = syncJob('some-id', connector, { createdAt: now, jobType, triggerMethod: 'scheduled' });
      const wire = JSON.parse(JSON.stringify(encodeSyncJobDocument(job)));
      expect(decodeSyncJobDocument('some-id', wire)).toStrictEqual(job);
    },
  );

  it('a read is {id, ...document} and the document has no id', () => {
    const c = decodeConnectorDocument('plain', vectors.connectors.plain);
    const job = syncJob('abc', c, { createdAt: Instant.ofEpochMicros(0) });
    const doc = encodeSyncJobDocument(job);
    expect(doc).not.toHaveProperty('id');
    expect(Object.keys(toSyncJobResponse(job))[0]).toBe('id');
    expect(toSyncJobResponse(job)).toEqual({ id: 'abc', ...doc });
    for (const absent of ['cancelation_requested_at', 'canceled_at', 'completed_at', 'started_at', 'error', 'worker_hostname']) {
      expect(doc).not.toHaveProperty(absent);
    }
  });

  test.prop([syncableConnectorArb])('connector documents round-trip', (connector) => {
    const back = decodeConnectorDocument(connector.id, JSON.parse(JSON.stringify(encodeConnectorDocument(connector))));
    expect(back).toStrictEqual({ ...connector, name: null, isNative: false });
  });
});

describe('"__proto__" as a configuration key', () => {
  it('is copied as data into the snapshot and the document, never as a prototype', () => {
    const configuration = JSON.parse('{"__proto__": {"polluted": true}, "a": {"value": 1}}');
    const c = decodeConnectorDocument('p', { index_name: 'i', service_type: 's', configuration });
    const job = newSyncJob('id', { connectorId: 'p', jobType: 'full', triggerMethod: 'on_demand' }, c, Instant.ofEpochMicros(0));
    expect(Object.keys(job.connector.configuration!)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(encodeSyncJobDocument(job).connector)).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(job.connector.configuration)).toBe(Object.prototype);
  });
});

describe('connector setup documents (strict)', () => {
  it('a pipeline needs its four fields with their types, as upstream parses it', () => {
    const ok = { extract_binary_content: true, name: 'p', reduce_whitespace: false, run_ml_inference: false };
    expect(decodeConnectorDocument('c', { pipeline: ok }, { strict: true }).pipeline).toEqual({
      extractBinaryContent: true, name: 'p', reduceWhitespace: false, runMlInference: false,
    });
    const missing = (() => {
      try {
        decodeConnectorDocument('c', { pipeline: { name: 'p' } }, { strict: true });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(missing?.message).toBe('[connector_put_request] failed to parse field [pipeline]');
    expect((missing?.cause as Error).message).toBe('Required [extract_binary_content, reduce_whitespace, run_ml_inference]');
    expect(() => decodeConnectorDocument('c', { pipeline: { ...ok, extract_binary_content: null } }, { strict: true })).toThrow(
      'failed to parse field [pipeline]',
    );
  });
});
