export * from './sync-job-document.js';
export * from './connector-document.js';
