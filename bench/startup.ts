/**
 * Figure 6: from process start to the first 201 of `POST /_connector/_sync_job`, for
 * STORAGE=memory and STORAGE=pglite (`adapters/http/main.ts`, what `npm start` runs), vs a bare
 * node:http process answering 201 (the floor of starting Node and serving one request).
 * The connector is created by a PUT once the server listens; the clock stops at the first 201.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Pair } from './harness.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BARE = `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(201,{'content-type':'application/json'});s.end('{"id":"x"}')})}).listen(0,'127.0.0.1',function(){console.log('listening on http://127.0.0.1:'+this.address().port)})`;

async function timeToFirst201(args: string[], env: Record<string, string>, setup: boolean): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r)));
  }
}

export async function startupFigures(rounds: number): Promise<Pair[]> {
  const out: Pair[] = [];
  for (const storage of ['memory', 'pglite'] as const) {
    const s: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'csj-bench-'));
      try {
        const subject = () => timeToFirst201(['--import', 'tsx', 'adapters/http/main.ts'], { STORAGE: storage, PGLITE_DIR: dir }, true);
        const baseline = () => timeToFirst201(['-e', BARE], {}, false);
        if (i % 2 === 0) {
          b.push(await baseline());
          s.push(await subject());
        } else {
          s.push(await subject());
          b.push(await baseline());
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const ratios = s.map((x, i) => x / (b[i] as number));
    out.push({
      name: `start-up to first 201, STORAGE=${storage} (fresh data directory)`,
      unit: 'ms',
      subject: median(s),
      baseline: median(b),
      ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
      higherIsBetter: false,
    });
  }
  return out;
}
