export * from './sync-job-document.js';
export * from './connector-document.js';
export * from './filtering-parser.js';
