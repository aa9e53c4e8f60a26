/**
 * A lifecycle plan in ONE statement (`PostgresSyncJobStore.apply`, the plan compiled to a guarded
 * UPDATE with the JSON merge function of migration 6) writes exactly what the domain's
 * `applyPlan` gives. A property test on both flavours: a random stored job (any status, metadata
 * and sync cursor of nested objects, arrays, nulls and odd strings, the cursor in its column or,
 * as rows written before migration 3, inside the snapshot text) and a random plan (the
 * sweeper's with its `last_seen` guard included); the returned and the stored job equal
 * `applyPlan(stored, plan)` (and the codec's document of both is the same text, key order
 * included), a refused plan throws the same error and writes nothing, and the common case is
 * one statement.
 */
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Instant,
  SYNC_STATUSES,
  UnstorableValueError,
  applyPlan,
  cancelSyncJobPlan,
  checkInSyncJobPlan,
  claimSyncJobPlan,
  encodeSyncJobDocument,
  errorSyncJobPlan,
  newSyncJob,
  sweepIdleSyncJobPlan,
  sweepOrphanedSyncJobPlan,
  updateSyncJobStatsPlan,
} from '../../../src/internal.js';
import type { JsonObject, JsonValue, SyncJob, SyncJobPlan, SyncJobUpdate } from '../../../src/internal.js';
import { PLAIN } from '../../../adapters/postgres/columns/job-columns.js';
import { readAndApplySyncJobPlan } from '../../../adapters/postgres/sql/read-and-apply-sync-job-plan.js';
import { writesSyncInfo } from '../../../src/internal.js';
import { MAX_SQL_MERGE_DEPTH, PostgresConnectorStore, PostgresSyncJobStore, unstorableTextReason } from '../../../adapters/postgres/index.js';
import type { Queryable, SqlExecutor } from '../../../adapters/postgres/index.js';
import { connector } from 'connector-sync-jobs/testing';
import { flavours } from './flavours.js';
import type { OpenDatabase } from './flavours.js';

const T0 = Instant.parse('2026-11-29T10:11:12.345678Z')!;

/** Strings for JSON keys and values: NUL, lone surrogates (which make json_each fail: the store then takes update's path), emoji. */
const anyString = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('\u0000', '\ud800', '😀', '__proto__', '1', '0', 'a'));
const json: fc.Arbitrary<JsonValue> = fc
  .jsonValue({ maxDepth: 3, stringUnit: fc.oneof(fc.constantFrom('\u0000', '\ud800', '😀'), fc.string({ unit: 'binary', maxLength: 1 })) })
  .map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);
/** Objects with few keys from a small alphabet, so changes and stored values share keys (and merge). */
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('a', 'b', 'c', '1', '__proto__') }, { weight: 1, arbitrary: anyString });
const jsonObject: fc.Arbitrary<JsonObject> = fc
  .letrec<{ obj: JsonObject; value: JsonValue }>((tie) => ({
    obj: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    value: fc.oneof({ depthSize: 'small' }, json, tie('obj'), fc.array(tie('value'), { maxLength: 2 }), fc.constant(null)),
  }))
  .obj.map((v) => JSON.parse(JSON.stringify(v)) as JsonObject);
/** Text for text columns: mostly storable, sometimes not (NUL: UnstorableValueError, the same on both paths). */
const text = fc.oneof({ weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }).filter((s) => unstorableTextReason(s) === null) }, { weight: 1, arbitrary: fc.constant('a\u0000') });
const instant = fc.integer({ min: 0, max: 3_000_000_000_000 }).map((m) => T0.plusMicros(m - 1_500_000_000_000));
const counter = fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER));

const commandArb: fc.Arbitrary<[string, (now: Instant) => SyncJobPlan]> = fc.oneof(
  fc.constant(['cancel', (now: Instant) => cancelSyncJobPlan(now)] as [string, (now: Instant) => SyncJobPlan]),
  fc.constant(['check-in', (now: Instant) => checkInSyncJobPlan(now)] as [string, (now: Instant) => SyncJobPlan]),
  fc
    .record({ workerHostname: text, syncCursor: fc.option(jsonObject, { nil: undefined }) }, { requiredKeys: ['workerHostname'] })
    .map((c) => ['claim', (now: Instant) => claimSyncJobPlan(c, now)] as [string, (now: Instant) => SyncJobPlan]),
  text.map((error) => ['error', (now: Instant) => errorSyncJobPlan({ error }, now)] as [string, (now: Instant) => SyncJobPlan]),
  fc
    .record(
      {
        deletedDocumentCount: counter,
        indexedDocumentCount: counter,
        indexedDocumentVolume: counter,
        totalDocumentCount: counter,
        lastSeen: instant,
        metadata: jsonObject,
      },
      { requiredKeys: ['deletedDocumentCount', 'indexedDocumentCount', 'indexedDocumentVolume'] },
    )
    .map((c) => ['stats', (now: Instant) => updateSyncJobStatsPlan(c, now)] as [string, (now: Instant) => SyncJobPlan]),
  fc.constant(['sweep orphaned', (now: Instant) => sweepOrphanedSyncJobPlan(now)] as [string, (now: Instant) => SyncJobPlan]),
  instant.map((idleBefore) => ['sweep idle', (now: Instant) => sweepIdleSyncJobPlan(idleBefore, now)] as [string, (now: Instant) => SyncJobPlan]),
);

const storedArb = fc.record({
  status: fc.constantFrom(...SYNC_STATUSES),
  /** Mostly an object; anything else (a row no writer of this library makes) reads as `{}`. */
  metadata: fc.oneof({ weight: 4, arbitrary: jsonObject }, { weight: 1, arbitrary: json }),
  /** undefined: no cursor; otherwise any JSON (a non-object cursor is replaced by a claim's). */
  cursor: fc.option(fc.oneof(jsonObject, json), { nil: undefined }),
  /** The cursor inside the snapshot text with a NULL column, as rows written before migration 3. */
  legacyCursor: fc.boolean(),
  workerHostname: fc.option(text.filter((s) => unstorableTextReason(s) === null), { nil: null }),
  lastSeen: fc.option(instant, { nil: null }),
  now: instant,
});

type Stored = typeof storedArb extends fc.Arbitrary<infer T> ? T : never;

/** A Queryable that counts statements (transactions included). */
function counting(q: Queryable): { q: Queryable; count: () => number } {
  let n = 0;
  const wrap = (x: SqlExecutor): SqlExecutor => ({
    query: (t, p) => {
      n++;
      return x.query(t, p);
    },
    exec: (sql) => x.exec(sql),
  });
  return { q: { ...wrap(q), transaction: (fn) => q.transaction((tx) => fn(wrap(tx))) }, count: () => n };
}

const hasUnstorableKeyOrString = (v: unknown): boolean => JSON.stringify(v ?? null).match(/\\u0000|\\ud[89ab]|\\ud[c-f]/i) !== null;

async function outcome<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

for (const flavour of flavours) {
  describe.skipIf(!flavour.enabled)(`lifecycle commands in one statement on ${flavour.name}`, () => {
    let d: OpenDatabase;
    let counted: ReturnType<typeof counting>;
    let jobs: PostgresSyncJobStore;
    let seq = 0;
    beforeAll(async () => {
      d = await flavour.open();
      await new PostgresConnectorStore(d.q).upsert(connector('c1'));
      counted = counting(d.q);
      jobs = new PostgresSyncJobStore(counted.q);
    });
    afterAll(async () => {
      await d?.close();
    });

    /** Stores a job as `s` describes (through update and, for a legacy cursor, raw SQL) and reads it back. */
    async function store(s: Stored): Promise<SyncJob> {
      const id = `p-${++seq}`;
      await jobs.insert(newSyncJob(id, { connectorId: 'c1', jobType: 'full', triggerMethod: 'on_demand' }, connector('c1'), T0));
      await d.q.query(
        `UPDATE sync_jobs SET status = $2, metadata = $3::text::json, worker_hostname = $4, last_seen = $5::timestamptz,
                sync_cursor = CASE WHEN $6 THEN NULL ELSE $7::text::json END,
                connector = CASE WHEN $6 THEN json_build_object('id', 'c1', 'sync_cursor', $7::text::json) ELSE connector END
         WHERE id = $1`,
        [
          id,
          s.status,
          JSON.stringify(s.metadata),
          s.workerHostname,
          s.lastSeen?.toString() ?? null,
          s.legacyCursor,
          s.cursor === undefined ? null : JSON.stringify(s.cursor),
        ],
      );
      return (await jobs.get(id))!;
    }

    test.prop([storedArb, commandArb], { numRuns: flavour.name === 'PGlite' ? 150 : 250 })(
      'the one statement writes what applyPlan gives (or refuses as it does, writing nothing)',
      async (s, [, make]) => {
        const stored = await store(s);
        const plan = make(s.now);
        const expected = await outcome(Promise.resolve().then((): SyncJobUpdate => applyPlan(stored, plan)));
        const before = counted.count();
        const got = await outcome(jobs.apply(stored.id, plan));
        const statements = counted.count() - before;
        const after = await jobs.get(stored.id);
        if (expected.ok && got.ok) {
          expect(got.value).toEqual(expected.value);
          expect(after).toEqual(expected.value.job);
          expect(JSON.stringify(encodeSyncJobDocument(after!))).toBe(JSON.stringify(encodeSyncJobDocument(expected.value.job)));
          const merged = [plan.merge.metadata, plan.merge.syncCursor, s.metadata, s.cursor];
          // a plan that writes the connector's sync info runs in a transaction with it; any other is one statement
          if (expected.value.result === 'updated' && !writesSyncInfo(plan) && !merged.some(hasUnstorableKeyOrString)) expect(statements).toBe(1);
        } else if (!expected.ok && !got.ok) {
          expect((got.error as Error).constructor).toBe((expected.error as Error).constructor);
          expect((got.error as Error).message).toBe((expected.error as Error).message);
          expect(after).toEqual(stored);
        } else if (expected.ok && !got.ok) {
          // only what the storage refuses after applyPlan: a text PostgreSQL cannot hold (the read-and-apply path does the same)
          expect(got.error).toBeInstanceOf(UnstorableValueError);
          expect(await outcome(readAndApplySyncJobPlan(d.q, () => PLAIN, stored.id, plan))).toMatchObject({ ok: false });
          expect(after).toEqual(stored);
        } else {
          expect.fail(`applyPlan refused (${String((expected as { error: unknown }).error)}) but the statement wrote`);
        }
      },
    );

    it('a merge nested deeper than MAX_SQL_MERGE_DEPTH takes the JavaScript path (the SQL merge would exhaust the stack; PGlite PANICs)', async () => {
      const deep = (levels: number): JsonObject => {
        let v: JsonObject = { leaf: 1 };
        for (let i = 1; i < levels; i++) v = { k: v };
        return v;
      };
      const stored = await store({ status: 'in_progress', metadata: {}, cursor: undefined, legacyCursor: false, workerHostname: 'w', lastSeen: null, now: T0 });
      const stats = (metadata: JsonObject) => updateSyncJobStatsPlan({ deletedDocumentCount: 0, indexedDocumentCount: 1, indexedDocumentVolume: 2, metadata }, T0);
      // at the bound: one statement, merged in SQL
      let before = counted.count();
      await jobs.apply(stored.id, stats(deep(MAX_SQL_MERGE_DEPTH)));
      expect(counted.count() - before).toBe(1);
      // 300 levels, twice (the second merges into the first): the fallback, and the database still answers
      let expected: SyncJob | undefined;
      for (let i = 0; i < 2; i++) {
        before = counted.count();
        const plan = stats(deep(300));
        expected = applyPlan((await jobs.get(stored.id))!, plan).job;
        expect(await jobs.apply(stored.id, plan)).toEqual({ job: expected, result: 'updated' });
        expect(counted.count() - before).toBeGreaterThan(1);
      }
      expect(await jobs.get(stored.id)).toEqual(expected);
      expect((await d.q.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_jobs')).rows[0]!.n).toBeGreaterThan(0);
    });

    it('a missing job is null, in one statement and one read', async () => {
      const before = counted.count();
      expect(await jobs.apply('nope', checkInSyncJobPlan(T0))).toBeNull();
      expect(counted.count() - before).toBe(2);
    });

    it('a refused transition reads once (the locking read of its transaction: cancel may end a job) and throws upstream\'s message, writing nothing', async () => {
      const stored = await store({ status: 'completed', metadata: {}, cursor: undefined, legacyCursor: false, workerHostname: null, lastSeen: null, now: T0 });
      const before = counted.count();
      await expect(jobs.apply(stored.id, cancelSyncJobPlan(T0))).rejects.toThrow(
        'Invalid transition attempt from [completed] to [canceling]. Such a ConnectorSyncStatus transition is not supported by the Connector Protocol.',
      );
      expect(counted.count() - before).toBe(1);
      expect(await jobs.get(stored.id)).toEqual(stored);
    });
  });
}
