/**
 * `adapters/postgres/schema.ts` names schema objects the code uses; the migrations spell them
 * literally. A migrated database must have each, under that name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMABLE_CHANNEL, WAITERS_TABLE } from '../../../adapters/postgres/index.js';
import { JSON_MERGE_FUNCTION } from '../../../adapters/postgres/schema.js';
import { pgliteFlavour } from './flavours.js';
import type { OpenDatabase } from './flavours.js';

describe("schema.ts's names, on a migrated database", () => {
  let d: OpenDatabase;
  beforeAll(async () => {
    d = await pgliteFlavour.open();
  });
  afterAll(async () => {
    await d?.close();
  });

  it('the waiters table exists', async () => {
    const r = await d.q.query(`SELECT 1 FROM pg_class WHERE relname = $1 AND relkind = 'r'`, [WAITERS_TABLE]);
    expect(r.rows).toHaveLength(1);
  });

  it('the JSON merge function exists and merges', async () => {
    const r = await d.q.query<{ merged: string }>(`SELECT ${JSON_MERGE_FUNCTION}('{"a":{"b":1},"c":2}', '{"a":{"d":3}}')::text AS merged`);
    expect(JSON.parse(r.rows[0]!.merged)).toEqual({ a: { b: 1, d: 3 }, c: 2 });
  });

  it('the claimable trigger notifies the channel the queue listens on', async () => {
    const r = await d.q.query<{ def: string }>(`SELECT pg_get_functiondef('connector_sync_jobs_notify_claimable'::regproc) AS def`);
    expect(r.rows[0]!.def).toContain(`pg_notify('${CLAIMABLE_CHANNEL}', '')`);
  });
});
