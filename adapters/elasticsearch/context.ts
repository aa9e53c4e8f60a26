import type { Client } from '@elastic/elasticsearch';
import { DocumentGateway } from './gateway.js';
import { DEFAULT_INDICES, DEFAULT_REQUEST_TIMEOUT_MS } from './settings.js';
import type { ElasticsearchIndices, ElasticsearchStoreSettings } from './settings.js';

/** The store settings with every default applied. */
export interface ResolvedSettings {
  indices: ElasticsearchIndices;
  requestTimeout: number;
  claimWaitMs: number;
  staleClaimMs: number;
  updateAttempts: number;
  now: () => number;
}

export function resolveSettings(s: ElasticsearchStoreSettings): ResolvedSettings {
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

/** What every operation of the two stores receives: the client gateway and the resolved settings. */
export interface StoreContext {
  readonly docs: DocumentGateway;
  readonly settings: ResolvedSettings;
}

export function storeContext(client: Client, settings: ElasticsearchStoreSettings): StoreContext {
  const resolved = resolveSettings(settings);
  return { docs: new DocumentGateway(client, resolved.requestTimeout), settings: resolved };
}
