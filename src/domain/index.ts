export * from './json.js';
export * from './enums.js';
export * from './errors.js';
export * from './connector.js';
export * from './connector-setup.js';
export * from './request.js';
export * from './sync-job.js';
