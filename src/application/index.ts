export * from './create-sync-job.js';
export * from './get-sync-job.js';
