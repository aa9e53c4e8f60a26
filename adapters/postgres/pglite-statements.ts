import { PGlite, protocol, types } from '@electric-sql/pglite';
import type { PGliteInterface } from '@electric-sql/pglite';
import { serialize } from 'pg-protocol';

/** A row as PGlite's `query()` gives it (column name -> parsed value). */
type Row = Record<string, unknown>;

/** A text-format value parser of PGlite (`(text, oid) => value`). */
type Parser = (value: string, typeId?: number) => unknown;

type BackendMessage = { name: string };

const { DatabaseError, DataRowMessage, ParameterDescriptionMessage, RowDescriptionMessage } = protocol.messages;

/**
 * What the named path uses of a PGlite instance beyond {@link PGliteInterface}. Each member is
 * declared on PGlite's class; `_checkReady` and `_runExclusiveTransaction` are its internal
 * (underscore) side, needed because the public `runExclusive` takes only the query lock, which
 * `transaction()` releases between its statements: alone it could run a statement inside
 * another caller's open transaction. `query()` itself takes the transaction lock, then the
 * query lock, as this module does.
 */
interface PgliteInternals {
  _checkReady(): Promise<void>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolStream(message: Uint8Array, options?: { syncToFs?: boolean }): Promise<BackendMessage[]>;
  syncToFs(): Promise<void>;
  readonly parsers: Record<number | string, Parser>;
  readonly serializers: Record<number | string, (value: unknown) => string>;
}

/** A statement prepared in the PGlite session: its text and what its Describe returned. */
interface Prepared {
  readonly text: string;
  /** Parameter type OIDs (ParameterDescription), to serialise values as `query()` does. */
  readonly paramTypes: readonly number[];
  /** Result columns (RowDescription); empty when the statement returns no rows (NoData). */
  readonly names: readonly string[];
  readonly oids: readonly number[];
}

/**
 * SQLSTATEs after which the statement is prepared again and, outside a transaction, run once
 * more: 26000 (no such prepared statement: a `DEALLOCATE ALL` or `DISCARD ALL` in the session)
 * and 0A000 (`cached plan must not change result type`: the table changed under it). A failed
 * statement outside a transaction had no effect, so running it again is safe.
 */
const STALE_STATEMENT = new Set(['26000', '0A000']);

/** PGlite's `query()` error decoration (its `makePGliteError`): the statement and its parameters. */
function decorate(error: unknown, text: string, params: readonly unknown[]): unknown {
  if (error instanceof DatabaseError) {
    const e = error as InstanceType<typeof DatabaseError> & { query?: string; params?: unknown[]; queryOptions?: unknown };
    e.query = text;
    e.params = [...params];
    e.queryOptions = undefined;
  }
  return error;
}

/**
 * Named (prepared) statements in one PGlite session, through PGlite's protocol API
 * (`execProtocolStream`): the first call of a name sends Close + Parse + Describe + Sync (one call
 * into PostgreSQL), every later call Bind + Execute + Sync (one call), where `query()` sends Parse,
 * Describe, Bind, Describe, Execute and Sync as six calls and PostgreSQL parses and plans the text
 * on each. The messages are written by node-postgres' `pg-protocol`, several times faster than
 * PGlite's own serialiser on a large Bind (docs/decisions/0004-postgres-create-path.md). Rows are
 * decoded as `query()` decodes them (the same objects: PGlite's parsers by column type, text
 * format), parameters serialised as it does (its serialisers by parameter type), and a
 * PostgreSQL error is thrown as `query()` throws it (PGlite's `DatabaseError` with `code`,
 * `constraint`, ..., plus `query` and `params`).
 *
 * Locking is PGlite's own: outside a transaction the transaction lock, then the query lock (as
 * `query()`); inside `transaction()` the query lock only (as `tx.query()`), so the statement runs
 * in that transaction and nothing interleaves with it. One instance per PGlite (see
 * {@link pgliteStatements}): the names live in the session, shared by every executor on it.
 */
export class PgliteStatements {
  readonly #db: PgliteInternals;
  readonly #prepared = new Map<string, Prepared>();

  constructor(db: PgliteInternals) {
    this.#db = db;
  }

  /** How many names are prepared in the session (tests). */
  get size(): number {
    return this.#prepared.size;
  }

  /**
   * Runs `text` as the named statement `name` with `params`; resolves to its rows.
   * `inTransaction`: the caller is inside this PGlite's `transaction()` callback (holds its
   * transaction lock). `parsers`: per-query parsers by type OID, over PGlite's own (as
   * `query()`'s `options.parsers`). Rejects with PGlite's `DatabaseError` (a PostgreSQL error),
   * or `Error('PGlite is closed' | 'PGlite is closing')`.
   */
  async query(
    name: string,
    text: string,
    params: readonly unknown[],
    inTransaction: boolean,
    parsers?: Readonly<Record<number, Parser>>,
  ): Promise<Row[]> {
    const db = this.#db;
    const run = async (): Promise<Row[]> => {
      // close() takes both locks, marks the instance closing, then tears it down: a call queued
      // behind it must not reach the torn-down module.
      await db._checkReady();
      return this.#run(name, text, params, inTransaction, parsers);
    };
    if (inTransaction) return db.runExclusive(run);
    await db._checkReady();
    return db._runExclusiveTransaction(() => db.runExclusive(run));
  }

  async #run(
    name: string,
    text: string,
    params: readonly unknown[],
    inTransaction: boolean,
    parsers: Readonly<Record<number, Parser>> | undefined,
  ): Promise<Row[]> {
    let retried = false;
    for (;;) {
      let statement = this.#prepared.get(name);
      if (statement === undefined || statement.text !== text) statement = await this.#prepare(name, text, params);
      let messages: BackendMessage[];
      try {
        messages = await this.#db.execProtocolStream(
          Buffer.concat([serialize.bind({ statement: name, values: this.#values(statement, params) }), serialize.execute(), serialize.sync()]),
          { syncToFs: false },
        );
      } catch (error) {
        // Whatever went wrong, prepare the name again next time (Close + Parse): an error can
        // leave the statement gone or unusable, and one extra parse after an error costs little.
        this.#prepared.delete(name);
        const code = error instanceof DatabaseError ? error.code : undefined;
        if (!inTransaction && !retried && code !== undefined && STALE_STATEMENT.has(code)) {
          retried = true;
          continue;
        }
        throw decorate(error, text, params);
      }
      // as query(): outside a transaction, the file system is synced after the statement
      if (!inTransaction) await this.#db.syncToFs();
      return this.#rows(statement, messages, parsers);
    }
  }

  async #prepare(name: string, text: string, params: readonly unknown[]): Promise<Prepared> {
    this.#prepared.delete(name);
    let messages: BackendMessage[];
    try {
      // Close first: closing a name that does not exist is no error, and a name left in the
      // session (an earlier prepare whose answer was lost, another executor's text) is replaced.
      messages = await this.#db.execProtocolStream(
        Buffer.concat([serialize.close({ type: 'S', name }), serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
        { syncToFs: false },
      );
    } catch (error) {
      throw decorate(error, text, params);
    }
    let paramTypes: readonly number[] = [];
    let names: string[] = [];
    let oids: number[] = [];
    for (const m of messages) {
      if (m instanceof ParameterDescriptionMessage) paramTypes = m.dataTypeIDs;
      else if (m instanceof RowDescriptionMessage) {
        names = m.fields.map((f) => f.name);
        oids = m.fields.map((f) => f.dataTypeID);
      }
    }
    const prepared: Prepared = { text, paramTypes, names, oids };
    this.#prepared.set(name, prepared);
    return prepared;
  }

  /** The Bind values, as `query()` makes them: null stays null, else the type's serialiser or `toString()`. */
  #values(statement: Prepared, params: readonly unknown[]): (string | null)[] {
    const serializers = this.#db.serializers;
    const out = new Array<string | null>(params.length);
    for (let i = 0; i < params.length; i++) {
      const param = params[i];
      if (param === null || param === undefined) {
        out[i] = null;
        continue;
      }
      const serializer = serializers[statement.paramTypes[i] as number];
      out[i] = serializer ? serializer(param) : (param as { toString(): string }).toString();
    }
    return out;
  }

  /** The rows of one execution, as PGlite's `parseResults` builds them for `query()`. */
  #rows(statement: Prepared, messages: readonly BackendMessage[], parsers: Readonly<Record<number, Parser>> | undefined): Row[] {
    const rows: Row[] = [];
    const { names, oids } = statement;
    const base = this.#db.parsers;
    for (const m of messages) {
      if (!(m instanceof DataRowMessage)) continue;
      const row: Row = {};
      const fields = m.fields;
      for (let i = 0; i < fields.length; i++) {
        const value = fields[i] as string | null;
        const oid = oids[i] as number;
        const own = parsers?.[oid];
        row[names[i] as string] = value === null ? null : own !== undefined ? own(value, oid) : types.parseType(value, oid, base);
      }
      rows.push(row);
    }
    return rows;
  }
}

const perInstance = new WeakMap<object, PgliteStatements>();

/**
 * The named statements of `db`'s session (one per PGlite instance, so that every executor on it
 * shares the names), or undefined when `db` is not this package's PGlite class (a PGliteWorker,
 * another copy of the package, a wrapper): those run every statement through `query()`.
 */
export function pgliteStatements(db: PGliteInterface): PgliteStatements | undefined {
  if (!(db instanceof PGlite)) return undefined;
  let statements = perInstance.get(db);
  if (statements === undefined) {
    statements = new PgliteStatements(db as unknown as PgliteInternals);
    perInstance.set(db, statements);
  }
  return statements;
}
