/**
 * `@elastic/elasticsearch-mock` (the official transport-level mock) with resolvers backed by a
 * Map of indices -> documents that answer as Elasticsearch answers: 201 + `result` on create,
 * 404 for a missing document or index, 409 version_conflict_engine_exception on `_create` of an
 * existing id or a failed if_seq_no/if_primary_term, 400 resource_already_exists_exception;
 * `_update` with `{doc}` merges objects recursively (XContentHelper.update), answers `noop` when
 * nothing changes (detect_noop) and 404 document_missing_exception for a missing document.
 * Every request is recorded; faults can be injected. Not an HTTP server: no socket is opened.
 */
import { createRequire } from 'node:module';
import { Client } from '@elastic/elasticsearch';
import M from '@elastic/elasticsearch-mock';
import type { MockPattern } from '@elastic/elasticsearch-mock';
import { ElasticsearchConnectorStore, ElasticsearchSyncJobStore } from '../../../adapters/elasticsearch/index.js';
import type { ElasticsearchStoreSettings } from '../../../adapters/elasticsearch/index.js';

const Mock = M as unknown as typeof M.default;
type EsModule = typeof import('@elastic/elasticsearch');
/** The CommonJS copy of the client's errors: the one the mock recognises. */
export const errors = (createRequire(import.meta.url)('@elastic/elasticsearch') as EsModule).errors;

export interface RecordedRequest {
  method: string;
  path: string;
  querystring: Record<string, string>;
  body: unknown;
}

interface StoredDoc {
  source: Record<string, unknown>;
  seqNo: number;
  primaryTerm: number;
  version: number;
}

interface StoredIndex {
  docs: Map<string, StoredDoc>;
  mappings: unknown;
  /** What search sees: a copy of `docs` taken at the last refresh (GET by id is realtime). */
  searchable: Map<string, StoredDoc>;
}

interface SearchBody {
  from?: number;
  size?: number;
  sort?: Array<Record<string, string | { order?: string; unmapped_type?: string }>>;
  track_total_hits?: boolean;
  seq_no_primary_term?: boolean;
  _source?: boolean;
  query?: {
    match_all?: Record<string, never>;
    bool?: {
      filter?: Array<{
        term?: Record<string, unknown>;
        terms?: Record<string, unknown[]>;
        range?: Record<string, { gt?: number; gte?: number; lte?: number; format?: string }>;
      }>;
      must_not?: Array<{ ids?: { values: string[] } }>;
    };
  };
}

type Fault = { match: (r: RecordedRequest) => boolean; answer: () => unknown; times: number };

/** Any answer with a status code (the mock answers 200 unless given a ResponseError). */
export function respond(statusCode: number, body: unknown): InstanceType<typeof errors.ResponseError> {
  return new errors.ResponseError({
    body,
    statusCode,
    headers: {},
    warnings: null,
    meta: {} as never,
  });
}

/** Elasticsearch's error body. */
export function esError(status: number, type: string, reason: string, extra: Record<string, unknown> = {}) {
  return respond(status, { error: { root_cause: [{ type, reason, ...extra }], type, reason, ...extra }, status });
}


export class MockCluster {
  readonly mock = new Mock();
  readonly indices = new Map<string, StoredIndex>();
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  private seqNo = 0;

  constructor() {
    this.mock.add({ method: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], path: '/*' }, (p: MockPattern) =>
      this.handle(p) as Record<string, unknown>,
    );
  }

  /** A client on this mock (the host's client: the adapter never closes it). */
  client(options: { maxRetries?: number } = {}): Client {
    return new Client({
      node: 'http://localhost:9200',
      Connection: this.mock.getConnection() as never,
      ...options,
    });
  }

  /** The next `times` requests matching `match` answer `answer()` (a ResponseError or client error). */
  failNext(match: (r: RecordedRequest) => boolean, answer: () => unknown, times = 1): void {
    this.faults.push({ match, answer, times });
  }

  /** The documents of an index (empty when missing). */
  docs(index: string): Map<string, StoredDoc> {
    return this.indices.get(index)?.docs ?? new Map();
  }

  /** Puts a document straight into an index (as another writer would have), refreshed. */
  seed(index: string, id: string, source: unknown): void {
    const i = this.ensure(index);
    const prev = i.docs.get(id);
    i.docs.set(id, { source: structuredClone(source) as Record<string, unknown>, seqNo: ++this.seqNo, primaryTerm: 1, version: (prev?.version ?? 0) + 1 });
    i.searchable = new Map(i.docs);
  }

  private ensure(index: string): StoredIndex {
    let i = this.indices.get(index);
    if (!i) {
      i = { docs: new Map(), mappings: null, searchable: new Map() };
      this.indices.set(index, i);
    }
    return i;
  }

  private handle(p: MockPattern): unknown {
    const req: RecordedRequest = {
      method: String(p.method),
      path: String(p.path),
      querystring: { ...(p.querystring ?? {}) },
      body: p.body ?? null,
    };
    this.requests.push(req);
    const fault = this.faults.find((f) => f.times > 0 && f.match(req));
    if (fault) {
      fault.times--;
      return fault.answer();
    }
    // The mock hands resolvers the path already URI-decoded; index names cannot hold '/', ids can.
    const [, index = '', endpoint, ...idParts] = req.path.split('/');
    const id = idParts.length === 0 ? undefined : idParts.join('/');
    const q = req.querystring;
    const existing = this.indices.get(index);
    const missingIndex = () =>
      esError(404, 'index_not_found_exception', `no such index [${index}]`, { 'resource.type': 'index_or_alias', 'resource.id': index, index });

    if (endpoint === undefined) {
      if (req.method === 'HEAD') return existing ? {} : respond(404, {});
      if (req.method === 'PUT') {
        if (existing) {
          return esError(400, 'resource_already_exists_exception', `index [${index}/abc] already exists`, { index });
        }
        this.ensure(index).mappings = (req.body as { mappings?: unknown } | null)?.mappings ?? null;
        return { acknowledged: true, shards_acknowledged: true, index };
      }
      if (req.method === 'DELETE') {
        if (!existing) return missingIndex();
        this.indices.delete(index);
        return { acknowledged: true };
      }
    }
    if (endpoint === '_count') {
      if (!existing) return missingIndex();
      return { count: existing.searchable.size, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } };
    }
    if (endpoint === '_search') {
      if (!existing) return missingIndex();
      return this.search(index, existing, req.body as SearchBody | null);
    }
    if (endpoint === '_delete_by_query' && req.method === 'POST') {
      if (!existing) return missingIndex();
      const found = this.search(index, existing, { ...(req.body as SearchBody), size: Number.MAX_SAFE_INTEGER }) as {
        hits?: { hits: { _id: string }[] };
      };
      if (!found.hits) return found;
      for (const h of found.hits.hits) existing.docs.delete(h._id);
      this.refreshIf(existing, q);
      const n = found.hits.hits.length;
      return { took: 1, timed_out: false, total: n, deleted: n, batches: 1, version_conflicts: 0, noops: 0, failures: [] };
    }
    if (endpoint === '_refresh') {
      if (!existing) return missingIndex();
      existing.searchable = new Map(existing.docs);
      return { _shards: { total: 1, successful: 1, failed: 0 } };
    }
    if (endpoint === '_update' && id !== undefined && req.method === 'POST') {
      const target = this.ensure(index); // action.auto_create_index, as a default cluster does
      const d = target.docs.get(id);
      if (!d) {
        return esError(404, 'document_missing_exception', `[${id}]: document missing`, { index_uuid: 'mock', shard: '0', index });
      }
      if (q.if_seq_no !== undefined && (Number(q.if_seq_no) !== d.seqNo || Number(q.if_primary_term) !== d.primaryTerm)) {
        return this.conflict(index, id, `required seqNo [${q.if_seq_no}], primary term [${q.if_primary_term}]. current document has seqNo [${d.seqNo}] and primary term [${d.primaryTerm}]`);
      }
      const body = req.body as { doc?: unknown } | null;
      if (!body || Object.keys(body).some((k) => k !== 'doc') || !isObject(body.doc)) {
        return esError(400, 'illegal_argument_exception', 'mock cluster: only a partial update with `doc` is supported');
      }
      const merged = mergeDoc(d.source, body.doc);
      if (JSON.stringify(merged) === JSON.stringify(d.source)) {
        return {
          _index: index, _id: id, _version: d.version, result: 'noop',
          _shards: { total: 0, successful: 0, failed: 0 }, _seq_no: d.seqNo, _primary_term: d.primaryTerm,
        };
      }
      const stored: StoredDoc = { source: merged, seqNo: ++this.seqNo, primaryTerm: 1, version: d.version + 1 };
      target.docs.delete(id); // Lucene writes a new document: index order is last-write order
      target.docs.set(id, stored);
      this.refreshIf(target, q);
      return {
        _index: index, _id: id, _version: stored.version, result: 'updated',
        _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: stored.seqNo, _primary_term: 1,
      };
    }
    if ((endpoint === '_doc' || endpoint === '_create') && id !== undefined) {
      const shards = { total: 2, successful: 1, failed: 0 };
      if (req.method === 'GET') {
        if (!existing) return missingIndex();
        const d = existing.docs.get(id);
        if (!d) return respond(404, { _index: index, _id: id, found: false });
        return {
          _index: index, _id: id, _version: d.version, _seq_no: d.seqNo, _primary_term: d.primaryTerm,
          found: true, _source: structuredClone(d.source),
        };
      }
      if (req.method === 'DELETE') {
        if (!existing) return missingIndex();
        const d = existing.docs.get(id);
        if (!d) return respond(404, { _index: index, _id: id, result: 'not_found', _shards: shards });
        if (q.if_seq_no !== undefined && (Number(q.if_seq_no) !== d.seqNo || Number(q.if_primary_term) !== d.primaryTerm)) {
          return this.conflict(index, id, `required seqNo [${q.if_seq_no}], primary term [${q.if_primary_term}]. current document has seqNo [${d.seqNo}] and primary term [${d.primaryTerm}]`);
        }
        existing.docs.delete(id);
        this.refreshIf(existing, q);
        return { _index: index, _id: id, _version: d.version + 1, result: 'deleted', _shards: shards, _seq_no: ++this.seqNo, _primary_term: 1 };
      }
      if (req.method === 'PUT' || req.method === 'POST') {
        const target = this.ensure(index); // action.auto_create_index, as a default cluster does
        const d = target.docs.get(id);
        const create = endpoint === '_create' || q.op_type === 'create';
        if (create && d) return this.conflict(index, id, 'document already exists');
        if (q.if_seq_no !== undefined) {
          if (!d || Number(q.if_seq_no) !== d.seqNo || Number(q.if_primary_term) !== d.primaryTerm) {
            return this.conflict(index, id, `required seqNo [${q.if_seq_no}], primary term [${q.if_primary_term}]`);
          }
        }
        const stored: StoredDoc = {
          source: structuredClone(req.body as Record<string, unknown>),
          seqNo: ++this.seqNo,
          primaryTerm: 1,
          version: (d?.version ?? 0) + 1,
        };
        target.docs.delete(id); // Lucene writes a new document: index order is last-write order
        target.docs.set(id, stored);
        this.refreshIf(target, q);
        const body = {
          _index: index, _id: id, _version: stored.version, result: d ? 'updated' : 'created',
          _shards: shards, _seq_no: stored.seqNo, _primary_term: 1,
        };
        return d ? body : respond(201, body);
      }
    }
    return esError(400, 'illegal_argument_exception', `mock cluster: unsupported ${req.method} ${req.path}`);
  }

  /**
   * The subset of the search API the adapter sends: `match_all`, or `bool.filter` of
   * `term`/`terms` on keyword fields (dotted paths) and `range` on a date field in epoch
   * milliseconds, and `bool.must_not` of `ids`; `from`,
   * `size`, `track_total_hits`, `seq_no_primary_term`, `_source: false`; `sort` on one date
   * field, compared as Elasticsearch's `date` type does (epoch milliseconds), equal values in
   * index order (here: the order of the documents' last writes). Anything else is a 400, so a
   * change in the adapter's query shows up here.
   */
  private search(index: string, i: StoredIndex, body: SearchBody | null): unknown {
    const knownKeys = new Set(['from', 'size', 'sort', 'track_total_hits', 'seq_no_primary_term', '_source', 'query']);
    if (body && Object.keys(body).some((k) => !knownKeys.has(k))) {
      return esError(400, 'parsing_exception', 'mock cluster: unsupported search body');
    }
    const query = body?.query ?? { match_all: {} };
    const bool = query.bool;
    const known = new Set(['filter', 'must_not']);
    const matchAll = Object.keys(query).length === 1 && query.match_all !== undefined;
    if (!matchAll && (!bool || Object.keys(query).length !== 1 || Object.keys(bool).some((k) => !known.has(k)))) {
      return esError(400, 'parsing_exception', 'mock cluster: unsupported query');
    }
    const get = (src: unknown, path: string): unknown =>
      path.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), src);
    const tests: Array<(id: string, src: unknown) => boolean> = [];
    for (const f of bool?.filter ?? []) {
      if (f.term) {
        const [field, v] = Object.entries(f.term)[0]!;
        tests.push((_id, src) => get(src, field) === v);
      } else if (f.terms) {
        const [field, vs] = Object.entries(f.terms)[0]!;
        tests.push((_id, src) => (vs as unknown[]).includes(get(src, field)));
      } else if (f.range) {
        // a date field against epoch_millis bounds, compared by the millisecond as a `date` field is
        const [field, r] = Object.entries(f.range)[0]!;
        if (r.format !== 'epoch_millis') return esError(400, 'parsing_exception', 'mock cluster: range needs format epoch_millis');
        tests.push((_id, src) => {
          const ms = millisOf(get(src, field));
          return ms !== null && (r.gt === undefined || ms > r.gt) && (r.gte === undefined || ms >= r.gte) && (r.lte === undefined || ms <= r.lte);
        });
      } else return esError(400, 'parsing_exception', 'mock cluster: unsupported filter');
    }
    for (const f of bool?.must_not ?? []) {
      if (!f.ids) return esError(400, 'parsing_exception', 'mock cluster: unsupported must_not');
      const ids = f.ids.values;
      tests.push((id) => !ids.includes(id));
    }
    let hits = [...i.searchable.entries()].filter(([id, d]) => tests.every((t) => t(id, d.source)));
    if ((body?.sort?.length ?? 0) > 1) return esError(400, 'parsing_exception', 'mock cluster: one sort field only');
    const sort = body?.sort?.[0];
    if (sort) {
      const [field, order] = Object.entries(sort)[0]!;
      const dir = (typeof order === 'string' ? order : order.order) === 'desc' ? -1 : 1;
      const millis = (d: StoredDoc): number => Date.parse(String(get(d.source, field)));
      hits = hits.sort(([, a], [, b]) => dir * (millis(a) - millis(b))); // stable: ties keep index order
    }
    const from = body?.from ?? 0;
    const size = body?.size ?? 10;
    return {
      took: 1,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: {
        total: { value: hits.length, relation: 'eq' },
        max_score: null,
        hits: hits.slice(from, from + size).map(([id, d]) => ({
          _index: index,
          _id: id,
          _score: null,
          ...(body?.seq_no_primary_term ? { _seq_no: d.seqNo, _primary_term: d.primaryTerm } : {}),
          ...(body?._source === false ? {} : { _source: structuredClone(d.source) }),
          ...(sort ? { sort: [millisOf(get(d.source, Object.keys(sort)[0]!))] } : {}),
        })),
      },
    };
  }

  private refreshIf(i: StoredIndex, q: Record<string, string>): void {
    if (q.refresh === 'true' || q.refresh === '' || q.refresh === 'wait_for') i.searchable = new Map(i.docs);
  }

  private conflict(index: string, id: string, detail: string) {
    return esError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${detail}`, {
      index_uuid: 'mock', shard: '0', index,
    });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `_update` with `doc` does to `_source`: objects merge recursively, anything else replaces. */
function mergeDoc(base: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(changes)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? mergeDoc(prev, v) : structuredClone(v);
  }
  return out;
}

const millisOf = (v: unknown): number | null => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null);

/** The adapter's default index names, as the tests assert them. */
export const JOBS = '.elastic-connectors-sync-jobs';
export const CONNECTORS = '.elastic-connectors';
export const IDEMPOTENCY = '.connector-sync-jobs-idempotency';
export const LOCKS = '.connector-sync-jobs-active-locks';

/**
 * A fresh mock cluster with the adapter's two stores on it, the job indices created: what the
 * contract and queue suites start each test from. `settings` go to both stores.
 */
export async function mockStores(settings: ElasticsearchStoreSettings = { indices: { connectors: CONNECTORS, syncJobs: JOBS } }) {
  const cluster = new MockCluster();
  const client = cluster.client();
  const connectors = new ElasticsearchConnectorStore(client, settings);
  const jobs = new ElasticsearchSyncJobStore(client, settings);
  await jobs.ensureIndices();
  return { cluster, client, connectors, jobs };
}
