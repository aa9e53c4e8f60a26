/**
 * Server memory over a million creates: the compiled server
 * (`dist/bin/connector-sync-jobs.js`, what `npm start` runs) on `STORAGE=postgres` with a
 * throwaway database, creates through HTTP (`POST /_connector/_sync_job`) from a separate load
 * process (autocannon, 32 connections, a fixed number of requests per step), and the server
 * process's resident set size (`VmRSS` of /proc/<pid>/status, Linux) sampled after each step.
 * The figure is the RSS after the last step over the RSS after the first (min and max: the
 * lowest and highest sample over that first one): 1.0 means no growth with the job count. The throwaway database has `synchronous_commit = off` (commits do not wait
 * for the WAL flush; the rows are the same) so that a million creates take minutes, not a
 * quarter of an hour, on this disk. Prints figures, asserts nothing about time or memory.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensureBuild } from '../tests/global-setup.js';
import { autocannonCreates, throwawayDatabase, type Pair } from './harness.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MAIN = 'dist/bin/connector-sync-jobs.js';

/** Resident set size of a process, MiB (Linux /proc). */
function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) / 1024;
}

/** `amount` creates from a separate autocannon process; resolves the 2xx count and the others. */
async function creates(url: string, amount: number): Promise<{ ok: number; non2xx: number; errors: number }> {
  const r = (await autocannonCreates(url, ['-c', '32', '-a', String(amount)])) as { '2xx': number; non2xx: number; errors: number };
  return { ok: r['2xx'], non2xx: r.non2xx, errors: r.errors };
}

/** `total` creates in steps of `step`, RSS after each; PostgreSQL server on DATABASE_URL (default: the local one). */
export async function rssFigures(total: number, step: number): Promise<Pair[]> {
  ensureBuild();
  const database = await throwawayDatabase('rss');
  await database.admin(`ALTER DATABASE "${database.name}" SET synchronous_commit = off`);
  const server = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', STORAGE: 'postgres', DATABASE_URL: database.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => server.on('exit', r));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      server.on('exit', (code) => reject(new Error(`the server exited ${code}`)));
    });
    const put = await fetch(`${base}/_connector/bench`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ index_name: 'search-bench', service_type: 'google_drive', language: 'en', name: 'bench' }),
    });
    if (put.status >= 300) throw new Error(`PUT answered ${put.status}`);
    const samples: { jobs: number; mib: number }[] = [{ jobs: 0, mib: rssMiB(server.pid!) }];
    const started = performance.now();
    let done = 0;
    while (done < total) {
      const n = Math.min(step, total - done);
      const r = await creates(`${base}/_connector/_sync_job`, n);
      if (r.ok !== n || r.non2xx > 0 || r.errors > 0) throw new Error(`step of ${n} creates: ${r.ok} answered 2xx, ${r.non2xx} non-2xx, ${r.errors} errors`);
      done += n;
      samples.push({ jobs: done, mib: rssMiB(server.pid!) });
      console.error(`  ${done.toLocaleString('en-US')} creates, server RSS ${samples.at(-1)!.mib.toFixed(1)} MiB`);
    }
    const seconds = (performance.now() - started) / 1000;
    const stored = await countJobs(database.url);
    if (stored !== total) throw new Error(`${stored} jobs stored after ${total} creates`);
    const first = samples[1]!;
    const last = samples.at(-1)!;
    return [
      {
        name: `server RSS after ${total.toLocaleString('en-US')} creates vs after ${first.jobs.toLocaleString('en-US')}, STORAGE=postgres, HTTP from a separate process`,
        unit: 'MiB',
        subject: last.mib,
        baseline: first.mib,
        ratio: { median: last.mib / first.mib, min: Math.min(...samples.slice(1).map((s) => s.mib)) / first.mib, max: Math.max(...samples.slice(1).map((s) => s.mib)) / first.mib },
        extra: {
          'RSS MiB at each step (jobs: MiB)': samples.map((s) => `${s.jobs / 1000}k: ${s.mib.toFixed(0)}`).join(', '),
          'creates/s': total / seconds,
          seconds,
        },
        target: 1.1,
        higherIsBetter: false,
      },
    ];
  } finally {
    if (server.exitCode === null) server.kill('SIGTERM');
    await exited;
    await database.drop();
  }
}

async function countJobs(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_jobs')).rows[0]!.n;
  } finally {
    await c.end();
  }
}
