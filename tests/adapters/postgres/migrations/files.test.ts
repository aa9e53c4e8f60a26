/**
 * The migration files, `adapters/postgres/migrations/NNNN-name.sql`: immutable history. Each
 * file's SHA-256 is pinned here, so a migration that databases may already have applied is
 * never edited (a schema change is a new file with the next number, and a new row here); the
 * numbers run from 1 without a gap; `MIGRATIONS` is exactly the files, in order.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../adapters/postgres/index.js';

const DIR = new URL('../../../../adapters/postgres/migrations/', import.meta.url);

/** File name -> SHA-256 of its bytes. Only a new migration adds a row; no row ever changes. */
const PINNED: Record<string, string> = {
  '0001-connectors-sync-jobs-idempotency.sql': '84826cddd4b6fd72b2daebf322ab62723c136c89bccb558f578dfe5a649a6e2b',
  '0002-connectors-description-status.sql': '3a281ed9fe9afef42bb320fca4677a042f9c0cc30cbb7ff2b5fb30520f23e527',
  '0003-sync-cursor-list-indexes-idempotency-job-id-index.sql': 'b2aae0aa9f9930bb94973911eaede5839c4d4453ee2de8723e1930c67bbeb0b2',
  '0004-worker-queue-indexes-notify-claimable.sql': '8efff599a05030addce478e661b4c8c81fc3d1a762cf59861b5d3743e19cff44',
  '0005-connectors-version-trigger.sql': 'e8827e2245437942d5c72c553ba37a9fac9d366b7aaca263957705df1c639230',
  '0006-json-merge-function.sql': '86f0ee49b25d8a0571129efb32257fdfc0a0eeb1326be7d0864625a88c826b04',
  '0007-sync-job-waiters-notify-while-waiting.sql': '1a0f9e27eee683b7c6801c757b7e6c81e2ccc447fbb3c37eb2b6a463e124182d',
  '0008-connectors-sync-info.sql': '8d1d89514ebc8fc1f555a00329b78b5a49edda65c0689ef04b7063d79f8478c6',
};

const files = readdirSync(DIR).sort();

describe('migration files', () => {
  it('are only NNNN-kebab-case-name.sql files', () => {
    for (const file of files) expect(file).toMatch(/^\d{4}-[a-z0-9-]+\.sql$/);
  });

  it('are numbered 1, 2, 3... without a gap or a repeat', () => {
    expect(files.map((f) => Number(f.slice(0, 4)))).toEqual(files.map((_, i) => i + 1));
  });

  it('are never edited: each has its pinned SHA-256, and each has a pin', () => {
    const hashes = Object.fromEntries(files.map((f) => [f, createHash('sha256').update(readFileSync(new URL(f, DIR))).digest('hex')]));
    expect(hashes).toEqual(PINNED);
  });

  it('are MIGRATIONS, in order: version and name from the file name, sql its text', () => {
    expect(MIGRATIONS).toEqual(
      files.map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -'.sql'.length), sql: readFileSync(new URL(f, DIR), 'utf8') })),
    );
  });
});
