/**
 * Property over every route of the route table: random query strings and methods. A known
 * method with known parameters works as without them; an unknown parameter is upstream's 400
 * and writes nothing; another method is the 405. Every route needs an entry in `call` (how to
 * call it), which a test checks.
 */
import { test, fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createContainer, decodeConnectorSetup, Instant, TOKENS } from '../../../src/index.js';
import type { ConnectorStore, SyncJobStore } from '../../../src/index.js';
import { memoryModule, MemorySyncJobStore } from '../../../adapters/memory/index.js';
import { ROUTES } from '../../../adapters/http/routes.js';
import type { Route } from '../../../adapters/http/route.js';
import { GLOBAL_PARAMS } from '../../../adapters/http/url.js';
import { expectErrorShape, startServer } from './harness.js';
import type { TestServer } from './harness.js';

/** How each route is called with valid arguments, and the statuses it then answers. */
const call: Record<string, { body?: unknown; ok: number[] }> = {
  'GET /': { ok: [200] },
  'POST /_connector/_sync_job': { body: { id: 'p1' }, ok: [201] },
  'GET /_connector/_sync_job/:connector_sync_job_id': { ok: [200] },
  'GET /_connector/:connector_id': { ok: [200] },
  'PUT /_connector/:connector_id': { body: { index_name: 'search-p1', service_type: 'x' }, ok: [200] },
  'DELETE /_connector/:connector_id': { ok: [200] },
  'GET /_connector/_sync_job': { ok: [200] },
  'DELETE /_connector/_sync_job/:connector_sync_job_id': { ok: [200] },
  'PUT /_connector/_sync_job/:connector_sync_job_id/_cancel': { ok: [200] },
  // a fenced route (if_started_at) of a job never claimed: 409
  'PUT /_connector/_sync_job/:connector_sync_job_id/_check_in': { ok: [200, 409] },
  'PUT /_connector/_sync_job/:connector_sync_job_id/_claim': { body: { worker_hostname: 'w' }, ok: [200] },
  // the fresh job is pending, and pending -> error is not a transition: upstream's 400
  'PUT /_connector/_sync_job/:connector_sync_job_id/_error': { body: { error: 'e' }, ok: [400, 409] },
  'PUT /_connector/_sync_job/:connector_sync_job_id/_stats': {
    body: { deleted_document_count: 1, indexed_document_count: 2, indexed_document_volume: 3 },
    ok: [200, 409],
  },
  // pending -> completed / suspended are not transitions: 400
  'PUT /_connector/_sync_job/:connector_sync_job_id/_complete': { body: { indexed_document_count: 1 }, ok: [400, 409] },
  'PUT /_connector/_sync_job/:connector_sync_job_id/_suspend': { ok: [400, 409] },
  'POST /_connector/_sync_job/_claim_next': { body: { worker_hostname: 'w' }, ok: [200] },
};

const BOOLEAN_VALUES = ['true', 'false', ''];
/** Valid values of the list's parameters (any other known parameter is a boolean). */
const LIST_VALUES: Record<string, string[]> = {
  from: ['0', '1', '10'],
  size: ['0', '1', '100'],
  connector_id: ['p1', 'nope'],
  status: ['pending', 'CANCELED', 'in_progress'],
  job_type: ['full', 'full,incremental', 'ACCESS_CONTROL'],
  if_started_at: ['2026-11-29T10:11:12.345678Z'],
};
const valueFor = (name: string): fc.Arbitrary<string> =>
  name === 'filter_path'
    ? fc.constantFrom('id', '*', '**', '-id', 'version.number', 'connector.*')
    : fc.constantFrom(...(LIST_VALUES[name] ?? BOOLEAN_VALUES));

const routeArb = fc.constantFrom(...ROUTES);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

interface Case {
  route: Route;
  method: string;
  known: [string, string][];
  unknown: [string, string][];
}

const cases: fc.Arbitrary<Case> = routeArb.chain((route) => {
  const knownNames = [...GLOBAL_PARAMS, ...route.params];
  const known = fc
    .uniqueArray(fc.constantFrom(...knownNames), { maxLength: knownNames.length })
    .chain((names) => (names.length === 0 ? fc.constant([] as [string, string][]) : fc.tuple(...names.map((n) => valueFor(n).map((v): [string, string] => [n, v])))));
  const unknownName = fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom('prety', 'hardd', 'foo', 'connector_id', 'filter-path', 'PRETTY'));
  const unknown = fc.uniqueArray(
    fc.tuple(unknownName, fc.string({ maxLength: 6 })).filter(([n]) => !knownNames.includes(n) && !route.path.includes(`:${n}`) && n !== '#'),
    { maxLength: 2, selector: ([n]) => n },
  );
  const method = fc.oneof({ weight: 3, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) });
  return fc.record({ route: fc.constant(route), method, known, unknown });
});

const qs = (pairs: [string, string][]): string =>
  pairs.map(([n, v]) => `${encodeURIComponent(n)}${v === '' ? '' : `=${encodeURIComponent(v)}`}`).join('&');

describe('HTTP adapter, property: query parameters and methods on every route', () => {
  let server: TestServer;
  let connectors: ConnectorStore;
  const jobs = (): MemorySyncJobStore => server.container.get<SyncJobStore>(TOKENS.SyncJobStore) as MemorySyncJobStore;

  beforeAll(async () => {
    server = await startServer(() => createContainer(memoryModule()));
    connectors = server.container.get<ConnectorStore>(TOKENS.ConnectorStore);
  });
  afterAll(() => server.close());

  test('every route of the table has a way to be called here', () => {
    for (const r of ROUTES) expect(call[`${r.method} ${r.path}`], `${r.method} ${r.path}`).toBeDefined();
  });

  test.prop([cases], { numRuns: 250 })('known parameters work, unknown ones are 400 and write nothing', async (c) => {
    // a fresh connector p1 and one job of it, for every run
    await connectors.upsert(decodeConnectorSetup('p1', { index_name: 'search-p1', service_type: 'x' }, Instant.fromDate(new Date())));
    const job = await server.request('POST', '/_connector/_sync_job', { body: { id: 'p1' } });
    expect(job.status).toBe(201);
    const path = c.route.path.replace(':connector_id', 'p1').replace(':connector_sync_job_id', job.json.id as string);
    const spec = call[`${c.route.method} ${c.route.path}`]!;
    const pairs = [...c.known, ...c.unknown];
    const url = pairs.length === 0 ? path : `${path}?${qs(pairs)}`;
    const sameMethod = c.method === c.route.method || ROUTES.some((r) => r.path === c.route.path && r.method === c.method);
    const before = { jobs: jobs().size, connector: JSON.stringify(await connectors.findById('p1')) };
    const target = ROUTES.find((r) => r.path === c.route.path && r.method === c.method);
    const body = target ? call[`${target.method} ${target.path}`]?.body : undefined;
    const res = await server.request(c.method, url, body === undefined ? {} : { body });
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    // another route on the same path (GET vs DELETE) consumes its own parameters
    const consumed = target ? [...GLOBAL_PARAMS, ...target.params] : [];
    const unknown = pairs.filter(([n]) => !consumed.includes(n));
    if (!sameMethod) {
      // an extension's path leaves other methods to upstream's routes (Route.extension)
      if (!c.route.extension) expect(res.status).toBe(405);
    } else if (unknown.length > 0) {
      const e = expectErrorShape(res, 400);
      expect(e.type).toBe('illegal_argument_exception');
      expect(e.reason).toContain(`request [${path}] contains unrecognized parameter`);
      for (const [n] of unknown) expect(e.reason).toContain(`[${n}]`);
      expect(jobs().size).toBe(before.jobs);
      expect(JSON.stringify(await connectors.findById('p1'))).toBe(before.connector);
    } else {
      const expected = target ? call[`${target.method} ${target.path}`]!.ok : spec.ok;
      expect(expected, `${c.method} ${url}: ${res.text}`).toContain(res.status);
      if (c.known.some(([n, v]) => n === 'pretty' && v !== 'false')) expect(res.text.endsWith('\n')).toBe(true);
    }
  });
});
