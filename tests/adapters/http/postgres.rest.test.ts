import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { createContainer } from '../../../src/index.js';
import { postgresModule } from '../../../adapters/postgres/index.js';
import { openPgliteTemplate } from '../postgres/flavours.js';
import { DATABASE_URL, createThrowawayDatabase } from '../postgres/pg-helpers.js';
import { describeRestCases } from './rest-cases.js';

// Upstream's REST cases over HTTP on embedded PGlite (every run; the host's own PGlite, loaded
// from the run's migrated template: postgresModule opening its own is tested in module.test.ts) ...
const pglites: PGlite[] = [];
describeRestCases('pglite', async () => {
  const db = await openPgliteTemplate('migrated');
  pglites.push(db);
  return createContainer(postgresModule({ pglite: db }));
});
afterAll(async () => {
  for (const db of pglites.splice(0)) await db.close();
});

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
