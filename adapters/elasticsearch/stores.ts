import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import {
  ACTIVE_SYNC_STATUSES,
  ConflictError,
  ConnectorNotFoundError,
  JOB_TYPES,
  StorageFailureError,
  StorageUnavailableError,
  changedSyncJobFields,
  cloneSyncJob,
  decodeConnectorDocument,
  decodeSyncJobDocument,
  encodeConnectorDocument,
  encodeSyncJobDocument,
  isJsonObject,
  jobClassOf,
  mergeJsonObjects,
} from '../../src/index.js';
import type {
  ConnectorRecord,
  ConnectorStore,
  DeleteConnectorOptions,
  IdempotencyClaim,
  IdempotencyRecord,
  InsertOptions,
  InsertResult,
  JsonObject,
  SyncJob,
  SyncJobDecision,
  SyncJobListQuery,
  SyncJobListResult,
  SyncJobStore,
  UpsertResult,
} from '../../src/index.js';
import { errorTypeOf, isAmbiguous, isNotFound, isVersionConflict, translateError } from './errors.js';
import { ACTIVE_JOB_LOCKS_MAPPINGS, CONNECTORS_MAPPINGS, IDEMPOTENCY_MAPPINGS, SYNC_JOBS_MAPPINGS } from './mappings.js';

/** The indices the adapter uses. */
export interface ElasticsearchIndices {
  /** Connector documents (read by the lookup, written by `upsert`). Default `.elastic-connectors`. */
  connectors: string;
  /** Sync job documents. Default `.elastic-connectors-sync-jobs`. */
  syncJobs: string;
  /** Idempotency claims. Default `.connector-sync-jobs-idempotency`. */
  idempotency: string;
  /** One-active-job locks. Default `.connector-sync-jobs-active-locks`. */
  activeJobLocks: string;
}

/** Upstream's index names for connectors and jobs; the adapter's own for claims and locks. */
export const DEFAULT_INDICES: ElasticsearchIndices = {
  connectors: '.elastic-connectors',
  syncJobs: '.elastic-connectors-sync-jobs',
  idempotency: '.connector-sync-jobs-idempotency',
  activeJobLocks: '.connector-sync-jobs-active-locks',
};

/** Default per-request timeout, milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Settings shared by the stores. */
export interface ElasticsearchStoreSettings {
  indices?: Partial<ElasticsearchIndices>;
  /** Per-request timeout in milliseconds, passed explicitly on every request. Default 30 s. */
  requestTimeout?: number;
  /**
   * How long an idempotent replay waits for the job of an in-flight claim before answering
   * StorageUnavailableError (retryable). Default 5 s.
   */
  claimWaitMs?: number;
  /**
   * Age after which a claim or lock whose job was never written is considered abandoned (its
   * writer crashed) and may be taken over. Default 4 x requestTimeout.
   */
  staleClaimMs?: number;
  /**
   * How many compare-and-set rounds an `update` may lose to other writers (HTTP 409 on
   * `if_seq_no`/`if_primary_term`) before it gives up with a retryable StorageUnavailableError.
   * Each lost round re-reads the job and re-runs the decision after a short random pause. Default 32.
   */
  updateAttempts?: number;
  /** Wall clock for claim ages (tests). Default `Date.now`. */
  now?: () => number;
}

interface Resolved {
  indices: ElasticsearchIndices;
  requestTimeout: number;
  claimWaitMs: number;
  staleClaimMs: number;
  updateAttempts: number;
  now: () => number;
}

function resolve(s: ElasticsearchStoreSettings): Resolved {
  const requestTimeout = s.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    indices: { ...DEFAULT_INDICES, ...s.indices },
    requestTimeout,
    claimWaitMs: s.claimWaitMs ?? 5_000,
    staleClaimMs: s.staleClaimMs ?? 4 * requestTimeout,
    updateAttempts: Math.max(1, s.updateAttempts ?? 32),
    now: s.now ?? Date.now,
  };
}

/** A stored document with its optimistic-concurrency coordinates. */
interface Versioned {
  source: JsonObject;
  seqNo: number;
  primaryTerm: number;
}

/** A claim or lock document this insert wrote (to remove on failure). */
interface Held {
  index: string;
  id: string;
  seqNo: number;
  primaryTerm: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The `_id` of an idempotency claim. */
export function idempotencyDocId(key: string): string {
  return sha256(`idempotency\u0000${key}`);
}

/** The `_id` of an active-job lock. */
export function activeLockDocId(connectorId: string, jobClass: string): string {
  return sha256(`active\u0000${connectorId}\u0000${jobClass}`);
}

/** Thin, translated access to the client: every request carries an explicit timeout. */
class Documents {
  constructor(
    private readonly client: Client,
    private readonly requestTimeout: number,
  ) {}

  /** Reads are idempotent: the client's own retries apply. */
  private get readOptions() {
    return { requestTimeout: this.requestTimeout };
  }

  /** Writes are never retried blindly by the transport: an ambiguous failure is checked by the caller. */
  private get writeOptions() {
    return { requestTimeout: this.requestTimeout, maxRetries: 0 };
  }

  /** The document, or null when it or its index is missing. Throws only typed errors. */
  async get(index: string, id: string, what: string): Promise<Versioned | null> {
    try {
      const r: unknown = await this.client.get<JsonObject>({ index, id }, this.readOptions);
      if (!isJsonObject(r) || typeof r.found !== 'boolean') {
        throw new StorageUnavailableError(`Elasticsearch gave an unexpected answer to a read of ${what}`);
      }
      const doc = r as { found: boolean; _source?: unknown; _seq_no?: number; _primary_term?: number };
      if (!doc.found) return null;
      if (!isJsonObject(doc._source)) {
        throw new StorageFailureError(`${what} has no _source (is _source disabled on [${index}]?)`);
      }
      return { source: doc._source, seqNo: doc._seq_no ?? 0, primaryTerm: doc._primary_term ?? 0 };
    } catch (error: unknown) {
      if (isNotFound(error)) return null;
      throw translateError(error, what);
    }
  }

  /** `PUT index/_create/id`: the new document's coordinates, or null when the id is taken (409). */
  /** Other failures are rethrown untranslated, so the caller can tell an ambiguous one. */
  async create(index: string, id: string, document: JsonObject, refresh: boolean): Promise<Held | null> {
    try {
      const r = await this.client.create({ index, id, document, ...(refresh ? { refresh: true } : {}) }, this.writeOptions);
      return { index, id, seqNo: r._seq_no ?? 0, primaryTerm: r._primary_term ?? 0 };
    } catch (error: unknown) {
      if (isVersionConflict(error)) return null;
      throw error;
    }
  }

  /** Compare-and-set replace: the new coordinates, or null when the document changed meanwhile (409). */
  async replaceIf(
    index: string,
    id: string,
    document: JsonObject,
    seen: Versioned,
    what: string,
    refresh = false,
  ): Promise<Held | null> {
    try {
      const r = await this.client.index(
        { index, id, document, if_seq_no: seen.seqNo, if_primary_term: seen.primaryTerm, ...(refresh ? { refresh: true } : {}) },
        this.writeOptions,
      );
      return { index, id, seqNo: r._seq_no ?? 0, primaryTerm: r._primary_term ?? 0 };
    } catch (error: unknown) {
      if (isVersionConflict(error) || isNotFound(error)) return null;
      throw translateError(error, what);
    }
  }

  /** Removes a document this process wrote, only if nobody replaced it since. */
  async release(held: Held): Promise<void> {
    try {
      await this.client.delete(
        { index: held.index, id: held.id, if_seq_no: held.seqNo, if_primary_term: held.primaryTerm },
        this.writeOptions,
      );
    } catch (error: unknown) {
      // Gone already, or taken over by another writer: nothing of ours is left to remove.
      if (isNotFound(error) || isVersionConflict(error)) return;
      throw translateError(error, `removing [${held.id}] from [${held.index}]`);
    }
  }

  /**
   * Compare-and-set partial update: `POST index/_update/id?if_seq_no&if_primary_term&refresh=true`
   * with `{doc}` (Elasticsearch merges `doc` into `_source`, objects recursively). 'conflict' when
   * the document changed since `seen` (409), 'missing' when it or its index is gone (404
   * `document_missing_exception` / `index_not_found_exception`). Other failures are rethrown
   * untranslated, so the caller can tell an ambiguous one.
   */
  async updateIf(index: string, id: string, doc: JsonObject, seen: Versioned): Promise<'updated' | 'conflict' | 'missing'> {
    try {
      await this.client.update(
        { index, id, doc, if_seq_no: seen.seqNo, if_primary_term: seen.primaryTerm, refresh: true },
        this.writeOptions,
      );
      return 'updated';
    } catch (error: unknown) {
      if (isVersionConflict(error)) return 'conflict';
      if (isNotFound(error) || errorTypeOf(error) === 'document_missing_exception') return 'missing';
      throw error;
    }
  }

  /** `DELETE index/_doc/id?refresh=true`: false when it or its index is missing. */
  async remove(index: string, id: string, what: string): Promise<boolean> {
    try {
      const r = await this.client.delete({ index, id, refresh: true }, this.writeOptions);
      return r.result === 'deleted';
    } catch (error: unknown) {
      if (isNotFound(error)) return false;
      throw translateError(error, what);
    }
  }

  /**
   * `POST index/_search` with `body` (from, size, query, sort, ...): the total and the hits with
   * their `_seq_no`/`_primary_term` when asked for; a missing index has no hits.
   */
  async search(
    index: string,
    body: Record<string, unknown>,
    what: string,
  ): Promise<{ total: number; hits: Array<{ id: string } & Versioned> }> {
    try {
      const r = await this.client.search<JsonObject>({ index, ...body }, this.readOptions);
      const total = r.hits.total;
      const hits = r.hits.hits.map((h) => {
        if (!isJsonObject(h._source)) {
          throw new StorageUnavailableError(`a hit of ${what} has no _source (is _source disabled on [${index}]?)`);
        }
        return { id: h._id ?? '', source: h._source, seqNo: h._seq_no ?? 0, primaryTerm: h._primary_term ?? 0 };
      });
      return { total: typeof total === 'number' ? total : (total?.value ?? hits.length), hits };
    } catch (error: unknown) {
      if (errorTypeOf(error) === 'index_not_found_exception') return { total: 0, hits: [] };
      throw translateError(error, what);
    }
  }

  /** The `_id` of the first hit (oldest `created_at`), or null; a missing index has no hits. */
  async searchFirstId(index: string, query: object, what: string): Promise<string | null> {
    try {
      const r = await this.client.search(
        { index, size: 1, query: query as never, sort: [{ created_at: { order: 'asc', unmapped_type: 'date' } }], _source: false },
        this.readOptions,
      );
      const hit = r.hits.hits[0];
      return hit?._id ?? null;
    } catch (error: unknown) {
      if (errorTypeOf(error) === 'index_not_found_exception') return null;
      throw translateError(error, what);
    }
  }

  /** `PUT index/_doc/id` (op_type index): 'created' or 'updated'. */
  async put(index: string, id: string, document: JsonObject, what: string): Promise<UpsertResult> {
    try {
      const r = await this.client.index({ index, id, document, op_type: 'index', refresh: true }, this.writeOptions);
      return r.result === 'created' ? 'created' : 'updated';
    } catch (error: unknown) {
      throw translateError(error, what, id);
    }
  }

  /** `POST index/_refresh` (claims and locks are written without refresh); a missing index is fine. */
  async refresh(index: string, what: string): Promise<void> {
    try {
      await this.client.indices.refresh({ index }, this.writeOptions);
    } catch (error: unknown) {
      if (errorTypeOf(error) === 'index_not_found_exception') return;
      throw translateError(error, what);
    }
  }

  /** The `_id`s of up to `size` searchable hits; a missing index has none. */
  async searchIds(index: string, query: object, size: number, what: string): Promise<string[]> {
    try {
      const r = await this.client.search({ index, size, query: query as never, _source: false }, this.readOptions);
      return r.hits.hits.map((h) => h._id).filter((x): x is string => typeof x === 'string');
    } catch (error: unknown) {
      if (errorTypeOf(error) === 'index_not_found_exception') return [];
      throw translateError(error, what);
    }
  }

  /** `POST index/_delete_by_query?refresh=true&conflicts=proceed`; a missing index deletes nothing. */
  async deleteByQuery(index: string, query: object, what: string): Promise<number> {
    try {
      const r = await this.client.deleteByQuery(
        { index, query: query as never, refresh: true, conflicts: 'proceed' },
        this.writeOptions,
      );
      return r.deleted ?? 0;
    } catch (error: unknown) {
      if (errorTypeOf(error) === 'index_not_found_exception') return 0;
      throw translateError(error, what);
    }
  }

  /** Creates the index with the mapping unless it (or an alias of that name) exists. */
  async ensureIndex(index: string, mappings: object): Promise<void> {
    try {
      const exists = await this.client.indices.exists({ index }, this.readOptions);
      if (exists) return;
      await this.client.indices.create({ index, mappings: mappings as never }, this.writeOptions);
    } catch (error: unknown) {
      // A concurrent creator won the race: the index exists, which is all we need.
      if (errorTypeOf(error) === 'resource_already_exists_exception') return;
      throw translateError(error, `creating index [${index}]`);
    }
  }
}

/** How many of a deleted connector's jobs have their idempotency claims removed with them (one search). */
export const MAX_CLAIMS_FREED = 10_000;

/** Connectors in `.elastic-connectors` (or the configured index), as Elasticsearch stores them. */
export class ElasticsearchConnectorStore implements ConnectorStore {
  private readonly docs: Documents;
  readonly index: string;
  private readonly indices: ElasticsearchIndices;

  constructor(client: Client, settings: ElasticsearchStoreSettings = {}) {
    const s = resolve(settings);
    this.docs = new Documents(client, s.requestTimeout);
    this.index = s.indices.connectors;
    this.indices = s.indices;
  }

  /** The connector, soft-deleted ones included (flagged); null when it or the index is missing. */
  async findById(id: string): Promise<ConnectorRecord | null> {
    const doc = await this.docs.get(this.index, id, `connector [${id}]`);
    return doc ? decodeConnectorDocument(id, doc.source) : null;
  }

  async upsert(connector: ConnectorRecord): Promise<UpsertResult> {
    return this.docs.put(this.index, connector.id, encodeConnectorDocument(connector), `connector [${connector.id}]`);
  }

  /**
   * Soft delete: a compare-and-set replace of the document with `deleted: true` (retried when
   * another writer changed it meanwhile); hard: `DELETE` with refresh. With `deleteSyncJobs`,
   * then a refreshed `_delete_by_query` of `connector.id` on the jobs index (Elasticsearch has
   * no transaction across documents: a job created between the two steps of a soft delete is
   * removed too; a job write racing a hard delete may survive, as upstream's).
   */
  async delete(id: string, options: DeleteConnectorOptions = {}): Promise<void> {
    const what = `connector [${id}]`;
    if (options.hard === true) {
      if (!(await this.docs.remove(this.index, id, what))) throw new ConnectorNotFoundError(id);
    } else {
      for (;;) {
        const doc = await this.docs.get(this.index, id, what);
        if (!doc || doc.source.deleted === true) throw new ConnectorNotFoundError(id);
        const held = await this.docs.replaceIf(this.index, id, { ...doc.source, deleted: true }, doc, what);
        if (held) break;
      }
    }
    if (options.deleteSyncJobs === true) await this.deleteJobsOf(id, what);
  }

  /**
   * Removes the connector's jobs, and what they held: the idempotency claims naming them (a key
   * then gives a new job) and the connector's active-job locks. Claims of jobs beyond the first
   * {@link MAX_CLAIMS_FREED} are left to expire (staleClaimMs).
   */
  private async deleteJobsOf(id: string, what: string): Promise<void> {
    const ofConnector = { bool: { filter: [{ term: { 'connector.id': id } }] } };
    const jobIds = await this.docs.searchIds(this.indices.syncJobs, ofConnector, MAX_CLAIMS_FREED, `sync jobs of ${what}`);
    if (jobIds.length > 0) {
      // claims are written without refresh: make them visible to the delete-by-query
      await this.docs.refresh(this.indices.idempotency, `idempotency keys of ${what}`);
      await this.docs.deleteByQuery(this.indices.idempotency, { bool: { filter: [{ terms: { job_id: jobIds } }] } }, `idempotency keys of ${what}`);
    }
    await this.docs.deleteByQuery(this.indices.syncJobs, ofConnector, `sync jobs of ${what}`);
    await this.docs.refresh(this.indices.activeJobLocks, `active job locks of ${what}`);
    await this.docs.deleteByQuery(this.indices.activeJobLocks, { bool: { filter: [{ term: { connector_id: id } }] } }, `active job locks of ${what}`);
  }
}

/**
 * Sync jobs in `.elastic-connectors-sync-jobs` (or the configured index), the document of spec
 * section 2 written by `_create` with `refresh=true`. Idempotency claims and active-job locks are
 * documents created with `_create` (atomic per `_id`); see ARCHITECTURE.md for the limits.
 */
export class ElasticsearchSyncJobStore implements SyncJobStore {
  private readonly docs: Documents;
  private readonly s: Resolved;

  constructor(client: Client, settings: ElasticsearchStoreSettings = {}) {
    this.s = resolve(settings);
    this.docs = new Documents(client, this.s.requestTimeout);
  }

  get indices(): ElasticsearchIndices {
    return { ...this.s.indices };
  }

  async insert(job: SyncJob, options: InsertOptions = {}): Promise<InsertResult> {
    const held: Held[] = [];
    try {
      if (options.idempotency) {
        const claim = await this.claimIdempotency(job, options.idempotency);
        if ('replay' in claim) return { job: claim.replay, created: false };
        held.push(claim.held);
      }
      if (options.oneActivePerClass) {
        held.push(await this.lockActive(job));
        // Jobs written without the lock (policy off, or Elasticsearch's own API) are found by search.
        const other = await this.findActiveJob(job);
        if (other) throw ConflictError.activeJobExists(job.connector.id, jobClassOf(job.jobType), other);
      }
      await this.writeJob(job);
      return { job: cloneSyncJob(job), created: true };
    } catch (error: unknown) {
      const typed = translateError(error, `sync job [${job.id}]`);
      await this.releaseAll(held, typed);
      throw typed;
    }
  }

  async get(id: string): Promise<SyncJob | null> {
    const doc = await this.docs.get(this.s.indices.syncJobs, id, `sync job [${id}]`);
    return doc ? decodeSyncJobDocument(id, doc.source) : null;
  }

  /**
   * Optimistic concurrency (spec section 4): GET the job with its `_seq_no`/`_primary_term`
   * (realtime), run `decide` on it, and send only what changed as a partial
   * `POST <jobs>/_update/<id>?if_seq_no=..&if_primary_term=..&refresh=true` with
   * `{doc: {<snake_case fields>}}` (a cursor change as `{connector: {sync_cursor}}`). A 409 means
   * another writer got in between: re-read, re-decide, after a short random pause, at most
   * `updateAttempts` times, then a retryable StorageUnavailableError. Returns the job as stored
   * after the write (the read `_source` merged with the sent `doc` as Elasticsearch merges it),
   * or null when the job or the jobs index is missing. A decision that changes nothing writes
   * nothing. What `decide` or the decoder throws propagates. When the write gets no answer
   * (timeout, connection error) the job is read back: if it holds exactly what this update would
   * have produced the update counts as done, else the retryable error stands.
   */
  async update(id: string, decide: SyncJobDecision): Promise<SyncJob | null> {
    const index = this.s.indices.syncJobs;
    const what = `sync job [${id}]`;
    for (let attempt = 1; ; attempt++) {
      const seen = await this.docs.get(index, id, what);
      if (!seen) return null;
      const current = decodeSyncJobDocument(id, seen.source);
      const next = decide(current);
      const doc = changedFieldsDocument(current, next);
      if (doc === null) return decodeSyncJobDocument(id, seen.source);
      const expected = mergeJsonObjects(seen.source, doc);
      let outcome: 'updated' | 'conflict' | 'missing';
      try {
        outcome = await this.docs.updateIf(index, id, doc, seen);
      } catch (error: unknown) {
        const typed = translateError(error, what);
        if (!isAmbiguous(error)) throw typed;
        const landed = await this.docs.get(index, id, what).catch((checkError: unknown) => {
          if (typed instanceof Error) (typed as Error & { checkError?: unknown }).checkError = checkError;
          return null;
        });
        if (landed && landed.seqNo !== seen.seqNo && JSON.stringify(landed.source) === JSON.stringify(expected)) {
          return decodeSyncJobDocument(id, landed.source);
        }
        throw typed;
      }
      if (outcome === 'updated') return decodeSyncJobDocument(id, expected);
      if (outcome === 'missing') return null;
      if (attempt >= this.s.updateAttempts) {
        throw new StorageUnavailableError(
          `Too much contention on ${what}: ${attempt} compare-and-set attempts lost to other writers; retry later.`,
        );
      }
      await sleep(Math.random() * Math.min(2 ** attempt, 100));
    }
  }

  /**
   * `POST <jobs>/_search` with a `bool.filter` of `term` `connector.id`, `term` `status`,
   * `terms` `job_type` (or `match_all` without filters), sorted by `created_at` desc,
   * `track_total_hits: true` (upstream's `listConnectorSyncJobs`), `count` = `hits.total`. A
   * missing jobs index is an empty list, as upstream. A stored document that does not decode is
   * the decoder's typed error (`corrupt_sync_job`), never skipped.
   *
   * The port's order is exact (newest `created_at` first to the microsecond, ties by id), but
   * `created_at` is a `date` field: Elasticsearch sorts it by the millisecond and gives jobs of
   * one millisecond in index order, and it cannot sort on `_id`. So the page is asked for with
   * one job more on each side (`from - 1`, `size + 2`) and sorted exactly here; only when the
   * millisecond at a page edge continues past that edge (a group of jobs created in one
   * millisecond is cut by the page) two more searches fetch that whole span
   * (`range created_at` between the page's first and last millisecond) and count the matches
   * before it (`range created_at gt`), and the page is cut from the exactly sorted span.
   * A span of more than 10 000 jobs in the page's milliseconds keeps Elasticsearch's order.
   */
  async list(query: SyncJobListQuery): Promise<SyncJobListResult> {
    const filter: object[] = [];
    if (query.connectorId !== undefined) filter.push({ term: { 'connector.id': query.connectorId } });
    if (query.status !== undefined) filter.push({ term: { status: query.status } });
    if (query.jobTypes && query.jobTypes.length > 0) filter.push({ terms: { job_type: [...query.jobTypes] } });
    const where = (...more: object[]) =>
      filter.length + more.length > 0 ? { bool: { filter: [...filter, ...more] } } : { match_all: {} };
    const sort = [{ created_at: { order: 'desc', unmapped_type: 'date' } }];
    const what = 'the sync job list';
    const index = this.s.indices.syncJobs;
    const decodeAll = (hits: Array<{ id: string } & Versioned>) => hits.map((h) => decodeSyncJobDocument(h.id, h.source));

    const lo = query.from > 0 ? query.from - 1 : 0;
    const lead = query.from - lo; // 0 or 1: the job just before the page
    const want = Math.min(lead + query.size + 1, MAX_RESULT_WINDOW - lo);
    const r = await this.docs.search(index, { from: lo, size: want, query: where(), sort, track_total_hits: true }, what);
    const fetched = decodeAll(r.hits);
    const page = fetched.slice(lead, lead + query.size);
    if (page.length === 0) return { count: r.total, results: [] };
    const topMs = page[0]!.createdAt.epochMillis;
    const bottomMs = page[page.length - 1]!.createdAt.epochMillis;
    const before = lead === 1 ? fetched[0] : undefined;
    const afterKnown = want === lead + query.size + 1 || fetched.length < want;
    const after = fetched[lead + query.size];
    const cutAtTop = before !== undefined && before.createdAt.epochMillis === topMs;
    const cutAtBottom = afterKnown ? after !== undefined && after.createdAt.epochMillis === bottomMs : page.length === query.size;
    if (!cutAtTop && !cutAtBottom) return { count: r.total, results: page.sort(exactListOrder) };

    const span = await this.docs.search(
      index,
      {
        size: MAX_RESULT_WINDOW,
        query: where({ range: { created_at: { gte: bottomMs, lte: topMs, format: 'epoch_millis' } } }),
        sort,
        track_total_hits: true,
      },
      what,
    );
    if (span.total > span.hits.length) return { count: r.total, results: page };
    const above = await this.docs.search(
      index,
      { size: 0, query: where({ range: { created_at: { gt: topMs, format: 'epoch_millis' } } }), track_total_hits: true },
      what,
    );
    const start = Math.max(0, query.from - above.total); // >= 0 unless writes landed between the searches
    return { count: r.total, results: decodeAll(span.hits).sort(exactListOrder).slice(start, start + query.size) };
  }

  /**
   * Removes the job and frees what it held (spec section 4), without decoding it (a damaged
   * document can still be deleted):
   * 1. GET the job; missing (or no index) -> false, nothing else is touched.
   * 2. Active-job locks naming it (search on `job_id`) are deleted with `if_seq_no` (a lock
   *    taken over meanwhile is left alone). Until the job itself is gone, the search that
   *    follows every lock still sees it as active, so the policy holds in between.
   * 3. Idempotency claims naming it (search on `job_id`) are marked `released_at` with
   *    `if_seq_no`: a released claim whose job is missing is free at once (the key's next use
   *    takes it over by compare-and-set; `findIdempotencyKey` no longer reports it). While the
   *    job still exists a released claim replays it as before.
   * 4. `DELETE <jobs>/_doc/<id>?refresh=true`.
   * Returns true when this call deleted the job. Failures are StorageUnavailableError
   * (retryable); a failure before step 4 leaves the job in place and the policy intact, so the
   * delete can simply be retried (ARCHITECTURE.md).
   */
  async delete(id: string): Promise<boolean> {
    const i = this.s.indices;
    const what = `sync job [${id}]`;
    if (!(await this.docs.get(i.syncJobs, id, what))) return false;
    for (const lock of await this.heldBy(i.activeJobLocks, id)) await this.docs.release({ index: i.activeJobLocks, ...lock });
    for (const claim of await this.heldBy(i.idempotency, id)) {
      const document: JsonObject = { ...claim.source, released_at: new Date(this.s.now()).toISOString() };
      // null: changed meanwhile (another delete marked it first); nothing else rewrites a claim whose job exists.
      await this.docs.replaceIf(i.idempotency, claim.id, document, claim, `idempotency claim [${claim.id}]`);
    }
    return this.docs.remove(i.syncJobs, id, what);
  }

  /** Claim or lock documents naming the job (they are written with refresh, so search sees them). */
  private async heldBy(index: string, jobId: string): Promise<Array<{ id: string } & Versioned>> {
    const r = await this.docs.search(
      index,
      { size: 100, query: { bool: { filter: [{ term: { job_id: jobId } }] } }, seq_no_primary_term: true },
      `documents of [${index}] naming sync job [${jobId}]`,
    );
    return r.hits;
  }

  async findIdempotencyKey(key: string): Promise<IdempotencyRecord | null> {
    const doc = await this.docs.get(this.s.indices.idempotency, idempotencyDocId(key), `idempotency key [${key}]`);
    if (!doc || doc.source.key !== key || doc.source.released_at !== undefined) return null;
    const { fingerprint, job_id: jobId } = doc.source;
    return typeof fingerprint === 'string' && typeof jobId === 'string' ? { fingerprint, jobId } : null;
  }

  /** Creates the four indices with their mappings when missing; existing ones are left alone. */
  async ensureIndices(): Promise<void> {
    const i = this.s.indices;
    await this.docs.ensureIndex(i.connectors, CONNECTORS_MAPPINGS);
    await this.docs.ensureIndex(i.syncJobs, SYNC_JOBS_MAPPINGS);
    await this.docs.ensureIndex(i.idempotency, IDEMPOTENCY_MAPPINGS);
    await this.docs.ensureIndex(i.activeJobLocks, ACTIVE_JOB_LOCKS_MAPPINGS);
  }

  /** `_create` with refresh; on an ambiguous failure (no answer), checks whether it landed. */
  private async writeJob(job: SyncJob): Promise<void> {
    const index = this.s.indices.syncJobs;
    const document = encodeSyncJobDocument(job);
    let written: Held | null;
    try {
      written = await this.docs.create(index, job.id, document, true);
    } catch (error: unknown) {
      if (isAmbiguous(error)) {
        // If the check itself fails, the original error stands (the job is reported as not written).
        const landed = await this.docs.get(index, job.id, `sync job [${job.id}]`).catch((checkError: unknown) => {
          if (error instanceof Error) (error as Error & { checkError?: unknown }).checkError = checkError;
          return null;
        });
        if (landed && JSON.stringify(landed.source) === JSON.stringify(document)) return;
      }
      throw error;
    }
    if (!written) throw ConflictError.duplicateId(job.id);
  }

  private isStale(source: JsonObject): boolean {
    const at = typeof source.created_at === 'string' ? Date.parse(source.created_at) : Number.NaN;
    return Number.isNaN(at) || this.s.now() - at > this.s.staleClaimMs;
  }

  private async claimIdempotency(
    job: SyncJob,
    claim: IdempotencyClaim,
  ): Promise<{ held: Held } | { replay: SyncJob }> {
    const index = this.s.indices.idempotency;
    const id = idempotencyDocId(claim.key);
    const what = `idempotency key [${claim.key}]`;
    // Waiting is measured on the monotonic clock; claim ages on the (injectable) wall clock.
    const deadline = performance.now() + this.s.claimWaitMs;
    let pause = 5;
    for (;;) {
      const document: JsonObject = {
        key: claim.key,
        fingerprint: claim.fingerprint,
        job_id: job.id,
        created_at: new Date(this.s.now()).toISOString(),
      };
      // With refresh: `delete` finds the claims naming a job by search.
      const created = await this.docs.create(index, id, document, true);
      if (created) return { held: created };
      const earlier = await this.docs.get(index, id, what);
      if (earlier) {
        const jobId = typeof earlier.source.job_id === 'string' ? earlier.source.job_id : '';
        const earlierJob = jobId === '' ? null : await this.get(jobId);
        if (!earlierJob && (earlier.source.released_at !== undefined || this.isStale(earlier.source))) {
          // Its job was deleted (released), or its writer never wrote the job (stale): take the
          // claim over (compare-and-set), whatever request it was bound to.
          const taken = await this.docs.replaceIf(index, id, document, earlier, what, true);
          if (taken) return { held: taken };
          continue;
        }
        if (earlier.source.key !== claim.key || earlier.source.fingerprint !== claim.fingerprint) {
          throw ConflictError.idempotencyMismatch(claim.key);
        }
        if (earlierJob) return { replay: earlierJob };
      }
      // Another request with this key is between its claim and its job write: wait for it.
      if (performance.now() >= deadline) {
        throw new StorageUnavailableError(
          `An earlier request with idempotency key [${claim.key}] is still in progress; retry later.`,
        );
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 200);
    }
  }

  private async lockActive(job: SyncJob): Promise<Held> {
    const index = this.s.indices.activeJobLocks;
    const connectorId = job.connector.id;
    const jobClass = jobClassOf(job.jobType);
    const id = activeLockDocId(connectorId, jobClass);
    const what = `active job lock of connector [${connectorId}]`;
    for (let attempt = 0; attempt < 10; attempt++) {
      const document: JsonObject = {
        connector_id: connectorId,
        job_class: jobClass,
        job_id: job.id,
        created_at: new Date(this.s.now()).toISOString(),
      };
      // With refresh: `delete` finds the locks naming a job by search.
      const created = await this.docs.create(index, id, document, true);
      if (created) return created;
      const lock = await this.docs.get(index, id, what);
      if (!lock) continue; // released meanwhile: try again
      const holderId = typeof lock.source.job_id === 'string' ? lock.source.job_id : '';
      const holder = holderId === '' ? null : await this.get(holderId);
      if (holder && ACTIVE_SYNC_STATUSES.includes(holder.status)) {
        throw ConflictError.activeJobExists(connectorId, jobClass, holder.id);
      }
      if (!holder && !this.isStale(lock.source)) {
        // Its job is being written right now: it is the active one.
        throw ConflictError.activeJobExists(connectorId, jobClass, holderId);
      }
      // The holder finished (terminal status) or was abandoned: take the lock over (compare-and-set).
      const taken = await this.docs.replaceIf(index, id, document, lock, what, true);
      if (taken) return taken;
    }
    throw new StorageUnavailableError(`Too much contention on the ${what}; retry later.`);
  }

  /** The oldest searchable active job of the same connector and class, other than `job`. */
  private async findActiveJob(job: SyncJob): Promise<string | null> {
    const jobClass = jobClassOf(job.jobType);
    return this.docs.searchFirstId(
      this.s.indices.syncJobs,
      {
        bool: {
          filter: [
            { term: { 'connector.id': job.connector.id } },
            { terms: { job_type: JOB_TYPES.filter((t) => jobClassOf(t) === jobClass) } },
            { terms: { status: [...ACTIVE_SYNC_STATUSES] } },
          ],
          must_not: [{ ids: { values: [job.id] } }],
        },
      },
      `active jobs of connector [${job.connector.id}]`,
    );
  }

  /** Removes the claims of a failed insert; one that cannot be removed expires (staleClaimMs). */
  private async releaseAll(held: Held[], cause: unknown): Promise<void> {
    for (const h of held.reverse()) {
      await this.docs.release(h).catch((releaseError: unknown) => {
        if (cause instanceof Error) {
          (cause as Error & { cleanupErrors?: unknown[] }).cleanupErrors ??= [];
          (cause as Error & { cleanupErrors?: unknown[] }).cleanupErrors!.push(releaseError);
        }
      });
    }
  }
}

/** Elasticsearch's default `index.max_result_window` (and upstream's cap on `from + size`). */
const MAX_RESULT_WINDOW = 10_000;

/** The port's list order: newest `created_at` first (microseconds), ties by id. */
function exactListOrder(a: SyncJob, b: SyncJob): number {
  return b.createdAt.compareTo(a.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The partial `_update` document of a decision: the top-level fields of the encoded job (the
 * one codec, snake_case) that differ between `before` and `after`, a field the decision cleared
 * as `null`, and a cursor change as `{connector: {sync_cursor}}` (the rest of the snapshot is
 * fixed). Null when nothing changed. `changedSyncJobFields` guards the fixed fields (TypeError).
 */
export function changedFieldsDocument(before: SyncJob, after: SyncJob): JsonObject | null {
  if (changedSyncJobFields(before, after).length === 0) return null;
  const a = encodeSyncJobDocument(before);
  const b = encodeSyncJobDocument(after);
  const doc: JsonObject = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'connector') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) doc[key] = b[key] ?? null;
  }
  const cursorBefore = (a.connector as JsonObject).sync_cursor;
  const cursorAfter = (b.connector as JsonObject).sync_cursor;
  if (JSON.stringify(cursorBefore) !== JSON.stringify(cursorAfter)) doc.connector = { sync_cursor: cursorAfter ?? null };
  return Object.keys(doc).length === 0 ? null : doc;
}
