/**
 * Figure 4: `POST /_connector/_sync_job` through the HTTP adapter (the compiled build, as
 * `npm start` runs it) on memory storage, beside three
 * baselines on the same machine in the same run, rounds interleaved (the order of the four servers
 * reverses every round), load from a separate process (autocannon, same connections, duration
 * and body for all four):
 * - a bare Fastify route calling the same (compiled) `CreateSyncJob` use case on its own memory container,
 *   body read as a string and parsed with `JSON.parse` (no media-type check, no duplicate-key or
 *   depth check, no `[line:column]` error positions, no compressed bodies, no query parameter
 *   checks, no product header): what the adapter's own code costs on top of the core (target >= 0.95);
 * - a bare Fastify route answering 201 with a constant body, body read and dropped: what
 *   Fastify plus the core costs together (target >= 0.7);
 * - a bare `node:http` server answering 201 with a constant body (no target; the floor);
 * - the bare Fastify route calling the same create, with the adapter's connection limits
 *   (`limits.ts`: the header, request, keep-alive and idle timeouts, the 408/400/431 client
 *   error answers) and the product header added (no target): what those guarantees
 *   cost by themselves, so that adapter vs this is the adapter's own code.
 * Each server first takes one unmeasured second of the same load (JIT warm-up).
 * Beside requests/s, the server's CPU time per request (this process's `process.cpuUsage()`
 * over a load run, one server loaded at a time, divided by the answered requests), which the
 * other processes on a loaded machine disturb less; baseline/subject of it reads like the
 * throughput ratio.
 */
import { createServer as createBareServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { ConnectorStore, CreateSyncJob } from '../src/index.js';
import { ensureBuild } from '../tests/global-setup.js';
import { benchConnector } from './core.js';
import { autocannonCreates, median, ratioStats, type Pair } from './harness.js';

/**
 * The compiled build (`dist/`, brought up to date first): what `npm start`, the bin and an
 * importing host run. The rest of `npm run bench` runs the sources through tsx, whose on-the-fly
 * transform (esbuild with `keepNames`: a `__name` call for each function made per request, ...)
 * costs the adapter's per-request code a few microseconds that no deployment pays.
 */
type Core = typeof import('../src/index.js');
type Memory = typeof import('../adapters/memory/index.js');
type Http = typeof import('../adapters/http/index.js');
type Limits = typeof import('../adapters/http/limits.js');
async function compiled(): Promise<{ core: Core; memory: Memory; http: Http; limits: Limits }> {
  ensureBuild();
  const dist = (path: string): string => new URL(`../dist/${path}`, import.meta.url).href;
  return {
    core: (await import(dist('src/index.js'))) as Core,
    memory: (await import(dist('adapters/memory/index.js'))) as Memory,
    http: (await import(dist('adapters/http/index.js'))) as Http,
    limits: (await import(dist('adapters/http/limits.js'))) as Limits,
  };
}

const CONNECTIONS = 50;
const PATH = '/_connector/_sync_job';

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** CPU time (user + system) of this process per answered request, in microseconds. */
  cpuUs: number;
}

async function load(url: string, connections: number, seconds: number): Promise<Load> {
  const cpu = process.cpuUsage();
  const r = (await autocannonCreates(url, ['-c', String(connections), '-d', String(seconds)])) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
  };
  const used = process.cpuUsage(cpu);
  const cpuUs = (used.user + used.system) / Math.max(1, r.requests.total);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, cpuUs };
}

async function memoryContainerWithConnector(): Promise<ReturnType<Core['createContainer']>> {
  const { core, memory } = await compiled();
  const container = core.createContainer(memory.memoryModule());
  await container.get<ConnectorStore>(core.TOKENS.ConnectorStore).upsert(benchConnector('bench', 20));
  return container;
}

interface Server {
  url: string;
  close(): Promise<void>;
}

const urlOf = (address: AddressInfo): string => `http://127.0.0.1:${address.port}${PATH}`;

/** The library's HTTP adapter. */
async function adapterServer(): Promise<Server> {
  const app = (await compiled()).http.createServer(await memoryContainerWithConnector());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: urlOf(app.server.address() as AddressInfo), close: () => app.close() };
}

/**
 * A bare Fastify route: JSON.parse of the body, the same create use case, 201 {"id"}. `guarded`:
 * with the adapter's connection limits (default `HttpLimits`) and the product header.
 */
async function fastifyCreateServer(guarded = false): Promise<Server> {
  const { core, limits } = await compiled();
  const create = (await memoryContainerWithConnector()).get<CreateSyncJob>(core.TOKENS.CreateSyncJob);
  const resolved = limits.resolveLimits();
  const app = guarded ? Fastify(limits.limitOptions(resolved)) : Fastify();
  if (guarded) {
    limits.applyConnectionCap(app, resolved);
  }
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.post(PATH, async (request, reply) => {
    const job = await create.execute(request.body);
    if (guarded) void reply.header('x-elastic-product', 'Elasticsearch');
    return reply.code(201).send({ id: job.id });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: urlOf(app.server.address() as AddressInfo), close: () => app.close() };
}

const CONSTANT = JSON.stringify({ id: 'AaImJgADM_HJzqkzuRpm' });

/** A bare Fastify route answering 201 with a constant body (the body is read as a string and dropped). */
async function fastifyConstantServer(): Promise<Server> {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post(PATH, async (_request, reply) => reply.code(201).type('application/json').send(CONSTANT));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: urlOf(app.server.address() as AddressInfo), close: () => app.close() };
}

/** A bare node:http server answering 201 with a constant body. */
async function nodeHttpServer(): Promise<Server> {
  const bare = createBareServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(CONSTANT) });
      res.end(CONSTANT);
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  return {
    url: urlOf(bare.address() as AddressInfo),
    close: () => new Promise<void>((r) => bare.close(() => r())),
  };
}

const NAMES = ['adapter', 'fastify-create', 'fastify-constant', 'node-http', 'fastify-create-guarded'] as const;
type Name = (typeof NAMES)[number];

export async function httpFigures(rounds: number, seconds: number): Promise<Pair[]> {
  const servers: Partial<Record<Name, Server>> = {};
  const loads: Record<Name, Load[]> = { adapter: [], 'fastify-create': [], 'fastify-constant': [], 'node-http': [], 'fastify-create-guarded': [] };
  try {
    servers.adapter = await adapterServer();
    servers['fastify-create'] = await fastifyCreateServer();
    servers['fastify-constant'] = await fastifyConstantServer();
    servers['node-http'] = await nodeHttpServer();
    servers['fastify-create-guarded'] = await fastifyCreateServer(true);
    // warm-up, not measured: every server's code compiled by the JIT before the first round
    for (const name of NAMES) await load((servers[name] as Server).url, CONNECTIONS, 1);
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? [...NAMES].reverse() : [...NAMES];
      for (const name of order) loads[name].push(await load((servers[name] as Server).url, CONNECTIONS, seconds));
    }
  } finally {
    for (const s of Object.values(servers)) await s.close();
  }
  for (const name of NAMES) {
    if (loads[name].some((s) => s.non2xx > 0)) throw new Error(`${name} answered non-2xx under load`);
  }
  const subject = loads.adapter;
  const versus = (baseline: Name, label: string, target: number | undefined): Pair => {
    const base = loads[baseline];
    const p: Pair = {
      name: `HTTP POST /_connector/_sync_job, memory storage, ${CONNECTIONS} connections (autocannon): adapter vs ${label}`,
      unit: 'requests/s',
      subject: median(subject.map((s) => s.rps)),
      baseline: median(base.map((s) => s.rps)),
      ratio: ratioStats(subject.map((s) => s.rps), base.map((s) => s.rps)),
      extra: {
        'p50 ms': median(subject.map((s) => s.p50)),
        'p99 ms': median(subject.map((s) => s.p99)),
        'baseline p50 ms': median(base.map((s) => s.p50)),
        'baseline p99 ms': median(base.map((s) => s.p99)),
        // steadier than requests/s on a loaded machine: the load generator's CPU is not in it
        'server CPU us/request': median(subject.map((s) => s.cpuUs)),
        'baseline server CPU us/request': median(base.map((s) => s.cpuUs)),
        'CPU ratio baseline/subject': median(subject.map((s, i) => (base[i] as Load).cpuUs / s.cpuUs)),
      },
      higherIsBetter: true,
    };
    if (target !== undefined) p.target = target;
    return p;
  };
  return [
    versus('fastify-create', 'bare Fastify route calling the same create (JSON.parse)', 0.95),
    versus('fastify-constant', 'bare Fastify route answering a constant 201', 0.7),
    versus('node-http', 'bare node:http answering a constant 201', undefined),
    versus(
      'fastify-create-guarded',
      "bare Fastify route calling the same create with the adapter's timeouts, connection cap and product header",
      undefined,
    ),
  ];
}
