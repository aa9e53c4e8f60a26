/** The HTTP adapter: Elasticsearch's wire API over Fastify, and the `npm start` composition root. */
export { createServer } from './server.js';
export { DEFAULT_BODY_LIMIT } from './body.js';
export type { ServerOptions } from './server.js';
export { ApiKeyAuthenticator, parseApiKeys } from './auth.js';
export type { ApiKeyEntry, ApiKeyRole } from './auth.js';
export { errorReply, esErrorBody, rootCauseOf, HttpError, INVALID_REQUEST_TYPES } from './errors.js';
export type { EsErrorBody, EsErrorCause, ErrorReply } from './errors.js';
export { storageModuleFromEnv, StorageNotAvailableError } from './storage.js';
export { DEFAULT_HTTP_LIMITS, startDraining } from './limits.js';
export type { HttpLimits } from './limits.js';
