/**
 * Model-based test of the whole lifecycle: random sequences of create, get, list,
 * claim, check-in, stats, error, cancel and delete, through the use cases on a real store,
 * checked after every step against a pure model written here from the spec (the oracle's
 * transition table and its own rules, not the domain's code). fast-check `fc.commands` + `asyncModelRun`: seeded
 * (MODEL_SEED, default fixed) and shrinkable (a failure prints the shortest sequence).
 * `describeStoreContract` runs it for every adapter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CancelSyncJob,
  CheckInSyncJob,
  ClaimNextSyncJob,
  ClaimSyncJob,
  CreateSyncJob,
  DeleteSyncJob,
  ErrorSyncJob,
  GetSyncJob,
  Instant,
  InvalidTransitionError,
  ListSyncJobs,
  SweepSyncJobs,
  SyncJobNotFoundError,
  UpdateSyncJobStats,
  CompleteSyncJob,
  SuspendSyncJob,
} from '../index.js';
import type { ConnectorStore, JsonObject, SyncJob } from '../index.js';
import { connector, steppingClock, syncInfoView } from './fixtures.js';
import type { StoreHarness } from './harness.js';
import { specAllows } from './oracle.js';

type Status = 'pending' | 'in_progress' | 'canceling' | 'canceled' | 'completed' | 'suspended' | 'error';
type JobType = 'full' | 'incremental' | 'access_control';

interface ModelJob {
  id: string;
  seq: number;
  connectorId: string;
  jobType: JobType;
  status: Status;
  workerHostname: string | null;
  error: string | null;
  deleted: number;
  indexed: number;
  volume: number;
  total: number;
  metadata: JsonObject;
  syncCursor: JsonObject | undefined;
  /** Given by the last stats call, when it named one (exact); null when the clock set it. */
  lastSeenGiven: string | null;
  canceledAtSet: boolean;
}

/** What the model expects a connector to record of its jobs (spec section 8); undefined: never written. */
interface ModelConnector {
  lastSyncStatus?: string;
  lastSyncError?: string | null;
  lastAccessControlSyncStatus?: string;
  lastAccessControlSyncError?: string | null;
  lastIndexedDocumentCount?: number;
  lastDeletedDocumentCount?: number;
  syncCursor?: JsonObject;
  status?: string;
  error?: string | null;
  /** True once an end (or a deletion of a running job) stamped `last_synced`. */
  synced: boolean;
}

interface Model {
  jobs: Map<string, ModelJob>;
  connectors: Map<string, ModelConnector>;
  /** Every id ever created, deleted ones included, in creation order. */
  ever: string[];
  seq: number;
}

interface Real {
  create: CreateSyncJob;
  get: GetSyncJob;
  list: ListSyncJobs;
  del: DeleteSyncJob;
  cancel: CancelSyncJob;
  checkIn: CheckInSyncJob;
  claim: ClaimSyncJob;
  error: ErrorSyncJob;
  stats: UpdateSyncJobStats;
  connectors: ConnectorStore;
  /** False when the job store does not write the connector's sync info. */
  syncInfo: boolean;
  complete: CompleteSyncJob;
  suspend: SuspendSyncJob;
  /** Worker side, when the harness has a queue. */
  claimNext?: ClaimNextSyncJob;
  sweep?: SweepSyncJobs;
}

const CONNECTORS = ['mc-1', 'mc-2'];

function merge(base: JsonObject, changes: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    const prev = out[k];
    const isObj = (x: unknown): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = isObj(prev) && isObj(v) ? merge(prev, v) : v;
  }
  return out;
}

/** Picks an id the model knows (live or deleted), or a never-created one. */
function pick(m: Model, ref: number): string {
  if (m.ever.length === 0 || ref % 5 === 4) return `never-${ref}`;
  return m.ever[ref % m.ever.length]!;
}

function expectMatches(real: SyncJob, job: ModelJob): void {
  expect({
    id: real.id,
    connectorId: real.connector.id,
    jobType: real.jobType,
    status: real.status,
    workerHostname: real.workerHostname,
    error: real.error,
    deleted: real.deletedDocumentCount,
    indexed: real.indexedDocumentCount,
    volume: real.indexedDocumentVolume,
    total: real.totalDocumentCount,
    metadata: JSON.parse(JSON.stringify(real.metadata)),
    syncCursor: real.connector.syncCursor === undefined ? undefined : JSON.parse(JSON.stringify(real.connector.syncCursor)),
  }).toEqual({
    id: job.id,
    connectorId: job.connectorId,
    jobType: job.jobType,
    status: job.status,
    workerHostname: job.workerHostname,
    error: job.error,
    deleted: job.deleted,
    indexed: job.indexed,
    volume: job.volume,
    total: job.total,
    metadata: job.metadata,
    syncCursor: job.syncCursor,
  });
  if (job.lastSeenGiven !== null) expect(real.lastSeen?.toString()).toBe(job.lastSeenGiven);
  expect(real.canceledAt !== null).toBe(job.canceledAtSet);
  if (job.status === 'canceled') expect(real.completedAt).toEqual(real.canceledAt);
  if (job.status === 'canceled' || job.status === 'canceling') expect(real.cancelationRequestedAt).not.toBeNull();
  if (job.workerHostname !== null) expect(real.startedAt).not.toBeNull();
}

const JOB_GONE = "Couldn't find the job";

/** A connector of the model, made on first use. */
function modelConnector(m: Model, id: string): ModelConnector {
  let c = m.connectors.get(id);
  if (!c) m.connectors.set(id, (c = { synced: false }));
  return c;
}

/** The job class's status and error fields of the model connector. */
function setClass(c: ModelConnector, job: ModelJob, status: string, error: string | null): void {
  if (job.jobType === 'access_control') {
    c.lastAccessControlSyncStatus = status;
    c.lastAccessControlSyncError = error;
  } else {
    c.lastSyncStatus = status;
    c.lastSyncError = error;
  }
}

/** A claim: the class in_progress, the connector connected (spec section 8). */
function recordStart(m: Model, job: ModelJob): void {
  const c = modelConnector(m, job.connectorId);
  setClass(c, job, 'in_progress', null);
  c.status = 'connected';
  c.error = null;
}

/** An end of a job that had been claimed (a job never claimed leaves the connector alone). */
function recordEnd(m: Model, job: ModelJob): void {
  if (job.workerHostname === null) return;
  const c = modelConnector(m, job.connectorId);
  setClass(c, job, job.status, job.error);
  c.status = job.status === 'error' ? 'error' : 'connected';
  c.error = job.error;
  c.synced = true;
  if (job.status !== 'suspended') {
    c.lastIndexedDocumentCount = job.indexed;
    c.lastDeletedDocumentCount = job.deleted;
  }
  if (job.status === 'completed' && job.jobType !== 'access_control' && job.syncCursor !== undefined) c.syncCursor = job.syncCursor;
}

/** A running job deleted: the framework's "job is gone". */
function recordGone(m: Model, job: ModelJob): void {
  const c = modelConnector(m, job.connectorId);
  setClass(c, job, 'error', JOB_GONE);
  c.status = 'error';
  c.error = JOB_GONE;
  c.synced = true;
}

/** The real connector's sync info equals the model's (null and absent alike; `last_synced` set once an end stamped it). */
async function expectConnector(m: Model, r: Real, connectorId: string): Promise<void> {
  if (!r.syncInfo) return;
  const real = (await r.connectors.findById(connectorId)) as unknown as Record<string, unknown> | null;
  const c = m.connectors.get(connectorId) ?? { synced: false };
  expect(syncInfoView(real)).toEqual(syncInfoView(c));
  expect(real?.lastSynced != null).toBe(c.synced);
}

async function outcome<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

type Cmd = fc.AsyncCommand<Model, Real>;

class CreateCmd implements Cmd {
  constructor(
    readonly connector: number,
    readonly jobType: JobType,
  ) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const connectorId = CONNECTORS[this.connector % CONNECTORS.length]!;
    const job = await r.create.execute({ id: connectorId, job_type: this.jobType });
    const mj: ModelJob = {
      id: job.id,
      seq: m.seq++,
      connectorId,
      jobType: this.jobType,
      status: 'pending',
      workerHostname: null,
      error: null,
      deleted: 0,
      indexed: 0,
      volume: 0,
      total: 0,
      metadata: {},
      syncCursor: undefined,
      lastSeenGiven: null,
      canceledAtSet: false,
    };
    m.jobs.set(job.id, mj);
    m.ever.push(job.id);
    expectMatches(job, mj);
  }
  toString = (): string => `create(${this.connector}, ${this.jobType})`;
}

class GetCmd implements Cmd {
  constructor(readonly ref: number) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const id = pick(m, this.ref);
    const res = await outcome(r.get.execute(id));
    const job = m.jobs.get(id);
    if (!job) {
      expect(res.ok).toBe(false);
      expect((res as { error: unknown }).error).toBeInstanceOf(SyncJobNotFoundError);
    } else {
      if (!res.ok) throw res.error;
      expectMatches(res.value, job);
    }
  }
  toString = (): string => `get(${this.ref})`;
}

class ListCmd implements Cmd {
  constructor(
    readonly connector: number | null,
    readonly status: Status | null,
    readonly types: JobType[] | null,
    readonly from: number,
    readonly size: number,
  ) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const params: Record<string, string> = { from: String(this.from), size: String(this.size) };
    const connectorId = this.connector === null ? undefined : CONNECTORS[this.connector % CONNECTORS.length];
    if (connectorId !== undefined) params.connector_id = connectorId;
    if (this.status) params.status = this.status.toUpperCase();
    if (this.types) params.job_type = this.types.join(',');
    const res = await r.list.execute(params);
    const matches = [...m.jobs.values()]
      .filter(
        (j) =>
          (connectorId === undefined || j.connectorId === connectorId) &&
          (this.status === null || j.status === this.status) &&
          (this.types === null || this.types.length === 0 || this.types.includes(j.jobType)),
      )
      .sort((a, b) => b.seq - a.seq);
    expect(res.count).toBe(matches.length);
    const page = matches.slice(this.from, this.from + this.size);
    expect(res.results.map((j) => j.id)).toEqual(page.map((j) => j.id));
    res.results.forEach((j, i) => expectMatches(j, page[i]!));
  }
  toString = (): string => `list(${this.connector}, ${this.status}, ${this.types?.join('|')}, ${this.from}, ${this.size})`;
}

/** A status-changing call: allowed per the model's table, else an invalid transition; a missing job is 404. */
abstract class TransitionCmd implements Cmd {
  constructor(readonly ref: number) {}
  check = (): boolean => true;
  /** The status the call moves to from `from` (null: no status change, never refused). */
  abstract target(from: Status): Status | null;
  abstract call(r: Real, id: string): Promise<SyncJob>;
  abstract apply(job: ModelJob, from: Status): void;
  /** True for a call that leaves a job in `from` as it is (`noop`: a repeated end). */
  keeps(_from: Status): boolean {
    return false;
  }
  async run(m: Model, r: Real): Promise<void> {
    const id = pick(m, this.ref);
    const res = await outcome(this.call(r, id));
    const job = m.jobs.get(id);
    if (!job) {
      expect(res.ok).toBe(false);
      expect((res as { error: unknown }).error).toBeInstanceOf(SyncJobNotFoundError);
      return;
    }
    const from = job.status;
    if (this.keeps(from)) {
      if (!res.ok) throw res.error;
      expectMatches(res.value, job);
      return;
    }
    const to = this.target(from);
    if (to !== null && !specAllows(from, to)) {
      expect(res.ok).toBe(false);
      const e = (res as { error: unknown }).error;
      expect(e).toBeInstanceOf(InvalidTransitionError);
      expect(e).toMatchObject({ from, to });
      return;
    }
    if (!res.ok) throw res.error;
    if (to !== null) job.status = to;
    this.apply(job, from);
    expectMatches(res.value, job);
    if (to !== null && to !== from) {
      if (to === 'in_progress') recordStart(m, job);
      else if (to !== 'canceling') recordEnd(m, job);
    }
    await expectConnector(m, r, job.connectorId);
  }
}

/** A job's good end (spec section 8): in_progress -> `to`, canceling -> canceled, a repeat left alone. */
abstract class EndCmd extends TransitionCmd {
  constructor(
    ref: number,
    readonly indexed: number | undefined,
    readonly cursor: JsonObject | undefined,
  ) {
    super(ref);
  }
  abstract readonly to: 'completed' | 'suspended';
  override keeps(from: Status): boolean {
    return from === this.to || from === 'canceled';
  }
  target = (from: Status): Status => (from === 'canceling' ? 'canceled' : this.to);
  body(): JsonObject | undefined {
    if (this.indexed === undefined && this.cursor === undefined) return undefined;
    const body: JsonObject = {};
    if (this.indexed !== undefined) body.indexed_document_count = this.indexed;
    if (this.cursor !== undefined) body.sync_cursor = this.cursor;
    return body;
  }
  apply(job: ModelJob): void {
    if (this.indexed !== undefined) job.indexed = this.indexed;
    if (this.cursor !== undefined) job.syncCursor = this.cursor;
    job.error = null;
    job.lastSeenGiven = null;
    if (job.status === 'canceled') job.canceledAtSet = true;
  }
}

class CompleteCmd extends EndCmd {
  readonly to = 'completed' as const;
  call = (r: Real, id: string): Promise<SyncJob> => r.complete.execute(id, this.body()).then((u) => u.job);
  override toString = (): string => `complete(${this.ref}, ${this.indexed}, ${JSON.stringify(this.cursor)})`;
}

class SuspendCmd extends EndCmd {
  readonly to = 'suspended' as const;
  call = (r: Real, id: string): Promise<SyncJob> => r.suspend.execute(id, this.body()).then((u) => u.job);
  override toString = (): string => `suspend(${this.ref}, ${this.indexed}, ${JSON.stringify(this.cursor)})`;
}

class ClaimCmd extends TransitionCmd {
  constructor(
    ref: number,
    readonly host: string,
    readonly cursor: JsonObject | undefined,
  ) {
    super(ref);
  }
  target = (): Status => 'in_progress';
  call = (r: Real, id: string): Promise<SyncJob> =>
    r.claim.execute(id, this.cursor === undefined ? { worker_hostname: this.host } : { worker_hostname: this.host, sync_cursor: this.cursor });
  apply(job: ModelJob): void {
    job.workerHostname = this.host;
    job.lastSeenGiven = null;
    if (this.cursor !== undefined) job.syncCursor = job.syncCursor ? merge(job.syncCursor, this.cursor) : this.cursor;
  }
  override toString = (): string => `claim(${this.ref}, ${this.host}, ${JSON.stringify(this.cursor)})`;
}

class CancelCmd extends TransitionCmd {
  target = (from: Status): Status => (from === 'pending' || from === 'suspended' ? 'canceled' : 'canceling');
  call = (r: Real, id: string): Promise<SyncJob> => r.cancel.execute(id);
  apply(job: ModelJob): void {
    if (job.status === 'canceled') job.canceledAtSet = true;
  }
  override toString = (): string => `cancel(${this.ref})`;
}

class ErrorCmd extends TransitionCmd {
  constructor(
    ref: number,
    readonly message: string,
  ) {
    super(ref);
  }
  target = (): Status => 'error';
  call = (r: Real, id: string): Promise<SyncJob> => r.error.execute(id, { error: this.message });
  apply(job: ModelJob): void {
    job.error = this.message;
    job.lastSeenGiven = null;
  }
  override toString = (): string => `error(${this.ref}, ${JSON.stringify(this.message)})`;
}

class CheckInCmd extends TransitionCmd {
  target = (): null => null;
  call = (r: Real, id: string): Promise<SyncJob> => r.checkIn.execute(id);
  apply(job: ModelJob): void {
    job.lastSeenGiven = null;
  }
  override toString = (): string => `checkIn(${this.ref})`;
}

class StatsCmd extends TransitionCmd {
  constructor(
    ref: number,
    readonly counters: [number, number, number],
    readonly total: number | undefined,
    readonly lastSeen: string | undefined,
    readonly metadata: JsonObject | undefined,
  ) {
    super(ref);
  }
  target = (): null => null;
  call = (r: Real, id: string): Promise<SyncJob> => {
    const body: JsonObject = {
      deleted_document_count: this.counters[0],
      indexed_document_count: this.counters[1],
      indexed_document_volume: this.counters[2],
    };
    if (this.total !== undefined) body.total_document_count = this.total;
    if (this.lastSeen !== undefined) body.last_seen = this.lastSeen;
    if (this.metadata !== undefined) body.metadata = this.metadata;
    return r.stats.execute(id, body);
  };
  apply(job: ModelJob): void {
    [job.deleted, job.indexed, job.volume] = this.counters;
    if (this.total !== undefined) job.total = this.total;
    job.lastSeenGiven = this.lastSeen ?? null;
    if (this.metadata !== undefined) job.metadata = merge(job.metadata, this.metadata);
  }
  override toString = (): string =>
    `stats(${this.ref}, ${this.counters.join('/')}, ${this.total}, ${this.lastSeen}, ${JSON.stringify(this.metadata)})`;
}

class DeleteCmd implements Cmd {
  constructor(readonly ref: number) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const id = pick(m, this.ref);
    const res = await outcome(r.del.execute(id));
    const job = m.jobs.get(id);
    if (job) {
      if (!res.ok) throw res.error;
      m.jobs.delete(id);
      if (job.status === 'in_progress' || job.status === 'canceling') recordGone(m, job);
      await expectConnector(m, r, job.connectorId);
    } else {
      expect(res.ok).toBe(false);
      expect((res as { error: unknown }).error).toBeInstanceOf(SyncJobNotFoundError);
    }
  }
  toString = (): string => `delete(${this.ref})`;
}


/**
 * Claim-next : the model takes the first claimable job (pending before suspended, then
 * creation order) among those passing the filters; the real call must return that one, claimed.
 */
class ClaimNextCmd implements Cmd {
  constructor(
    readonly host: string,
    readonly connector: number | null,
    readonly types: JobType[] | null,
    readonly serviceType: string | null,
  ) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    if (!r.claimNext) return;
    const connectorId = this.connector === null ? undefined : CONNECTORS[this.connector % CONNECTORS.length]!;
    const filters: JsonObject = {};
    if (connectorId !== undefined) filters.connector_ids = [connectorId];
    if (this.types) filters.job_types = this.types;
    if (this.serviceType) filters.service_types = [this.serviceType];
    const got = await r.claimNext.execute({ worker_hostname: this.host, filters });
    const rank = (s: Status) => (s === 'pending' ? 0 : 1);
    const expected = [...m.jobs.values()]
      .filter(
        (j) =>
          (j.status === 'pending' || j.status === 'suspended') &&
          (connectorId === undefined || j.connectorId === connectorId) &&
          (this.types === null || this.types.length === 0 || this.types.includes(j.jobType)) &&
          (this.serviceType === null || this.serviceType === 'super-connector'),
      )
      .sort((a, b) => rank(a.status) - rank(b.status) || a.seq - b.seq)[0];
    if (!expected) {
      expect(got).toBeNull();
      return;
    }
    expect(got?.id).toBe(expected.id);
    expected.status = 'in_progress';
    expected.workerHostname = this.host;
    expected.lastSeenGiven = null;
    expectMatches(got!, expected);
    recordStart(m, expected);
    await expectConnector(m, r, expected.connectorId);
  }
  toString = (): string => `claimNext(${this.host}, ${this.connector}, ${this.types?.join('|')}, ${this.serviceType})`;
}

/** The sweeper's message in the Python framework (`IDLE_JOB_ERROR`), written out again for the model. */
const SWEPT = 'The job has not seen any update for some time.';

/**
 * Sweep . The clock starts in 2026; stats may set `last_seen` to 2023-2025. With a
 * one-day threshold only jobs whose last stats call gave such a date are idle; with 0, every
 * in_progress / canceling job is. Idle ones become `error` with the framework's message.
 */
class SweepCmd implements Cmd {
  constructor(readonly everything: boolean) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    if (!r.sweep) return;
    const res = await r.sweep.execute({ idleThresholdMs: this.everything ? 0 : 86_400_000 });
    const idle = [...m.jobs.values()].filter(
      (j) => (j.status === 'in_progress' || j.status === 'canceling') && (this.everything || j.lastSeenGiven !== null),
    );
    expect(res.orphaned).toEqual([]);
    expect([...res.idle].sort()).toEqual(idle.map((j) => j.id).sort());
    for (const j of idle) {
      j.status = 'error';
      j.error = SWEPT;
      j.lastSeenGiven = null;
      expectMatches(await r.get.execute(j.id), j);
      recordEnd(m, j);
    }
    for (const c of CONNECTORS) await expectConnector(m, r, c);
  }
  toString = (): string => `sweep(${this.everything ? 'all idle' : 'older than a day'})`;
}

const ref = fc.nat({ max: 40 });
const small = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant('s')), { maxKeys: 2 });
const jsonObj: fc.Arbitrary<JsonObject> = fc.oneof(
  small,
  fc.record({ n: small }, { requiredKeys: [] }) as fc.Arbitrary<JsonObject>,
);
const counter = fc.oneof(fc.nat({ max: 1000 }), fc.constant(3_000_000_000));
const jobType = fc.constantFrom<JobType>('full', 'incremental', 'access_control');
const status = fc.constantFrom<Status>('pending', 'in_progress', 'canceling', 'canceled', 'error', 'suspended', 'completed');
const lastSeen = fc.constantFrom('2023-12-04T08:45:50.567149Z', '2024-01-01T00:00:00.000001Z', '2025-06-30T12:00:00.100Z');

/** Every command of the lifecycle, weighted towards the ones that change state. */
export const lifecycleCommands: fc.Arbitrary<Cmd>[] = [
  fc.tuple(fc.nat(), jobType).map(([c, t]) => new CreateCmd(c, t)),
  fc.tuple(fc.nat(), jobType).map(([c, t]) => new CreateCmd(c, t)),
  ref.map((r) => new GetCmd(r)),
  fc
    .tuple(fc.option(fc.nat()), fc.option(status), fc.option(fc.uniqueArray(jobType, { maxLength: 3 })), fc.nat({ max: 4 }), fc.nat({ max: 6 }))
    .map(([c, s, t, from, size]) => new ListCmd(c, s, t, from, size)),
  fc.tuple(ref, fc.constantFrom('host-a', 'host-b'), fc.option(jsonObj, { nil: undefined })).map(([r, h, c]) => new ClaimCmd(r, h, c)),
  fc.tuple(ref, fc.constantFrom('host-a', 'host-b'), fc.option(jsonObj, { nil: undefined })).map(([r, h, c]) => new ClaimCmd(r, h, c)),
  ref.map((r) => new CheckInCmd(r)),
  fc
    .tuple(ref, fc.tuple(counter, counter, counter), fc.option(counter, { nil: undefined }), fc.option(lastSeen, { nil: undefined }), fc.option(jsonObj, { nil: undefined }))
    .map(([r, c, t, l, md]) => new StatsCmd(r, c, t, l, md)),
  fc.tuple(ref, fc.constantFrom('boom', 'disk full')).map(([r, e]) => new ErrorCmd(r, e)),
  ref.map((r) => new CancelCmd(r)),
  fc.tuple(ref, fc.option(counter, { nil: undefined }), fc.option(jsonObj, { nil: undefined })).map(([r, n, c]) => new CompleteCmd(r, n, c)),
  fc.tuple(ref, fc.option(counter, { nil: undefined }), fc.option(jsonObj, { nil: undefined })).map(([r, n, c]) => new SuspendCmd(r, n, c)),
  ref.map((r) => new DeleteCmd(r)),
  fc
    .tuple(fc.constantFrom('host-a', 'host-b'), fc.option(fc.nat()), fc.option(fc.uniqueArray(jobType, { maxLength: 2 })), fc.option(fc.constantFrom('super-connector', 'other')))
    .map(([h, c, t, st]) => new ClaimNextCmd(h, c, t, st)),
  fc.boolean().map((all) => new SweepCmd(all)),
];

/** How much the model-based test explores: sequence count and length. */
export interface LifecycleModelOptions {
  /** Sequences per run (default MODEL_RUNS or 150). */
  numRuns?: number;
  /** Most commands per sequence (default 30). */
  maxCommands?: number;
}

/**
 * Runs the model-based lifecycle test on the stores `factory` makes (a fresh, empty pair per
 * sequence). Seed: MODEL_SEED (default 9). The clock advances one microsecond per call, so
 * jobs are created in a strict order and list order has no ties.
 */
export function describeLifecycleModel(name: string, factory: () => Promise<StoreHarness>, options: LifecycleModelOptions = {}): void {
  describe(`lifecycle model: ${name}`, () => {
    it('random sequences of lifecycle calls agree with the model', async () => {
      const seed = Number(process.env.MODEL_SEED ?? 9);
      const numRuns = options.numRuns ?? Number(process.env.MODEL_RUNS ?? 150);
      await fc.assert(
        fc.asyncProperty(fc.commands(lifecycleCommands, { maxCommands: options.maxCommands ?? 30 }), async (cmds) => {
          const h = await factory();
          try {
            for (const c of CONNECTORS) await h.connectors.upsert(connector(c, { language: null }));
            const clock = steppingClock(Instant.parse('2026-01-01T00:00:00Z')!);
            let n = 0;
            const ids = { next: () => `model-job-${String(++n).padStart(4, '0')}` };
            const real: Real = {
              create: new CreateSyncJob(h.lookup ?? h.connectors, h.jobs, clock, ids),
              get: new GetSyncJob(h.jobs),
              list: new ListSyncJobs(h.jobs),
              del: new DeleteSyncJob(h.jobs),
              cancel: new CancelSyncJob(h.jobs, clock),
              checkIn: new CheckInSyncJob(h.jobs, clock),
              claim: new ClaimSyncJob(h.jobs, clock),
              error: new ErrorSyncJob(h.jobs, clock),
              stats: new UpdateSyncJobStats(h.jobs, clock),
              complete: new CompleteSyncJob(h.jobs, clock),
              suspend: new SuspendSyncJob(h.jobs, clock),
              connectors: h.connectors,
              syncInfo: h.writesSyncInfo !== false,
              ...(h.queue ? { claimNext: new ClaimNextSyncJob(h.queue, clock), sweep: new SweepSyncJobs(h.jobs, h.queue, clock) } : {}),
            };
            const model: Model = { jobs: new Map(), connectors: new Map(), ever: [], seq: 0 };
            await fc.asyncModelRun(() => ({ model, real }), cmds);
          } finally {
            await h.close?.();
          }
        }),
        { seed, numRuns },
      );
    }, 120_000);
  });
}
