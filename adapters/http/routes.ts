/**
 * The HTTP adapter's route table: every API the server answers, one entry each (see `route.ts`
 * for what an entry holds). Everything else on the wire (admission, bodies, unknown parameters,
 * 405 and no-handler answers, the product header, the error shape, `filter_path` and `pretty`)
 * is applied by `server.ts` to every entry, so adding a route is adding an entry: a sync job
 * route in `sync-job-routes.ts`, a connector route in `connector-routes.ts`.
 */
import { infoAnswer } from './info.js';
import { route } from './route.js';
import type { Route } from './route.js';
import { CONNECTOR_ROUTES } from './connector-routes.js';
import { JOB_END_ROUTES, SYNC_JOB_ROUTES, WORKER_ROUTES } from './sync-job-routes.js';

/** `GET /`: Elasticsearch's info, open without a key. */
const INFO_ROUTE = route({
  method: 'GET',
  path: '/',
  params: [],
  auth: 'none',
  handle: async () => ({ body: infoAnswer() }),
});

/** The routes of this server. */
export const ROUTES: readonly Route<unknown>[] = [INFO_ROUTE, ...SYNC_JOB_ROUTES, ...CONNECTOR_ROUTES, ...JOB_END_ROUTES, ...WORKER_ROUTES];
