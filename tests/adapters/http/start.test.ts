import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContainerModule } from 'inversify';
import { storageModuleFromEnv } from '../../../adapters/http/storage.js';
import { runServer, startServer } from './server-process.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A JSON request, as a client of the server sends it. */
function sendJson(method: 'PUT' | 'POST', url: string, body: unknown): Promise<Response> {
  return fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/**
 * `npm start` end to end for one storage: serve, create a connector and a job, read it back,
 * SIGTERM, exit 0. `storageEnv` selects the storage (STORAGE=memory here; PGlite, the default,
 * is checked below with a restart, for persistence).
 */
export function describeStartCommand(name: string, storageEnv: Record<string, string>): void {
  describe(`npm start (${name})`, () => {
    it('serves, creates a connector and a job, and exits 0 on SIGTERM', async () => {
      const s = await startServer(storageEnv);
      try {
        expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const put = await sendJson('PUT', `${s.url}/_connector/c1`, { index_name: 'search-c1', service_type: 'google_drive' });
        expect(put.status).toBe(201);
        const post = await sendJson('POST', `${s.url}/_connector/_sync_job`, { id: 'c1', job_type: 'incremental' });
        expect(post.status).toBe(201);
        const { id } = (await post.json()) as { id: string };
        const get = await fetch(`${s.url}/_connector/_sync_job/${id}`);
        expect(await get.json()).toMatchObject({ id, job_type: 'incremental', status: 'pending', connector: { id: 'c1', index_name: 'search-c1' } });
      } finally {
        s.child.kill('SIGTERM');
      }
      expect(await s.exited).toBe(0);
      expect(s.err()).toBe('');
    });

    it('exits 0 on SIGINT too', async () => {
      const s = await startServer(storageEnv);
      expect((await fetch(`${s.url}/`)).status).toBe(200);
      s.child.kill('SIGINT');
      expect(await s.exited).toBe(0);
      expect(s.out()).toContain('SIGINT: shutting down');
    });
  });
}

describeStartCommand('memory', { STORAGE: 'memory' });

describe.concurrent('npm start: bad settings exit non-zero with one line on stderr', () => {
  for (const [env, message] of [
    [{ STORAGE: 'bogus' }, 'STORAGE=bogus is not supported (expected one of: memory, pglite, postgres, elasticsearch)'],
    [{ STORAGE: 'memory', PORT: 'abc' }, 'PORT must be an integer from 0 to 65535 (got [abc])'],
    [{ STORAGE: 'memory', PORT: '70000' }, 'PORT must be an integer from 0 to 65535 (got [70000])'],
    [{ STORAGE: 'memory', API_KEYS: 'k:admin' }, 'API_KEYS entries must be key:read or key:write (got an entry with role [admin])'],
    [{ STORAGE: 'memory', BODY_LIMIT: '-1' }, 'BODY_LIMIT must be an integer from 1 to 2147483647 (got [-1])'],
    [{ STORAGE: 'memory', ONE_ACTIVE_JOB_PER_CLASS: 'yes' }, 'ONE_ACTIVE_JOB_PER_CLASS must be true or false (got [yes])'],
  ] as [Record<string, string>, string][]) {
    it(JSON.stringify(env), async () => {
      const r = runServer(env);
      expect(await r.exited).toBe(1);
      expect(r.err()).toBe(`${message}\n`);
    });
  }
});

describe('npm start: a port in use', () => {
  it('exits 1 with one line', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = runServer({ STORAGE: 'memory', PORT: String(port) });
      expect(await r.exited).toBe(1);
      expect(r.err()).toMatch(new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*\\n$`));
    } finally {
      blocker.close();
    }
  });
});

/** Prints every module URL the compiled storageModuleFromEnv(STORAGE = argv[1]) resolves. */
const LOADED_PROBE = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  "import { writeSync } from 'node:fs';" +
  "export async function resolve(s, c, next) { const r = await next(s, c); writeSync(1, r.url + String.fromCharCode(10)); return r; }"));
const { storageModuleFromEnv } = await import('./dist/adapters/http/storage.js');
await storageModuleFromEnv({ STORAGE: process.argv[1], PGLITE_DIR: '/nonexistent-never-opened', DATABASE_URL: 'postgres://x@127.0.0.1:1/db' });
`;

describe('storageModuleFromEnv', () => {
  it('gives every storage, and names the setting a storage is missing', async () => {
    for (const s of ['memory', 'pglite', '']) expect(await storageModuleFromEnv({ STORAGE: s })).toBeInstanceOf(ContainerModule);
    expect(await storageModuleFromEnv({ STORAGE: 'postgres', DATABASE_URL: 'postgres://x@127.0.0.1:1/db' })).toBeInstanceOf(ContainerModule);
    expect(await storageModuleFromEnv({ STORAGE: 'elasticsearch', ELASTICSEARCH_URL: 'http://127.0.0.1:1' })).toBeInstanceOf(ContainerModule);
    await expect(storageModuleFromEnv({ STORAGE: 'postgres' })).rejects.toThrow('STORAGE=postgres needs DATABASE_URL');
    await expect(storageModuleFromEnv({ STORAGE: 'elasticsearch' })).rejects.toThrow('STORAGE=elasticsearch needs ELASTICSEARCH_URL');
  });

  it('STORAGE=memory loads only the memory adapter: no PGlite, pg or Elasticsearch client; pglite and postgres load no other driver', async () => {
    /** The modules `storageModuleFromEnv` loads for a storage (a resolve hook prints each URL). */
    const loadedFor = (storage: string): Promise<string[]> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', LOADED_PROBE, storage], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(out.split('\n').filter(Boolean)) : reject(new Error(`probe exited ${code}`))));
      });
    const heavy = /node_modules\/(pg|@electric-sql\/pglite|@elastic\/elasticsearch)\//;
    const memory = await loadedFor('memory');
    expect(memory.some((u) => u.includes('/dist/adapters/memory/'))).toBe(true);
    expect(memory.filter((u) => heavy.test(u) || u.includes('/dist/adapters/postgres/') || u.includes('/dist/adapters/elasticsearch/'))).toEqual([]);
    // the postgres adapter loads its drivers on demand: PGlite when the module opens it, pg for a pool
    for (const storage of ['pglite', 'postgres']) {
      const loaded = await loadedFor(storage);
      expect(loaded.some((u) => u.includes('/dist/adapters/postgres/'))).toBe(true);
      expect(loaded.filter((u) => heavy.test(u) || u.includes('/dist/adapters/elasticsearch/'))).toEqual([]);
    }
  });
});

describe('npm start (pglite, the default): jobs survive a restart', () => {
  it('creates a job, stops on SIGTERM, starts again on the same data directory and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csj-start-'));
    try {
      const env = { PGLITE_DIR: dir }; // no STORAGE: the default is PGlite
      const first = await startServer(env);
      let id: string;
      try {
        const put = await sendJson('PUT', `${first.url}/_connector/c1`, { index_name: 'search-c1', service_type: 'google_drive' });
        expect(put.status).toBe(201);
        const post = await sendJson('POST', `${first.url}/_connector/_sync_job`, { id: 'c1', trigger_method: 'scheduled' });
        expect(post.status).toBe(201);
        id = ((await post.json()) as { id: string }).id;
      } finally {
        first.child.kill('SIGTERM');
      }
      expect(await first.exited).toBe(0);

      const second = await startServer(env);
      try {
        const get = await fetch(`${second.url}/_connector/_sync_job/${id}`);
        expect(get.status).toBe(200);
        expect(await get.json()).toMatchObject({ id, trigger_method: 'scheduled', job_type: 'full', status: 'pending' });
      } finally {
        second.child.kill('SIGTERM');
      }
      expect(await second.exited).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 540_000); // two PGlite starts, the first one an initdb (2-3 s idle, minutes on an overloaded machine)

  it('an unreachable Postgres server exits 1 with one line', async () => {
    const r = runServer({ STORAGE: 'postgres', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(await r.exited).toBe(1);
    expect(r.err().trim().split('\n')).toHaveLength(1);
    expect(r.err()).toMatch(/postgres|storage|unavailable|connect/i);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('npm start (postgres server, DATABASE_URL)', () => {
  it('serves and creates a job', async () => {
    const s = await startServer({ STORAGE: 'postgres', DATABASE_URL: process.env.DATABASE_URL ?? '' });
    try {
      const put = await sendJson('PUT', `${s.url}/_connector/start-pg`, { index_name: 'search-pg', service_type: 'google_drive' });
      expect([200, 201]).toContain(put.status);
      const post = await sendJson('POST', `${s.url}/_connector/_sync_job`, { id: 'start-pg' });
      expect(post.status).toBe(201);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exited).toBe(0);
  });
});
