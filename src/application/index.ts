export * from './create-sync-job.js';
export * from './get-sync-job.js';
export * from './claim-next-sync-job.js';
export * from './sweep-sync-jobs.js';
