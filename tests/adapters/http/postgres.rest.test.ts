import { afterAll, beforeAll } from 'vitest';
import { createContainer } from '../../../src/index.js';
import { postgresModule } from '../../../adapters/postgres/index.js';
import { DATABASE_URL, createThrowawayDatabase } from '../postgres/pg-helpers.js';
import { describeRestCases } from './rest-cases.js';

// Upstream's REST cases over HTTP on embedded PGlite (every run) ...
describeRestCases('pglite', () => createContainer(postgresModule({})));

// ... and on the PostgreSQL server when DATABASE_URL is set (a throwaway database per run).
let server: { url: string; drop: () => Promise<void> } | undefined;
beforeAll(async () => {
  if (DATABASE_URL) server = await createThrowawayDatabase(DATABASE_URL, 'rest');
});
afterAll(async () => {
  await server?.drop();
});
if (DATABASE_URL) {
  describeRestCases('postgres server', () => createContainer(postgresModule({ connectionString: server!.url })));
} else {
  console.log('[postgres server REST cases] skipped: DATABASE_URL is not set');
}
