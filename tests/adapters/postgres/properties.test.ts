import { Instant } from '../../../src/internal.js';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { CreateSyncJob, newSyncJob, parseCreateSyncJobRequest } from '../../../src/internal.js';
import type {
  ConnectorRecord,
  FilteringConfig,
  FilteringRules,
  JsonObject,
  JsonValue,
} from '../../../src/internal.js';
import { PostgresConnectorStore, PostgresSyncJobStore, postgresStores, unstorableTextReason } from '../../../adapters/postgres/index.js';
import type { PostgresStores, Queryable } from '../../../adapters/postgres/index.js';
import { testIds } from 'connector-sync-jobs/testing';
import { flavours } from './flavours.js';
import type { OpenDatabase } from './flavours.js';

const NOW = Instant.parse('2026-11-29T10:11:12.345Z')!;

/** Strings a text column holds unchanged (any code point but NUL). */
const text = (min = 0) =>
  fc.string({ unit: 'binary', minLength: min, maxLength: 12 }).filter((s) => unstorableTextReason(s) === null);
/** Strings for JSON values: anything JSON.stringify can write, NUL and lone surrogates included. */
const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\ud800', 'x\udfffy', '😀'));
/** JSON values as they come out of JSON.parse (so -0 is 0). */
const json: fc.Arbitrary<JsonValue> = fc
  .jsonValue({ maxDepth: 4, stringUnit: fc.oneof(fc.constantFrom('\u0000', '\ud800', '😀'), fc.string({ unit: 'binary', maxLength: 1 })) })
  .map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);
// "__proto__" keys are generated too (fc.jsonValue makes them): they are data, kept as own keys.
const jsonObject: fc.Arbitrary<JsonObject> = fc
  .dictionary(fc.oneof(anyString, fc.constant('__proto__')), json, { maxKeys: 5 })
  .map((v) => JSON.parse(JSON.stringify(v)) as JsonObject);

const rules: fc.Arbitrary<FilteringRules> = fc.record({
  advancedSnippet: fc.option(
    fc.record({ createdAt: fc.option(text()), updatedAt: fc.option(text()), value: json }),
  ),
  rules: fc.array(
    fc.record({
      createdAt: fc.option(text()),
      field: fc.option(text()),
      id: fc.option(text()),
      order: fc.option(fc.integer()),
      policy: fc.option(text()),
      rule: fc.option(text()),
      updatedAt: fc.option(text()),
      value: fc.option(text()),
    }),
    { maxLength: 3 },
  ),
  validation: fc.option(
    fc.record({
      errors: fc.array(fc.record({ ids: fc.array(text(), { maxLength: 2 }), messages: fc.array(text(), { maxLength: 2 }) }), {
        maxLength: 2,
      }),
      state: fc.option(text()),
    }),
  ),
});
const filtering: fc.Arbitrary<FilteringConfig> = fc.record({
  domain: fc.option(text()),
  active: fc.option(rules),
  draft: fc.option(rules),
});

let seq = 0;
const connectorArb = (syncable: boolean): fc.Arbitrary<ConnectorRecord> =>
  fc
    .record({
      id: text(1),
      indexName: syncable ? text(1) : fc.option(text(), { nil: null }),
      serviceType: syncable ? text(1) : fc.option(text(), { nil: null }),
      language: fc.option(text()),
      pipeline: fc.option(
        fc.record({ extractBinaryContent: fc.boolean(), name: text(), reduceWhitespace: fc.boolean(), runMlInference: fc.boolean() }),
      ),
      configuration: fc.option(jsonObject),
      filtering: fc.option(fc.array(filtering, { maxLength: 2 })),
      deleted: syncable ? fc.constant(false) : fc.boolean(),
      name: fc.option(text()),
      isNative: fc.boolean(),
    })
    // a fresh id per run (ids may repeat across generated values)
    .map((c) => ({ ...c, id: `${c.id}#${++seq}` }))
    .filter((c) => syncable || c.deleted || !c.indexName || !c.serviceType);

/** A valid request for the connector: enums in any case, optional fields left out at random. */
const validRequest = (id: string) =>
  fc
    .record(
      {
        job_type: fc.constantFrom('full', 'incremental', 'access_control', 'FULL', 'Incremental', 'ACCESS_CONTROL'),
        trigger_method: fc.constantFrom('on_demand', 'scheduled', 'ON_DEMAND', 'Scheduled'),
      },
      { requiredKeys: [] },
    )
    .map((r) => ({ id, ...r }) as JsonObject);

const invalidRequest = (id: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.constant([id]),
    fc.constant({}),
    fc.constant({ id: '' }),
    fc.record({ id: fc.constant(id), extra: json }),
    fc.record({ id: fc.constant(id), job_type: fc.string().filter((s) => !['full', 'incremental', 'access_control'].includes(s.toLowerCase())) }),
    fc.record({ id: fc.constant(id), trigger_method: fc.oneof(fc.constant(null), fc.integer(), fc.constant('sometimes')) }),
    fc.record({ id: fc.oneof(fc.integer(), fc.constant(null), fc.boolean()) }),
  );

for (const flavour of flavours) {
  describe.skipIf(!flavour.enabled)(`properties on ${flavour.name}`, () => {
    let d: OpenDatabase;
    let connectors: PostgresConnectorStore;
    let jobs: PostgresSyncJobStore;
    let create: CreateSyncJob;
    const runs = flavour.name === 'PGlite' ? 60 : 100;
    beforeAll(async () => {
      d = await flavour.open();
      connectors = new PostgresConnectorStore(d.q);
      jobs = new PostgresSyncJobStore(d.q);
      create = new CreateSyncJob(connectors, jobs, { now: () => NOW }, testIds('prop'));
    });
    afterAll(async () => {
      await d?.close();
    });

    const tables = async () =>
      (
        await d.q.query(
          `SELECT (SELECT count(*)::int FROM sync_jobs) AS jobs, (SELECT count(*)::int FROM connectors) AS connectors,
                  (SELECT count(*)::int FROM sync_job_idempotency) AS keys,
                  (SELECT md5(coalesce(string_agg(c::text, ',' ORDER BY id), '')) FROM connectors c) AS connectors_hash`,
        )
      ).rows[0];

    test.prop([connectorArb(true).chain((c) => fc.tuple(fc.constant(c), validRequest(c.id)))], { numRuns: runs })(
      'any syncable connector and valid request round-trip to an identical job',
      async ([c, request]) => {
        // (not asserting 'created': fast-check replays the same value while shrinking)
        await connectors.upsert(c);
        expect(await connectors.findById(c.id)).toEqual(c);
        const job = await create.execute(request);
        const expected = newSyncJob(job.id, parseCreateSyncJobRequest(request), c, NOW);
        expect(job).toEqual(expected);
        const read = await jobs.get(job.id);
        expect(read).toEqual(expected);
        expect(read!.createdAt.epochMicros).toBe(NOW.epochMicros);
        expect(read!.lastSeen!.epochMicros).toBe(NOW.epochMicros);
      },
    );

    test.prop([connectorArb(true).chain((c) => fc.tuple(fc.constant(c), invalidRequest(c.id)))], { numRuns: runs })(
      'an invalid request leaves both tables unchanged',
      async ([c, request]) => {
        await connectors.upsert(c);
        const before = await tables();
        await expect(create.execute(request)).rejects.toThrow();
        expect(await tables()).toEqual(before);
      },
    );

    test.prop([connectorArb(false).chain((c) => fc.tuple(fc.constant(c), validRequest(c.id)))], { numRuns: runs })(
      'an unsyncable (no index, no service type, soft-deleted) connector leaves both tables unchanged',
      async ([c, request]) => {
        await connectors.upsert(c);
        const before = await tables();
        await expect(create.execute(request)).rejects.toThrow();
        expect(await tables()).toEqual(before);
      },
    );
  });
}

/** `q` with every statement counted (a transaction: its statements plus BEGIN and COMMIT). */
function counting(q: Queryable): { q: Queryable; statements: () => number } {
  let n = 0;
  const counted: Queryable = {
    query: (text, params) => {
      n++;
      return q.query(text, params);
    },
    exec: (sql) => {
      n++;
      return q.exec(sql);
    },
    transaction: (fn, options) => {
      n += 2;
      return q.transaction((tx) => fn({ query: (t, p) => (n++, tx.query(t, p)), exec: (s) => (n++, tx.exec(s)) }), options);
    },
  };
  return { q: counted, statements: () => n };
}

/** What the domain makes of `request` on `connector` (the job, or the error it throws). */
function domainOutcome(id: string, request: JsonObject, connector: ConnectorRecord | null): { job: unknown } | { error: unknown } {
  try {
    return { job: newSyncJob(id, parseCreateSyncJobRequest(request), connector, NOW) };
  } catch (error) {
    return { error };
  }
}

/** Another process's view of a connector write: soft delete, hard delete, or a PUT of anything (syncable or not). */
const otherWrite = (id: string) =>
  fc.oneof(
    fc.constant({ kind: 'soft delete' as const }),
    fc.constant({ kind: 'hard delete' as const }),
    fc.oneof(connectorArb(true), connectorArb(false)).map((c) => ({ kind: 'put' as const, connector: { ...c, id } })),
  );

for (const flavour of flavours) {
  describe.skipIf(!flavour.enabled)(`one-statement create (connector cache) on ${flavour.name}`, () => {
    let d: OpenDatabase;
    let counted: ReturnType<typeof counting>;
    let mine: PostgresStores;
    let other: PostgresStores;
    let create: CreateSyncJob;
    const runs = flavour.name === 'PGlite' ? 40 : 60;
    beforeAll(async () => {
      d = await flavour.open();
      counted = counting(d.q);
      mine = postgresStores(counted.q);
      // a second process on the same database: its own stores and cache
      other = postgresStores(d.q);
      create = new CreateSyncJob(mine.lookup, mine.jobs, { now: () => NOW }, testIds('cached'));
    });
    afterAll(async () => {
      await d?.close();
    });

    test.prop([connectorArb(true).chain((c) => fc.tuple(fc.constant(c), validRequest(c.id), validRequest(c.id)))], { numRuns: runs })(
      'a cached connector: the create is ONE statement and stores exactly the domain job for the same inputs',
      async ([c, warm, request]) => {
        await other.connectors.upsert(c);
        await create.execute(warm); // reads the connector, keeps it once the insert committed
        const before = counted.statements();
        const job = await create.execute(request);
        expect(counted.statements() - before).toBe(1);
        const expected = newSyncJob(job.id, parseCreateSyncJobRequest(request), c, NOW);
        expect(job).toEqual(expected);
        expect(await mine.jobs.get(job.id)).toEqual(expected);
      },
    );

    test.prop(
      [connectorArb(true).chain((c) => fc.tuple(fc.constant(c), validRequest(c.id), validRequest(c.id), otherWrite(c.id)))],
      { numRuns: runs },
    )(
      'another process writes the connector after it was cached: the create sees the row as stored (job or error, as the domain decides)',
      async ([c, warm, request, write]) => {
        await other.connectors.upsert(c);
        await create.execute(warm);
        let stored: ConnectorRecord | null;
        if (write.kind === 'put') {
          await other.connectors.upsert(write.connector);
          stored = write.connector;
        } else {
          await other.connectors.delete(c.id, { hard: write.kind === 'hard delete' });
          stored = write.kind === 'hard delete' ? null : { ...c, deleted: true };
        }
        const jobsBefore = (await d.q.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_jobs')).rows[0]!.n;
        const outcome = await create.execute(request).then(
          (job) => ({ job }),
          (error: unknown) => ({ error }),
        );
        const id = 'job' in outcome ? outcome.job.id : 'none';
        const expected = domainOutcome(id, request, stored);
        if ('error' in expected) {
          expect('error' in outcome).toBe(true);
          const error = (outcome as { error: Error }).error;
          expect(error.constructor).toBe((expected.error as Error).constructor);
          expect(error.message).toBe((expected.error as Error).message);
          expect((await d.q.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_jobs')).rows[0]!.n).toBe(jobsBefore);
        } else {
          expect(outcome).toEqual(expected);
          expect(await mine.jobs.get(id)).toEqual(expected.job);
        }
      },
    );

    test.prop([fc.array(connectorArb(true), { minLength: 3, maxLength: 8 })], { numRuns: 5 })(
      'the cache is bounded: it keeps at most its size in connectors',
      async (cs) => {
        const small = postgresStores(d.q, { connectorCacheSize: 2 });
        const smallCreate = new CreateSyncJob(small.lookup, small.jobs, { now: () => NOW }, testIds('small'));
        for (const c of cs) {
          await small.connectors.upsert(c);
          await smallCreate.execute({ id: c.id });
          await smallCreate.execute({ id: c.id });
          expect(small.lookup.cache.size).toBeLessThanOrEqual(2);
        }
        expect(small.lookup.cache.size).toBe(2);
      },
    );
  });
}
