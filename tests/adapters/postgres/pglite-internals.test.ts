/**
 * What `adapters/postgres/pglite-statements.ts` and `pglite-open.ts` use of PGlite beyond its
 * documented API, checked on a real PGlite instance: a PGlite upgrade that renames or retypes one
 * of them fails HERE, by name, instead of somewhere inside a create. The way out until the
 * adapter follows the upgrade: `postgresModule({ ..., preparedStatements: false })` (or
 * `postgresStores(db, { preparedStatements: false })`), which sends every statement through
 * PGlite's public `query()` (docs/library.md).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, protocol, types } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { serialize } from 'pg-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, closeContainer, createContainer, initializeContainer } from '../../../src/index.js';
import { postgresModule } from '../../../adapters/postgres/index.js';
import { connector } from 'connector-sync-jobs/testing';

const WAY_OUT =
  'connector-sync-jobs relies on it for named statements on PGlite (adapters/postgres/pglite-statements.ts, pglite-open.ts); ' +
  'until the adapter follows this PGlite version, pass `preparedStatements: false` to postgresModule / postgresStores (docs/library.md)';
/** The installed PGlite's version (its package.json, above its entry point). */
const PGLITE_VERSION = ((): string => {
  for (let dir = dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite'))); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version ?? '?';
    } catch {
      // no package.json here: one level up
    }
  }
  return '?';
})();
const because = (what: string): string => `PGlite ${PGLITE_VERSION}: ${what} changed. ${WAY_OUT}`;

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

describe('the PGlite internals the adapter relies on', () => {
  it('instance methods: _checkReady, _runExclusiveTransaction, runExclusive, execProtocolStream, syncToFs', async () => {
    const internals = db as unknown as Record<string, unknown>;
    for (const name of ['_checkReady', '_runExclusiveTransaction', 'runExclusive', 'execProtocolStream', 'syncToFs']) {
      expect(typeof internals[name], because(`PGlite.prototype.${name} (expected a method)`)).toBe('function');
    }
    const d = internals as {
      _checkReady(): Promise<void>;
      _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
      runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    };
    await expect(d._checkReady(), because('_checkReady() (expected a promise)')).resolves.toBeUndefined();
    await expect(d._runExclusiveTransaction(() => d.runExclusive(async () => 42)), because('the transaction and query locks')).resolves.toBe(42);
  });

  it('instance tables: parsers and serializers by type OID', () => {
    const { parsers, serializers } = db as unknown as { parsers: Record<number, unknown>; serializers: Record<number, unknown> };
    expect(typeof parsers, because('PGlite.parsers (expected an object)')).toBe('object');
    expect(typeof serializers, because('PGlite.serializers (expected an object)')).toBe('object');
    expect(typeof parsers[16], because('PGlite.parsers[16] (bool: expected a parser function)')).toBe('function');
    expect(typeof serializers[114], because('PGlite.serializers[114] (json: expected a serialiser function)')).toBe('function');
  });

  it('module exports: protocol.messages classes, types.parseType, PGlite.defaultStartParams, NodeFS', () => {
    for (const name of ['DatabaseError', 'DataRowMessage', 'ParameterDescriptionMessage', 'RowDescriptionMessage'] as const) {
      expect(typeof protocol?.messages?.[name], because(`protocol.messages.${name} (expected a class)`)).toBe('function');
    }
    expect(typeof types?.parseType, because('types.parseType (expected a function)')).toBe('function');
    expect(Array.isArray(PGlite.defaultStartParams), because('PGlite.defaultStartParams (expected an array)')).toBe(true);
    expect(PGlite.defaultStartParams, because('PGlite.defaultStartParams (expected to hold -F, fsync off)')).toContain('-F');
    expect(typeof NodeFS.prototype.init, because('NodeFS.prototype.init (expected a method)')).toBe('function');
  });

  it('execProtocolStream answers a Parse + Describe + Sync with the protocol classes', async () => {
    const d = db as unknown as { execProtocolStream(m: Uint8Array, o?: { syncToFs?: boolean }): Promise<object[]> };
    const messages = await d.execProtocolStream(
      Buffer.concat([serialize.parse({ name: 'csj_probe', text: 'SELECT $1::int4 AS n' }), serialize.describe({ type: 'S', name: 'csj_probe' }), serialize.sync()]),
      { syncToFs: false },
    );
    expect(Array.isArray(messages), because('execProtocolStream (expected an array of backend messages)')).toBe(true);
    expect(messages.some((m) => m instanceof protocol.messages.ParameterDescriptionMessage), because('execProtocolStream\'s messages (no ParameterDescriptionMessage)')).toBe(true);
    expect(messages.some((m) => m instanceof protocol.messages.RowDescriptionMessage), because('execProtocolStream\'s messages (no RowDescriptionMessage)')).toBe(true);
  });

  it('the way out: preparedStatements: false runs the stores on PGlite through query() alone', async () => {
    const container = createContainer(postgresModule({ pglite: db, preparedStatements: false }));
    await initializeContainer(container);
    const api = container.get(TOKENS.SyncJobs);
    await api.connectors.upsert(connector('c1'));
    const job = await api.jobs.create({ connectorId: 'c1' });
    expect((await api.jobs.claim(job.id, { workerHostname: 'w' })).status).toBe('in_progress');
    const named = await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements');
    expect(named.rows.filter((r) => r.name !== 'csj_probe')).toEqual([]);
    await closeContainer(container);
  });
});
