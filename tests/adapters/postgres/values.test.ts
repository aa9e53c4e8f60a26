import { Instant } from '../../../src/internal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectorNotFoundError,
  CreateSyncJob,
  InvalidRequestError,
  SyncJobError,
  UnstorableValueError,
  encodeSnapshot,
  encodeSyncJobDocument,
  newSyncJob,
} from '../../../src/internal.js';
import type { JsonObject, JsonValue, SyncJob } from '../../../src/internal.js';
import { PostgresConnectorStore, PostgresSyncJobStore, postgresStores } from '../../../adapters/postgres/index.js';
import { connector, testIds } from 'connector-sync-jobs/testing';
import { flavours } from './flavours.js';
import type { OpenDatabase } from './flavours.js';

const NOW = Instant.parse('2026-11-29T10:11:12.345Z')!;

function nested(depth: number): JsonValue {
  let v: JsonValue = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { d: v } : [v];
  return v;
}

for (const flavour of flavours) {
  describe.skipIf(!flavour.enabled)(`values on ${flavour.name}`, () => {
    let d: OpenDatabase;
    let connectors: PostgresConnectorStore;
    let jobs: PostgresSyncJobStore;
    let create: CreateSyncJob;
    beforeAll(async () => {
      d = await flavour.open();
      connectors = new PostgresConnectorStore(d.q);
      jobs = new PostgresSyncJobStore(d.q);
      create = new CreateSyncJob(connectors, jobs, { now: () => NOW }, testIds('val'));
    });
    afterAll(async () => {
      await d?.close();
    });
    beforeEach(async () => {
      await d.reset();
    });
    const count = async (table: string) =>
      (await d.q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

    /** Upsert, create a job, read both back: everything must be identical, key order included. */
    async function roundTrip(configuration: JsonObject) {
      // name and isNative read back in the codec's normal form (null / false when not given).
      const c = connector('odd', { configuration, name: null, isNative: false });
      await connectors.upsert(c);
      expect(await connectors.findById('odd')).toEqual(c);
      expect(JSON.stringify((await connectors.findById('odd'))!.configuration)).toBe(JSON.stringify(configuration));
      const job = await create.execute({ id: 'odd' });
      const read = await jobs.get(job.id);
      expect(read).toEqual(job);
      expect(JSON.stringify(encodeSyncJobDocument(read!))).toBe(JSON.stringify(encodeSyncJobDocument(job)));
      expect(read!.connector.configuration).toEqual(configuration);
    }

    it('\\u0000 inside JSON values (configuration) round-trips exactly (json columns keep escapes)', async () => {
      await roundTrip({ nul: { value: 'a\u0000b' }, ['key\u0000']: { value: '\u0000' } });
    });

    it('\\u0000 in a text field is refused at upsert with UnstorableValueError (400), nothing stored', async () => {
      for (const patch of [{ indexName: 'idx\u0000' }, { serviceType: '\u0000' }, { language: 'e\u0000n' }, { name: 'n\u0000' }]) {
        const err = await connectors.upsert(connector('nul', patch)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UnstorableValueError);
        expect(err).toBeInstanceOf(InvalidRequestError);
        expect((err as Error).message).toContain('\\u0000');
      }
      expect(await connectors.upsert(connector('a\u0000b')).catch((e: unknown) => e)).toBeInstanceOf(UnstorableValueError);
      expect(await count('connectors')).toBe(0);
    });

    it('a create naming an id with \\u0000 or a lone surrogate answers 404, never a storage error', async () => {
      for (const id of ['a\u0000b', '\u0000', 'x\ud800', '\udc00y']) {
        const err = await create.execute({ id }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConnectorNotFoundError);
      }
      expect(await jobs.get('a\u0000b')).toBeNull();
      expect(await jobs.findIdempotencyKey('k\u0000')).toBeNull();
    });

    it('an idempotency key with \\u0000 is a 400 (UnstorableValueError), not a 500', async () => {
      await connectors.upsert(connector('c'));
      const err = await create.execute({ id: 'c' }, { idempotencyKey: 'k\u0000' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnstorableValueError);
      expect(await count('sync_jobs')).toBe(0);
    });

    it('emoji, astral characters, RTL and combining marks round-trip in text and JSON', async () => {
      const c = connector('emoji-😀-id', { indexName: 'search-🚀', language: 'עברית', name: 'e\u0301t\u00e9 𝔘𝔫𝔦' });
      await connectors.upsert(c);
      expect(await connectors.findById('emoji-😀-id')).toEqual({ ...c, isNative: false });
      await roundTrip({ '🔑': { value: '👩‍👩‍👧‍👦 \u2028 \u2029 \uFEFF 𝔘' }, 'ключ': { value: 'значение' } });
    });

    it('lone surrogates: kept exactly inside JSON values, refused in text fields', async () => {
      await roundTrip({ lone: { value: 'x\ud800y' }, ['\udfff']: { value: ['\udbff', '\ud83d'] } });
      for (const patch of [{ indexName: 'i\ud800' }, { serviceType: '\udc00' }]) {
        expect(await connectors.upsert(connector('lone', patch)).catch((e: unknown) => e)).toBeInstanceOf(UnstorableValueError);
      }
    });

    it('numbers, nulls, empty containers and key order survive', async () => {
      await roundTrip({
        z: { value: null },
        a: { value: [1, -0.5, 1e300, -1e-300, 123456789012345, Number.MAX_SAFE_INTEGER, 0] },
        m: { value: {}, list: [], nested: [[], [{}], [null]] },
        '': { value: '' },
        '10': { value: true },
        '2': { value: false },
      });
    });

    it('a deep configuration (depth 500) round-trips', async () => {
      await roundTrip({ deep: nested(500) as JsonObject });
    });

    it('a very large configuration (about 8 MB) round-trips', async () => {
      const big: JsonObject = {};
      for (let i = 0; i < 2000; i++) big[`field_${i}`] = { value: 'x'.repeat(4000), order: i };
      await roundTrip(big);
    });

    it('a configuration nested too deep for the database is a typed 400, never a raw driver error', async () => {
      const err = await connectors
        .upsert(connector('too-deep', { configuration: { deep: nested(20000) as JsonObject } }))
        .then(() => 'stored', (e: unknown) => e);
      if (err === 'stored') {
        // The database accepted it: then it must read back and create exactly.
        const job = await create.execute({ id: 'too-deep' });
        expect(await jobs.get(job.id)).toEqual(job);
      } else {
        expect(err).toBeInstanceOf(SyncJobError);
        expect(err).toBeInstanceOf(UnstorableValueError);
        expect(await count('connectors')).toBe(0);
      }
    });

    it('the connector text of each create is its own snapshot, whether the encoding is reused (cached connector) or not', async () => {
      const stored = async (id: string) =>
        (await d.q.query<{ t: string }>('SELECT connector::text AS t FROM sync_jobs WHERE id = $1', [id])).rows[0]!.t;
      const expected = (job: SyncJob) => {
        const { syncCursor: _cursor, ...snapshot } = job.connector;
        return JSON.stringify(encodeSnapshot(snapshot));
      };
      // cached: the second and third creates reuse the first's text; the job type and an update change it
      const cached = postgresStores(d.q);
      const useCase = new CreateSyncJob(cached.lookup, cached.jobs, { now: () => NOW }, testIds('snap'));
      await cached.connectors.upsert(connector('c', { configuration: { a: { value: 1 } }, pipeline: { name: 'p', extractBinaryContent: true, reduceWhitespace: true, runMlInference: false } }));
      const made: SyncJob[] = [];
      made.push(await useCase.execute({ id: 'c' }), await useCase.execute({ id: 'c' }), await useCase.execute({ id: 'c', job_type: 'access_control' }));
      made.push(await useCase.execute({ id: 'c' }));
      await cached.connectors.upsert(connector('c', { configuration: { a: { value: 2 } } }));
      made.push(await useCase.execute({ id: 'c' }), await useCase.execute({ id: 'c' }));
      for (const job of made) expect(await stored(job.id)).toBe(expected(job));
      expect(JSON.parse(await stored(made[2]!.id)).index_name).toBe('.search-acl-filter-search-c');
      expect(JSON.parse(await stored(made[5]!.id)).configuration).toEqual({ a: { value: 2 } });
      // a host's own, mutable connector changed in place between two inserts: never the old text
      const own = connector('own', { configuration: { a: { value: 1 } } });
      await cached.connectors.upsert(own);
      const first = newSyncJob('own-1', { connectorId: 'own', jobType: 'full', triggerMethod: 'on_demand' }, own, NOW);
      await cached.jobs.insert(first);
      (own.configuration!.a as { value: number }).value = 3;
      const second = newSyncJob('own-2', { connectorId: 'own', jobType: 'full', triggerMethod: 'on_demand' }, own, NOW);
      await cached.jobs.insert(second);
      expect(JSON.parse(await stored('own-1')).configuration).toEqual({ a: { value: 1 } });
      expect(JSON.parse(await stored('own-2')).configuration).toEqual({ a: { value: 3 } });
    });
  });
}
