/** Interleaved measurement: each round runs the baseline and the subject back to back. */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

export interface Pair {
  name: string;
  unit: string;
  subject: number;
  baseline: number;
  ratio: { median: number; min: number; max: number };
  /** Extra figures (latency percentiles...). */
  extra?: Record<string, number | string>;
  target?: number;
  higherIsBetter: boolean;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

/** Runs `op` repeatedly for `ms` milliseconds; returns operations per second. */
export async function throughput(op: () => unknown | Promise<unknown>, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) await op();
    n += 64;
  }
  return n / ((performance.now() - start) / 1000);
}

/** Runs `op` with `concurrency` workers for `ms`; returns ops/s and latencies in ms. */
export async function concurrent(
  op: () => Promise<unknown>,
  concurrency: number,
  ms: number,
): Promise<{ opsPerSec: number; latencies: number[] }> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await op();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { opsPerSec: latencies.length / ((performance.now() - start) / 1000), latencies };
}

/** Runs round `round`'s two sides: the baseline first in even rounds, the subject first in odd ones. */
export async function inOrder(round: number, baseline: () => Promise<unknown>, subject: () => Promise<unknown>): Promise<void> {
  if (round % 2 === 0) {
    await baseline();
    await subject();
  } else {
    await subject();
    await baseline();
  }
}

/** Median, min and max over the rounds of subject[i] / baseline[i]. */
export function ratioStats(subject: number[], baseline: number[]): { median: number; min: number; max: number } {
  const r = subject.map((v, i) => v / (baseline[i] as number));
  return { median: median(r), min: Math.min(...r), max: Math.max(...r) };
}

/** `rounds` interleaved rounds of baseline then subject (order alternating); ratio = subject / baseline. */
export async function pair(
  rounds: number,
  baseline: () => Promise<number>,
  subject: () => Promise<number>,
): Promise<{ subject: number; baseline: number; ratio: { median: number; min: number; max: number } }> {
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < rounds; i++) {
    await inOrder(
      i,
      async () => b.push(await baseline()),
      async () => s.push(await subject()),
    );
  }
  return { subject: median(s), baseline: median(b), ratio: ratioStats(s, b) };
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(2);
}

/** A database the bench creates for itself and drops at the end. */
export interface ThrowawayDatabase {
  /** Its URL (DATABASE_URL's server, this database's name). */
  url: string;
  /** Runs SQL on the server's admin connection (e.g. `ALTER DATABASE "<name>" SET ...`). */
  admin: (sql: string) => Promise<void>;
  name: string;
  /** `DROP DATABASE ... WITH (FORCE)`, then closes the admin connection. */
  drop: () => Promise<void>;
}

/**
 * Creates `csj_bench_<tag>_<pid>_<time>` on the server of DATABASE_URL (default: the local
 * server's `test` database); the caller drops it in a `finally`.
 */
export async function throwawayDatabase(tag: string): Promise<ThrowawayDatabase> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `csj_bench_${tag}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    url: dbUrl.toString(),
    name,
    admin: async (sql) => void (await admin.query(sql)),
    drop: async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/**
 * POSTs the bench's create body (`{"id":"bench","job_type":"full"}`, JSON) to `url` from a
 * separate autocannon process with `options` (e.g. `['-c', '50', '-d', '5']`); resolves its
 * JSON report (`requests`, `latency`, `2xx`, `non2xx`, `errors`...).
 */
export function autocannonCreates(url: string, options: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const args = [autocannonBin, '-j', ...options, '-m', 'POST', '-H', 'content-type=application/json', '-b', JSON.stringify({ id: 'bench', job_type: 'full' }), url];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      resolve(JSON.parse(out) as Record<string, unknown>);
    });
  });
}
