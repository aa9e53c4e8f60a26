/**
 * `connector-sync-jobs/testing`: the kit a host uses to check a storage adapter of its own.
 *
 * - {@link describeStoreContract}: the store contract every adapter of this package passes
 *   (connector and job stores, create on them with the spec's worked examples, the lifecycle
 *   with its races and the model-based test), registered as vitest `describe` blocks;
 * - {@link describeQueueContract}: the worker queue's contract (claim-next, heartbeats, sweep);
 * - fast-check arbitraries for connectors, create requests and jobs;
 * - fixtures (`connector`, `syncJob`, clocks, id generators) shared by every suite;
 * - {@link delegatingSyncJobStore} / {@link delegatingConnectorStore}: stub stores with overrides;
 * - the lifecycle oracle ({@link SPEC_TRANSITIONS}, {@link specOutcome}): spec section 5 written out
 *   independently of the domain's code, for a host's own lifecycle tests.
 *
 * Needs the peer dependencies `vitest` (4) and `fast-check` (4); import it from test files only.
 */
export { describeStoreContract, mutate } from './stores.contract.js';
export { appliedJob, connector, fixedClock, sequentialIds, steppingClock, syncInfoView, syncJob, testIds } from './fixtures.js';
export type { SyncJobFixture } from './fixtures.js';
export type { StoreHarness } from './stores.contract.js';
export { describeLifecycleContract } from './lifecycle.contract.js';
export { describeJobEndContract } from './job-end.contract.js';
export { describeLifecycleModel } from './lifecycle.model.js';
export type { LifecycleModelOptions } from './lifecycle.model.js';
export { describeQueueContract } from './queue.contract.js';
export type { QueueHarness } from './queue.contract.js';
export {
  jsonObjectArb,
  pipelineArb,
  filteringRulesArb,
  filteringArb,
  connectorIdArb,
  connectorArb,
  syncableConnectorArb,
  anyCase,
  validRequestArb,
  invalidRequestArb,
  syncJobArb,
} from './arbitraries.js';
export type { ValidRequest, InvalidRequest } from './arbitraries.js';
export { delegatingSyncJobStore, delegatingConnectorStore } from './stores.js';
export { SPEC_TRANSITIONS, specAllows, specNoop, specOutcome } from './oracle.js';
export type { SpecCommand } from './oracle.js';
export { vectors, vectorConnectors, expectedDocument, errorText } from './vectors.js';
export type { VectorCase } from './vectors.js';
