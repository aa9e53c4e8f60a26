import type { Client } from '@elastic/elasticsearch';
import { StorageFailureError, StorageUnavailableError, isJsonObject } from '../../src/internal.js';
import type { JsonObject } from '../../src/internal.js';
import { errorTypeOf, isNotFound, isVersionConflict, translateError } from './errors.js';

/** A stored document with its optimistic-concurrency coordinates. */
export interface Versioned {
  source: JsonObject;
  seqNo: number;
  primaryTerm: number;
}

/** A search hit: its `_id`, `_source` and, when asked for, `_seq_no`/`_primary_term` (else 0). */
export type Hit = { id: string } & Versioned;

/** A document this process wrote (a claim or lock, to remove on failure). */
export interface Held {
  index: string;
  id: string;
  seqNo: number;
  primaryTerm: number;
}

/**
 * Thin, translated access to the client, shared by every operation: each request carries an
 * explicit timeout, writes are never replayed by the transport, and what Elasticsearch says
 * about a missing document or index is read here. The document requests that several operations
 * share are methods; an operation with a request of its own calls `client` with `readOptions` or
 * `writeOptions` and translates its errors with `translateError`.
 */
export class DocumentGateway {
  constructor(
    readonly client: Client,
    private readonly requestTimeout: number,
  ) {}

  /** Reads are idempotent: the client's own retries apply. */
  get readOptions() {
    return { requestTimeout: this.requestTimeout };
  }

  /** Writes are never retried blindly by the transport: an ambiguous failure is checked by the caller. */
  get writeOptions() {
    return { requestTimeout: this.requestTimeout, maxRetries: 0 };
  }

  /** The document, or null when it or its index is missing. Throws only typed errors. */
  async get(index: string, id: string, what: string): Promise<Versioned | null> {
    try {
      const r: unknown = await this.client.get<JsonObject>({ index, id }, this.readOptions);
      if (!isJsonObject(r) || typeof r.found !== 'boolean') {
        throw new StorageUnavailableError(`Elasticsearch gave an unexpected answer to a read of ${what}`);
      }
      const doc = r as { found: boolean; _source?: unknown; _seq_no?: number; _primary_term?: number };
      if (!doc.found) return null;
      if (!isJsonObject(doc._source)) {
        throw new StorageFailureError(`${what} has no _source (is _source disabled on [${index}]?)`);
      }
      return { source: doc._source, seqNo: doc._seq_no ?? 0, primaryTerm: doc._primary_term ?? 0 };
    } catch (error: unknown) {
      if (isNotFound(error)) return null;
      throw translateError(error, what);
    }
  }

  /**
   * `PUT index/_create/id`: the new document's coordinates, or null when the id is taken (409).
   * Other failures are rethrown untranslated, so the caller can tell an ambiguous one.
   */
  async create(index: string, id: string, document: JsonObject, refresh: boolean): Promise<Held | null> {
    try {
      const r = await this.client.create({ index, id, document, ...(refresh ? { refresh: true } : {}) }, this.writeOptions);
      return { index, id, seqNo: r._seq_no ?? 0, primaryTerm: r._primary_term ?? 0 };
    } catch (error: unknown) {
      if (isVersionConflict(error)) return null;
      throw error;
    }
  }

  /** Compare-and-set replace: the new coordinates, or null when the document changed meanwhile (409). */
  async replaceIf(
    index: string,
    id: string,
    document: JsonObject,
    seen: Versioned,
    what: string,
    refresh = false,
  ): Promise<Held | null> {
    try {
      const r = await this.client.index(
        { index, id, document, if_seq_no: seen.seqNo, if_primary_term: seen.primaryTerm, ...(refresh ? { refresh: true } : {}) },
        this.writeOptions,
      );
      return { index, id, seqNo: r._seq_no ?? 0, primaryTerm: r._primary_term ?? 0 };
    } catch (error: unknown) {
      if (isVersionConflict(error) || isNotFound(error)) return null;
      throw translateError(error, what);
    }
  }

  /** Removes a document this process wrote, only if nobody replaced it since. */
  async release(held: Held): Promise<void> {
    try {
      await this.client.delete(
        { index: held.index, id: held.id, if_seq_no: held.seqNo, if_primary_term: held.primaryTerm },
        this.writeOptions,
      );
    } catch (error: unknown) {
      // Gone already, or taken over by another writer: nothing of ours is left to remove.
      if (isNotFound(error) || isVersionConflict(error)) return;
      throw translateError(error, `removing [${held.id}] from [${held.index}]`);
    }
  }

  /**
   * Compare-and-set partial update: `POST index/_update/id?if_seq_no&if_primary_term&refresh=true`
   * with `{doc}` (Elasticsearch merges `doc` into `_source`, objects recursively). 'conflict' when
   * the document changed since `seen` (409), 'missing' when it or its index is gone (404
   * `document_missing_exception` / `index_not_found_exception`). Other failures are rethrown
   * untranslated, so the caller can tell an ambiguous one.
   */
  async updateIf(index: string, id: string, doc: JsonObject, seen: Versioned): Promise<'updated' | 'conflict' | 'missing'> {
    try {
      await this.client.update(
        { index, id, doc, if_seq_no: seen.seqNo, if_primary_term: seen.primaryTerm, refresh: true },
        this.writeOptions,
      );
      return 'updated';
    } catch (error: unknown) {
      if (isVersionConflict(error)) return 'conflict';
      if (isNotFound(error) || errorTypeOf(error) === 'document_missing_exception') return 'missing';
      throw error;
    }
  }

  /**
   * `DELETE index/_doc/id?if_seq_no&if_primary_term&refresh=true`: `conflict` when the document
   * changed since `seen`, `missing` when it or its index is gone.
   */
  async removeIf(index: string, id: string, seen: Versioned, what: string): Promise<'deleted' | 'conflict' | 'missing'> {
    try {
      const r = await this.client.delete({ index, id, if_seq_no: seen.seqNo, if_primary_term: seen.primaryTerm, refresh: true }, this.writeOptions);
      return r.result === 'deleted' ? 'deleted' : 'missing';
    } catch (error: unknown) {
      if (isVersionConflict(error)) return 'conflict';
      if (isNotFound(error)) return 'missing';
      throw translateError(error, what);
    }
  }

  /** `DELETE index/_doc/id?refresh=true`: false when it or its index is missing. */
  async remove(index: string, id: string, what: string): Promise<boolean> {
    try {
      const r = await this.client.delete({ index, id, refresh: true }, this.writeOptions);
      return r.result === 'deleted';
    } catch (error: unknown) {
      if (isNotFound(error)) return false;
      throw translateError(error, what);
    }
  }

  /**
   * `POST index/_search` with `body` (from, size, query, sort, ...): the total and the hits with
   * their `_seq_no`/`_primary_term` when asked for; a missing index has no hits.
   */
  async search(index: string, body: Record<string, unknown>, what: string): Promise<{ total: number; hits: Hit[] }> {
    try {
      const r = await this.client.search<JsonObject>({ index, ...body }, this.readOptions);
      const total = r.hits.total;
      const hits = r.hits.hits.map((h) => {
        if (!isJsonObject(h._source)) {
          throw new StorageUnavailableError(`a hit of ${what} has no _source (is _source disabled on [${index}]?)`);
        }
        return { id: h._id ?? '', source: h._source, seqNo: h._seq_no ?? 0, primaryTerm: h._primary_term ?? 0 };
      });
      return { total: typeof total === 'number' ? total : (total?.value ?? hits.length), hits };
    } catch (error: unknown) {
      if (errorTypeOf(error) === 'index_not_found_exception') return { total: 0, hits: [] };
      throw translateError(error, what);
    }
  }
}
