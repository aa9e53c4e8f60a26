/**
 * The connector routes this server needs around sync jobs (upstream's RestGetConnectorAction,
 * RestPutConnectorAction, RestDeleteConnectorAction).
 */
import { ConnectorNotFoundError, decodeConnectorSetup, toConnectorResponse } from '../../src/index.js';
import type { ConnectorRecord } from '../../src/index.js';
import { route } from './route.js';
import type { Route } from './route.js';
import { booleanParam } from './url.js';

/** Upstream's connector API, in the table's order. */
export const CONNECTOR_ROUTES: readonly Route<unknown>[] = [
  route({
    method: 'GET',
    path: '/_connector/:connector_id',
    params: ['include_deleted'],
    auth: 'read',
    handle: async (request, _p, services) => {
      const id = request.params.connector_id ?? '';
      const includeDeleted = booleanParam(request.query, 'include_deleted');
      const connector = await services.connectors().findById(id);
      if (!connector || (connector.deleted && !includeDeleted)) throw new ConnectorNotFoundError(id);
      return { body: toConnectorResponse(connector) };
    },
  }),
  route<ConnectorRecord>({
    method: 'PUT',
    path: '/_connector/:connector_id',
    params: [],
    auth: 'write',
    prepare: (request, services) => {
      const id = request.params.connector_id ?? '';
      const now = services.clock().now();
      return request.parseBody((value) => decodeConnectorSetup(id, value, now));
    },
    handle: async (request, connector, services) => {
      const result = await services.connectors().upsert(connector);
      return { status: result === 'created' ? 201 : 200, body: { result, id: request.params.connector_id ?? '' } };
    },
  }),
  route<{ hard: boolean; deleteSyncJobs: boolean }>({
    method: 'DELETE',
    path: '/_connector/:connector_id',
    params: ['delete_sync_jobs', 'hard'],
    auth: 'write',
    // upstream's RestDeleteConnectorAction reads both in prepareRequest (a bad value is 400 before any privilege check)
    prepare: (request) => ({ hard: booleanParam(request.query, 'hard'), deleteSyncJobs: booleanParam(request.query, 'delete_sync_jobs') }),
    handle: async (request, options, services) => {
      await services.connectors().delete(request.params.connector_id ?? '', options);
      return { body: { acknowledged: true } };
    },
  }),
];
