/**
 * PGlite faults through `npm start` (adapters/http/main.ts): a second process on a data
 * directory in use is refused, and kill -9 under load loses no acknowledged job. Also the
 * library-level lock (openPgliteDir) in one process.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, openPgliteDir } from '../../../adapters/postgres/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Child {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/http/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

/** Waits for "listening on <url>", or rejects with what the process said. */
function listening(c: Child, ms = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${c.err()}`)), ms);
    const check = (): void => {
      const m = /listening on (http:\/\/\S+)/.exec(c.out());
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    c.child.stdout?.on('data', check);
    check();
    void c.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${c.err()}`));
    });
  });
}

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
      const first = run(env);
      const url = await listening(first);
      expect((await post(url, '/_connector/c1', { index_name: 'search-c1', service_type: 'google_drive' }, 'PUT')).status).toBe(201);

      // a second process on the same directory: refused before PGlite touches the directory
      const second = run(env);
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
      const third = run(env);
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
