/**
 * Figure 4: `POST /_connector/_sync_job` on memory storage vs a bare node:http server answering
 * 201 with a constant body. Load from a separate process (autocannon), same connections and
 * duration for both, rounds interleaved.
 */
import { spawn } from 'node:child_process';
import { createServer as createBareServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createContainer, TOKENS, type ConnectorStore } from '../src/index.js';
import { memoryModule } from '../adapters/memory/index.js';
import { createServer } from '../adapters/http/index.js';
import { benchConnector } from './core.js';
import { median, type Pair } from './harness.js';

const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

function load(url: string, connections: number, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const args = [autocannonBin, '-j', '-c', String(connections), '-d', String(seconds), '-m', 'POST',
      '-H', 'content-type=application/json', '-b', JSON.stringify({ id: 'bench', job_type: 'full' }), url];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number };
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx });
    });
  });
}

export async function httpFigures(rounds: number, seconds: number): Promise<Pair[]> {
  const container = createContainer(memoryModule());
  await container.get<ConnectorStore>(TOKENS.ConnectorStore).upsert(benchConnector('bench', 20));
  const app = createServer(container);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/_connector/_sync_job`;

  const body = JSON.stringify({ id: 'AaImJgADM_HJzqkzuRpm' });
  const bare = createBareServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/_connector/_sync_job`;

  const subject: Load[] = [];
  const baseline: Load[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        baseline.push(await load(bareUrl, 50, seconds));
        subject.push(await load(appUrl, 50, seconds));
      } else {
        subject.push(await load(appUrl, 50, seconds));
        baseline.push(await load(bareUrl, 50, seconds));
      }
    }
  } finally {
    await app.close();
    await new Promise((r) => bare.close(r));
  }
  if (subject.some((s) => s.non2xx > 0)) throw new Error('the library answered non-2xx under load');
  const ratios = subject.map((s, i) => s.rps / (baseline[i] as Load).rps);
  return [
    {
      name: 'HTTP POST /_connector/_sync_job, memory storage, 50 connections (autocannon)',
      unit: 'requests/s',
      subject: median(subject.map((s) => s.rps)),
      baseline: median(baseline.map((s) => s.rps)),
      ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
      extra: {
        'p50 ms': median(subject.map((s) => s.p50)),
        'p99 ms': median(subject.map((s) => s.p99)),
        'baseline p50 ms': median(baseline.map((s) => s.p50)),
        'baseline p99 ms': median(baseline.map((s) => s.p99)),
      },
      target: 0.7,
      higherIsBetter: true,
    },
  ];
}
