import type { Client } from '@elastic/elasticsearch';
import {
  StorageUnavailableError,
  SWEEPABLE_SYNC_STATUSES,
  claimSyncJob,
  decodeSyncJobDocument,
  isClaimable,
  isIdle,
  isJsonObject,
  mergeJsonObjects,
} from '../../src/index.js';
import type {
  ClaimNextFilters,
  ClaimSyncJobCommand,
  ConnectorLookup,
  Instant,
  JsonObject,
  SweepCandidates,
  SyncJob,
  SyncJobQueue,
  SyncStatus,
  WorkWatch,
} from '../../src/index.js';
import { errorTypeOf, isNotFound, isVersionConflict, translateError } from './errors.js';
import { changedFieldsDocument } from './changed-fields.js';
import { DEFAULT_INDICES, DEFAULT_REQUEST_TIMEOUT_MS } from './settings.js';
import type { ElasticsearchStoreSettings } from './settings.js';

/** Settings of the Elasticsearch queue. */
export interface ElasticsearchQueueSettings extends ElasticsearchStoreSettings {
  /** Candidates fetched per search (the oldest first). Default 10. */
  claimBatch?: number;
  /** First poll interval of a waiting worker, ms; doubles per empty poll. Default 100. */
  pollMinMs?: number;
  /** Longest poll interval, ms. Default 2000. */
  pollMaxMs?: number;
}

interface Hit {
  id: string;
  source: JsonObject;
  seqNo: number;
  primaryTerm: number;
}

/** Most search-then-CAS rounds of one claim before it answers StorageUnavailableError (contention). */
const MAX_CLAIM_ROUNDS = 20;

/**
 * The worker side on Elasticsearch, which has no row locks and no notifications:
 * - `claimNext`: a search for the oldest candidates (`status` pending, then suspended; the
 *   filters as `terms`; `created_at` ascending; `seq_no_primary_term`), then for each candidate
 *   `POST <jobs>/_update/<id>?if_seq_no&if_primary_term&refresh=true` with the claim's changed
 *   fields; a 409 (another worker got it) moves to the next candidate, and a batch lost entirely
 *   searches again. Many workers never get one job twice (compare-and-set), and a worker only
 *   moves on when someone else made progress.
 * - Wake-ups: polling with backoff (100 ms doubling to 2 s, with jitter); a waiting worker on
 *   Elasticsearch may take up to the poll interval to see a new job, not 100 ms.
 * - Sweep candidates: in_progress / canceling jobs by `last_seen` ascending (idle ones filtered
 *   here), and a page-through of the same jobs whose connectors are looked up (missing or
 *   soft-deleted: orphaned), as the Python framework's `orphaned_idle_jobs`.
 */
export class ElasticsearchSyncJobQueue implements SyncJobQueue {
  private readonly index: string;
  private readonly requestTimeout: number;
  private readonly batch: number;
  private readonly pollMinMs: number;
  private readonly pollMaxMs: number;

  constructor(
    private readonly client: Client,
    private readonly connectors: ConnectorLookup,
    settings: ElasticsearchQueueSettings = {},
  ) {
    this.index = settings.indices?.syncJobs ?? DEFAULT_INDICES.syncJobs;
    this.requestTimeout = settings.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.batch = settings.claimBatch ?? 10;
    this.pollMinMs = settings.pollMinMs ?? 100;
    this.pollMaxMs = settings.pollMaxMs ?? 2000;
  }

  async claimNext(filters: ClaimNextFilters, command: ClaimSyncJobCommand, now: Instant): Promise<SyncJob | null> {
    for (let round = 1; round <= MAX_CLAIM_ROUNDS; round++) {
      let sawCandidates = false;
      for (const status of ['pending', 'suspended'] as const) {
        const hits = await this.candidates(status, filters);
        for (const hit of hits) {
          const job = decodeSyncJobDocument(hit.id, hit.source);
          if (!isClaimable(job, filters)) continue;
          sawCandidates = true;
          const doc = changedFieldsDocument(job, claimSyncJob(job, command, now));
          if (doc === null) continue;
          if (await this.updateIf(hit, doc)) return decodeSyncJobDocument(hit.id, mergeJsonObjects(hit.source, doc));
        }
      }
      // nothing there: none claimable; candidates all lost to other workers: search again
      if (!sawCandidates) return null;
    }
    throw new StorageUnavailableError(`Too much contention claiming the next sync job: ${MAX_CLAIM_ROUNDS} rounds of candidates lost to other workers; retry later.`);
  }

  private async candidates(status: SyncStatus, filters: ClaimNextFilters): Promise<Hit[]> {
    const filter: object[] = [{ term: { status } }];
    if (filters.connectorIds && filters.connectorIds.length > 0) filter.push({ terms: { 'connector.id': [...filters.connectorIds] } });
    if (filters.serviceTypes && filters.serviceTypes.length > 0) filter.push({ terms: { 'connector.service_type': [...filters.serviceTypes] } });
    if (filters.jobTypes && filters.jobTypes.length > 0) filter.push({ terms: { job_type: [...filters.jobTypes] } });
    return this.search(
      { size: this.batch, seq_no_primary_term: true, query: { bool: { filter } }, sort: [{ created_at: { order: 'asc', unmapped_type: 'date' } }] },
      'the next sync job',
    );
  }

  /** CAS partial update; false when another writer changed or removed the job first. */
  private async updateIf(hit: Hit, doc: JsonObject): Promise<boolean> {
    try {
      await this.client.update(
        { index: this.index, id: hit.id, doc, if_seq_no: hit.seqNo, if_primary_term: hit.primaryTerm, refresh: true },
        { requestTimeout: this.requestTimeout, maxRetries: 0 },
      );
      return true;
    } catch (error: unknown) {
      if (isVersionConflict(error)) return false;
      if (isNotFound(error) || errorTypeOf(error) === 'document_missing_exception') return false;
      throw translateError(error, `claiming sync job [${hit.id}]`);
    }
  }

  private async search(body: Record<string, unknown>, what: string): Promise<Hit[]> {
    try {
      const r = await this.client.search<JsonObject>({ index: this.index, ...body }, { requestTimeout: this.requestTimeout });
      return r.hits.hits.map((h) => {
        if (!isJsonObject(h._source)) throw new StorageUnavailableError(`a hit of ${what} has no _source (is _source disabled on [${this.index}]?)`);
        return { id: h._id ?? '', source: h._source, seqNo: h._seq_no ?? 0, primaryTerm: h._primary_term ?? 0 };
      });
    } catch (error: unknown) {
      if (errorTypeOf(error) === 'index_not_found_exception') return [];
      throw translateError(error, what);
    }
  }

  /** Polling with backoff: each `next` waits the current interval (jittered), then doubles it. */
  async watch(): Promise<WorkWatch> {
    let interval = this.pollMinMs;
    let finish: ((woken: boolean) => void) | undefined;
    return {
      next: (timeoutMs, signal) =>
        new Promise<boolean>((resolve) => {
          if (signal?.aborted) return resolve(false);
          const wait = Math.min(timeoutMs, interval * (0.75 + Math.random() * 0.5));
          const polled = wait < timeoutMs;
          interval = Math.min(interval * 2, this.pollMaxMs);
          const onAbort = (): void => done(false);
          const timer = setTimeout(() => done(polled), Math.max(0, wait));
          const done = (woken: boolean): void => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            finish = undefined;
            resolve(woken);
          };
          signal?.addEventListener('abort', onAbort, { once: true });
          finish = done;
        }),
      close: () => finish?.(false),
    };
  }

  async findSweepCandidates(idleBefore: Instant, limit: number): Promise<SweepCandidates> {
    const sweepable = { bool: { filter: [{ terms: { status: [...SWEEPABLE_SYNC_STATUSES] } }] } };
    const byLastSeen = await this.search(
      { size: limit, query: sweepable, sort: [{ last_seen: { order: 'asc', unmapped_type: 'date' } }] },
      'idle sync jobs',
    );
    const idleJobs = byLastSeen.map((h) => decodeSyncJobDocument(h.id, h.source)).filter((j) => isIdle(j, idleBefore));
    // orphans: page through every sweepable job (10,000 at most, Elasticsearch's default window)
    const orphaned: string[] = [];
    const live = new Map<string, boolean>();
    const page = 1000;
    for (let from = 0; from < 10_000 && orphaned.length < limit; from += page) {
      const hits = await this.search(
        { from, size: page, query: sweepable, sort: [{ created_at: { order: 'asc', unmapped_type: 'date' } }] },
        'orphaned sync jobs',
      );
      for (const h of hits) {
        const job = decodeSyncJobDocument(h.id, h.source);
        let ok = live.get(job.connector.id);
        if (ok === undefined) {
          const c = await this.connectors.findById(job.connector.id);
          ok = c !== null && !c.deleted;
          live.set(job.connector.id, ok);
        }
        if (!ok && orphaned.length < limit) orphaned.push(job.id);
      }
      if (hits.length < page) break;
    }
    const orphanSet = new Set(orphaned);
    return { orphaned, idle: idleJobs.map((j) => j.id).filter((id) => !orphanSet.has(id)) };
  }
}
