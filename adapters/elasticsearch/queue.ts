import type { Client } from '@elastic/elasticsearch';
import { syncInfoAfter } from '../../src/index.js';
import type {
  ClaimNextFilters,
  ConnectorLookup,
  Instant,
  SweepCandidates,
  SyncJob,
  SyncJobPlan,
  SyncJobQueue,
  WorkWatch,
} from '../../src/index.js';
import { resolveSettings } from './context.js';
import type { StoreContext } from './context.js';
import { DocumentGateway } from './gateway.js';
import { writeConnectorSyncInfo } from './lib/write-connector-sync-info.js';
import { claimNextSyncJob } from './lib/claim-next-sync-job.js';
import { findSweepCandidates } from './lib/find-sweep-candidates.js';
import { watchByPolling } from './lib/watch-by-polling.js';
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

/**
 * The worker side on Elasticsearch, which has no row locks and no notifications: claim-next by
 * search then compare-and-set (`lib/claim-next-sync-job.ts`), wake-ups by polling with backoff
 * (`lib/watch-by-polling.ts`), sweep candidates by search and connector look-ups
 * (`lib/find-sweep-candidates.ts`).
 */
export class ElasticsearchSyncJobQueue implements SyncJobQueue {
  private readonly docs: DocumentGateway;
  /** The stores' context on the same client: the claim's connector write goes through it. */
  private readonly ctx: StoreContext;
  private readonly index: string;
  private readonly batch: number;
  private readonly pollMinMs: number;
  private readonly pollMaxMs: number;

  constructor(
    client: Client,
    private readonly connectors: ConnectorLookup,
    settings: ElasticsearchQueueSettings = {},
  ) {
    this.index = settings.indices?.syncJobs ?? DEFAULT_INDICES.syncJobs;
    this.docs = new DocumentGateway(client, settings.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS);
    this.ctx = { docs: this.docs, settings: resolveSettings(settings) };
    this.batch = settings.claimBatch ?? 10;
    this.pollMinMs = settings.pollMinMs ?? 100;
    this.pollMaxMs = settings.pollMaxMs ?? 2000;
  }

  /** The claim, then the connector's sync info (spec section 8), a write of its own after the job's. */
  async claimNext(filters: ClaimNextFilters, plan: SyncJobPlan): Promise<SyncJob | null> {
    const job = await claimNextSyncJob(this.docs, this.index, this.batch, filters, plan);
    const info = job && syncInfoAfter(plan, job);
    if (info) await writeConnectorSyncInfo(this.ctx, job.connector.id, info);
    return job;
  }

  /** Polling with backoff: each `next` waits the current interval (jittered), then doubles it. */
  async watch(): Promise<WorkWatch> {
    return watchByPolling(this.pollMinMs, this.pollMaxMs);
  }

  findSweepCandidates(idleBefore: Instant, limit: number): Promise<SweepCandidates> {
    return findSweepCandidates(this.docs, this.index, this.connectors, idleBefore, limit);
  }
}
