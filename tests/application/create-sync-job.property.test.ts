import { Instant, toSyncJobResponse } from '../../src/index.js';
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { MemoryConnectorStore, MemorySyncJobStore } from '../../adapters/memory/index.js';
import {
  ConnectorNotFoundError,
  ConnectorNotSyncableError,
  CreateSyncJob,
  InvalidRequestError,
  SyncJobError,
} from '../../src/index.js';
import type { ConnectorRecord, ConnectorSnapshot, JobType } from '../../src/index.js';
import { fixedClock, mutate, testIds } from 'connector-sync-jobs/testing';
import { connectorArb, invalidRequestArb, syncableConnectorArb, validRequestArb, anyCase } from 'connector-sync-jobs/testing';

const RUNS = { numRuns: 300 };

async function setup(connectors: ConnectorRecord[], now = Instant.parse('2026-11-29T08:00:00.123Z')!) {
  const store = new MemoryConnectorStore();
  for (const c of connectors) await store.upsert(c);
  const jobs = new MemorySyncJobStore(store);
  const create = new CreateSyncJob(store, jobs, fixedClock(now), testIds());
  return { store, jobs, create, now };
}

/** The snapshot rule, written out independently of src/domain/connector.ts. */
function expectedSnapshot(c: ConnectorRecord, jobType: JobType): ConnectorSnapshot {
  const s: ConnectorSnapshot = { id: c.id };
  const first = c.filtering && c.filtering.length > 0 ? c.filtering[0] : undefined;
  if (first && first.active !== null) s.filtering = first.active;
  if (c.indexName !== null) s.indexName = jobType === 'access_control' ? `.search-acl-filter-${c.indexName}` : c.indexName;
  if (c.language !== null) s.language = c.language;
  if (c.pipeline !== null) s.pipeline = c.pipeline;
  if (c.serviceType !== null) s.serviceType = c.serviceType;
  if (c.configuration !== null) s.configuration = c.configuration;
  return s;
}

describe('create: valid requests on syncable connectors', () => {
  test.prop([syncableConnectorArb.chain((c) => fc.tuple(fc.constant(c), validRequestArb(c.id)))], RUNS)(
    'give a pending job with the defaults, the clock instant and the snapshot rule',
    async ([connector, request]) => {
      const { jobs, create, now } = await setup([connector]);
      const job = await create.execute(request.body);
      expect(job.status).toBe('pending');
      expect(job.createdAt.epochMicros).toBe(now.epochMicros);
      expect(job.lastSeen?.epochMicros).toBe(now.epochMicros);
      expect([job.deletedDocumentCount, job.indexedDocumentCount, job.indexedDocumentVolume, job.totalDocumentCount]).toEqual([0, 0, 0, 0]);
      expect(job.metadata).toEqual({});
      expect(job.jobType).toBe(request.jobType);
      expect(job.triggerMethod).toBe(request.triggerMethod);
      for (const absent of [job.cancelationRequestedAt, job.canceledAt, job.completedAt, job.startedAt, job.error, job.workerHostname]) {
        expect(absent).toBeNull();
      }
      expect(job.connector).toStrictEqual(expectedSnapshot(connector, request.jobType));
      expect(await jobs.get(job.id)).toStrictEqual(job);
      expect(jobs.size).toBe(1);
    },
  );

  test.prop([syncableConnectorArb, fc.constantFrom('full', 'incremental', 'access_control', 'on_demand', 'scheduled')], RUNS)(
    'enum values parse case-insensitively and are stored lowercase',
    async (connector, value) => {
      const field = value === 'on_demand' || value === 'scheduled' ? 'trigger_method' : 'job_type';
      const cased = fc.sample(anyCase(value), 1)[0]!;
      const { create } = await setup([connector]);
      const job = await create.execute({ id: connector.id, [field]: cased });
      expect(field === 'job_type' ? job.jobType : job.triggerMethod).toBe(value);
    },
  );

  test.prop([syncableConnectorArb.chain((c) => fc.tuple(fc.constant(c), validRequestArb(c.id)))], { numRuns: 150 })(
    'later changes to the connector never reach the job',
    async ([connector, request]) => {
      const { store, jobs, create } = await setup([connector]);
      const job = await create.execute(request.body);
      const before = toSyncJobResponse((await jobs.get(job.id))!);
      // change everything the snapshot copies, in the store and in the caller's object
      await store.upsert({
        ...connector,
        indexName: 'changed',
        language: 'xx',
        serviceType: 'other',
        configuration: { changed: true },
        pipeline: null,
        filtering: [],
        deleted: true,
      });
      if (connector.configuration) connector.configuration.injected = 1;
      if (connector.filtering?.[0]?.active) connector.filtering[0].active.rules.push({ ...connector.filtering[0].active.rules[0]!, id: 'new' });
      mutate(() => {
        job.connector.language = 'mutated-return-value';
      });
      mutate(() => {
        if (job.connector.configuration) job.connector.configuration.injected = 2;
      });
      expect(toSyncJobResponse((await jobs.get(job.id))!)).toStrictEqual(before);
    },
  );
});

describe('create: failures store nothing', () => {
  test.prop([connectorArb, invalidRequestArb], RUNS)(
    'every invalid request gives InvalidRequestError of the expected kind',
    async (connector, invalid) => {
      const { store, jobs, create } = await setup([connector]);
      const storedBefore = await store.findById(connector.id);
      const error = await create.execute(invalid.body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).kind).toBe(invalid.kind);
      expect((error as InvalidRequestError).code).toBe('invalid_request');
      expect(jobs.size).toBe(0);
      expect(await store.findById(connector.id)).toStrictEqual(storedBefore);
    },
  );

  test.prop([connectorArb, fc.boolean()], RUNS)(
    'missing, deleted or unsyncable connectors give the first failing check, in the spec order',
    async (connector, stored) => {
      const { jobs, create } = await setup(stored ? [connector] : []);
      const outcome = await create.execute({ id: connector.id }).then(
        () => 'created',
        (e: unknown) => e,
      );
      if (!stored || connector.deleted) {
        expect(outcome).toBeInstanceOf(ConnectorNotFoundError);
        expect((outcome as Error).message).toBe(`Connector with id '${connector.id}' does not exist.`);
      } else if (connector.indexName === null || connector.indexName === '') {
        expect((outcome as ConnectorNotSyncableError).reason).toBe('no_index');
      } else if (connector.serviceType === null || connector.serviceType === '') {
        expect((outcome as ConnectorNotSyncableError).reason).toBe('no_service_type');
      } else {
        expect(outcome).toBe('created');
        expect(jobs.size).toBe(1);
        return;
      }
      expect(outcome).toBeInstanceOf(SyncJobError);
      expect(jobs.size).toBe(0);
    },
  );

  test.prop([connectorArb.filter((c) => c.indexName === null || c.indexName === '')], { numRuns: 100 })(
    'access_control on a connector without index is refused (stricter than upstream)',
    async (connector) => {
      const { jobs, create } = await setup([{ ...connector, deleted: false }]);
      const error = await create.execute({ id: connector.id, job_type: 'access_control' }).catch((e: unknown) => e);
      expect((error as ConnectorNotSyncableError).reason).toBe('no_index');
      expect(jobs.size).toBe(0);
    },
  );
});

describe('create: checks run in the spec order (a request breaking two rules reports the first)', () => {
  const cases: [string, unknown, string, ConnectorRecord[]][] = [
    ['wrong type before missing id', { job_type: 5 }, 'wrong_type', []],
    ['unknown field before wrong type', { foo: 1, id: 5 }, 'unknown_field', []],
    ['wrong type before unknown field', { id: 5, foo: 1 }, 'wrong_type', []],
    ['missing id before unknown enum', { job_type: 'nightly' }, 'missing_field', []],
    ['unknown job type before empty id', { id: '', job_type: 'nightly' }, 'failed_to_build', []],
    ['unknown job type before unknown trigger method', { id: 'x', job_type: 'a', trigger_method: 'b' }, 'failed_to_parse_field', []],
    ['empty id before connector lookup', { id: '' }, 'validation', []],
  ];
  for (const [name, body, kind] of cases) {
    test(name, async () => {
      const { create } = await setup([]);
      const error = await create.execute(body).catch((e: unknown) => e);
      expect((error as InvalidRequestError).kind).toBe(kind);
    });
  }

  test.prop([connectorArb], { numRuns: 100 })('not found before no index before no service type', async (c) => {
    const base = { ...c, indexName: null, serviceType: null };
    const deleted = await setup([{ ...base, deleted: true }]);
    expect(await deleted.create.execute({ id: c.id }).catch((e: unknown) => e)).toBeInstanceOf(ConnectorNotFoundError);
    const both = await setup([{ ...base, deleted: false }]);
    expect(((await both.create.execute({ id: c.id }).catch((e: unknown) => e)) as ConnectorNotSyncableError).reason).toBe('no_index');
  });

  test('a whitespace-only id is not empty: it goes to the lookup and is not found', async () => {
    const { create } = await setup([]);
    expect(await create.execute({ id: '   ' }).catch((e: unknown) => e)).toBeInstanceOf(ConnectorNotFoundError);
  });
});
