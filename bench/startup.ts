/**
 * Figure 6: from process start to the first 201 of `POST /_connector/_sync_job`, running the
 * compiled and bundled `dist/bin/connector-sync-jobs.js` (what `npm start` and the
 * `connector-sync-jobs` bin run; the build is brought up to date first), vs a bare node:http process answering 201 (the floor
 * of starting Node and serving one request). Three cases: STORAGE=memory; STORAGE=pglite on a
 * fresh data directory (initdb and migrations included); STORAGE=pglite on an existing data
 * directory (a restart). The connector is created by a PUT once the server listens; the clock
 * stops at the first 201. For memory, the same through `npm start` (npm's own launch included)
 * is reported beside it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from '../tests/global-setup.js';
import { inOrder, median, ratioStats, type Pair } from './harness.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BARE = `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(201,{'content-type':'application/json'});s.end('{"id":"x"}')})}).listen(0,'127.0.0.1',function(){console.log('listening on http://127.0.0.1:'+this.address().port)})`;
const MAIN = 'dist/bin/connector-sync-jobs.js';

async function timeToFirst201(command: string, args: string[], env: Record<string, string>, setup: boolean): Promise<number> {
  const start = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: `npm start`'s child stops with it
  });
  const exited = new Promise((r) => child.on('exit', r));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    if (setup) {
      const put = await fetch(`${url}/_connector/bench`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"index_name":"search-bench","service_type":"x"}' });
      if (put.status >= 300) throw new Error(`PUT answered ${put.status}`);
    }
    const post = await fetch(`${url}/_connector/_sync_job`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"bench"}' });
    if (post.status !== 201) throw new Error(`POST answered ${post.status}`);
    return performance.now() - start;
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

const subject = (env: Record<string, string>) => timeToFirst201(process.execPath, [MAIN], env, true);
const baseline = () => timeToFirst201(process.execPath, ['-e', BARE], {}, false);

/** Runs `rounds` interleaved rounds (baseline first, then subject first, alternately). */
async function pair(name: string, rounds: number, run: () => Promise<number>, extra?: () => Promise<number>): Promise<Pair> {
  const s: number[] = [];
  const b: number[] = [];
  const x: number[] = [];
  for (let i = 0; i < rounds; i++) {
    await inOrder(
      i,
      async () => b.push(await baseline()),
      async () => s.push(await run()),
    );
    if (extra) x.push(await extra());
  }
  return {
    name,
    unit: 'ms',
    subject: median(s),
    baseline: median(b),
    ratio: ratioStats(s, b),
    ...(extra ? { extra: { 'through npm start, ms (median)': median(x) } } : {}),
    higherIsBetter: false,
  };
}

export async function startupFigures(rounds: number): Promise<Pair[]> {
  ensureBuild();
  const out: Pair[] = [];
  out.push(
    await pair('start-up to first 201, STORAGE=memory (compiled)', rounds, () => subject({ STORAGE: 'memory' }), () =>
      timeToFirst201('npm', ['start', '--silent'], { STORAGE: 'memory' }, true),
    ),
  );
  out.push(
    await pair('start-up to first 201, STORAGE=pglite, fresh data directory (compiled)', rounds, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'csj-bench-'));
      try {
        return await subject({ STORAGE: 'pglite', PGLITE_DIR: dir });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
  );
  const existing = mkdtempSync(join(tmpdir(), 'csj-bench-'));
  try {
    await subject({ STORAGE: 'pglite', PGLITE_DIR: existing }); // initdb, migrations, the connector
    out.push(await pair('start-up to first 201, STORAGE=pglite, existing data directory (compiled)', rounds, () => subject({ STORAGE: 'pglite', PGLITE_DIR: existing })));
  } finally {
    rmSync(existing, { recursive: true, force: true });
  }
  return out;
}
