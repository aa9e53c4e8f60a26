/**
 * PGlite faults through the compiled server (what `npm start` runs): a second process on a data
 * directory in use is refused, and kill -9 under load loses no acknowledged job. Also the
 * library-level lock (openPgliteDir) in one process.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, openPgliteDir } from '../../../adapters/postgres/index.js';
import { listening, runServer } from './server-process.js';

const post = (url: string, path: string, body: unknown, method = 'POST'): Promise<Response> =>
  fetch(url + path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('PGlite data directory: one process at a time', () => {
  it('in one process: a second open of the same directory throws DataDirectoryInUseError; after close it opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csj-lock-'));
    try {
      const first = openPgliteDir(join(dir, 'data'));
      try {
        expect(existsSync(join(dir, 'data.lock'))).toBe(true);
        expect(() => openPgliteDir(join(dir, 'data'))).toThrow(DataDirectoryInUseError);
      } finally {
        await first.close();
      }
      expect(existsSync(join(dir, 'data.lock'))).toBe(false);
      const again = openPgliteDir(join(dir, 'data'), { durable: false });
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('npm start: a second server on a data directory in use exits 1 with one line; kill -9 under load, then a restart, loses no acknowledged job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csj-kill-'));
    const env = { STORAGE: 'pglite', PGLITE_DIR: join(dir, 'data'), PGLITE_LOCK_STALE_MS: '2000' };
    try {
      const first = runServer(env);
      const url = await listening(first);
      expect((await post(url, '/_connector/c1', { index_name: 'search-c1', service_type: 'google_drive' }, 'PUT')).status).toBe(201);

      // a second process on the same directory: refused before PGlite touches the directory
      const second = runServer(env);
      expect(await second.exited).toBe(1);
      expect(second.err()).toMatch(/^PGlite data directory .*data is in use by another process \(lock .*data\.lock;[^\n]*\)\n$/);

      // load, then kill -9 in the middle of it
      const acknowledged: string[] = [];
      const failedBeforeKill: unknown[] = [];
      let killed = false;
      let stop = false;
      const workers = Array.from({ length: 8 }, async () => {
        while (!stop) {
          try {
            const res = await post(url, '/_connector/_sync_job', { id: 'c1' });
            if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
          } catch (error) {
            // the connection dies with the process: not acknowledged; before the kill it is a failure
            if (!killed) failedBeforeKill.push(error);
            return;
          }
        }
      });
      while (acknowledged.length < 50) await new Promise((r) => setTimeout(r, 20));
      killed = true;
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe(null);
      stop = true;
      await Promise.all(workers);
      expect(failedBeforeKill).toEqual([]);

      // restart: the dead process's lock is taken over once stale (2 s here)
      await new Promise((r) => setTimeout(r, 2_500));
      const third = runServer(env);
      const url3 = await listening(third);
      try {
        for (const id of acknowledged) {
          const res = await fetch(`${url3}/_connector/_sync_job/${id}`);
          expect(res.status, id).toBe(200);
        }
      } finally {
        third.child.kill('SIGTERM');
      }
      expect(await third.exited).toBe(0);
      console.log(`[faults] PGlite kill -9: ${acknowledged.length} acknowledged before the kill, all present after restart`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 400_000);
});
