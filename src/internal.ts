/**
 * Everything the core has, for this repository's adapters, tests and benchmarks (the adapters
 * import rules from here that are not part of the public API: the request parsers, the plans,
 * the codec's decoders). Not an entry point of the package: hosts import `connector-sync-jobs`
 * (`src/index.ts`, the explicit public list).
 */
export * from './domain/index.js';
export * from './ports/index.js';
export * from './application/index.js';
export * from './codec/index.js';
export * from './index.js';
export * from './drivers.js';
