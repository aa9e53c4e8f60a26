/**
 * The package as a host gets it: `npm pack`, the tarball installed into a fresh host project
 * (dependencies from the npm registry or the local npm cache), and there, from
 * `node_modules/connector-sync-jobs` and never from this repository's sources:
 * - every entry of `exports` imports;
 * - a host file type-checks against the shipped `.d.ts` (tsc, strict), and every export of every
 *   entry point carries TSDoc (read from the same type-check's program);
 * - README's `ts` examples (the blocks tests/readme.test.ts runs from the sources) type-check and
 *   run, printing what their `// text` comments say;
 * - `connector-sync-jobs/testing` works for a host: README's "Test your own adapter" example
 *   (the ```ts suite block) runs the store contract with the host's own vitest and fast-check
 *   (peer dependencies, installed in the host), against the installed package;
 * - the `connector-sync-jobs` bin (what `npx connector-sync-jobs` runs) serves, creates a job
 *   (201) and exits 0 on SIGTERM.
 *
 * The build is the one tests/global-setup.ts brought up to date (`npm pack --ignore-scripts`,
 * so packing does not rebuild `dist/` under the other test files that run it).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackageJson {
  name: string;
  version: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  scripts: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
/** The drivers and the server framework: optional peer dependencies (devDependencies here). */
const PEERS = ['pg', '@types/pg', '@electric-sql/pglite', '@elastic/elasticsearch', 'fastify'];
/** `connector-sync-jobs`, `connector-sync-jobs/adapters/memory`, ... (not `./package.json`). */
const ENTRIES = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));

/** README's ```ts blocks, as tests/readme.test.ts reads them. */
const README_BLOCKS = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```ts([^\n]*)\n([\s\S]*?)```/g)].map((m, i) => ({
  index: i,
  env: /env=([A-Z_]+)/.exec(m[1] ?? '')?.[1],
  suite: /\bsuite\b/.test(m[1] ?? ''),
  code: m[2] ?? '',
}));

/**
 * The host file: uses each entry point the way a host would. The `@ts-expect-error` lines fail
 * the type-check if the shipped types were missing or `any`.
 */
const HOST_FILE = `
import { Container } from 'inversify';
import {
  coreModule, createContainer, initializeContainer, closeContainer, TOKENS, InvalidRequestError, MissingDriverError,
  type ConnectorSyncJobs, type CreateSyncJob, type GetSyncJob, type SyncJob, type ConnectorRecord, type SyncJobStore, type Instant,
} from 'connector-sync-jobs';
import { memoryModule, MemorySyncJobStore, MemoryConnectorStore } from 'connector-sync-jobs/adapters/memory';
import { postgresModule, MIGRATIONS, type PostgresModuleOptions } from 'connector-sync-jobs/adapters/postgres';
import { elasticsearchModule, DEFAULT_INDICES } from 'connector-sync-jobs/adapters/elasticsearch';
import { createServer, DEFAULT_BODY_LIMIT, type ServerOptions } from 'connector-sync-jobs/adapters/http';
import {
  describeStoreContract, delegatingSyncJobStore, delegatingConnectorStore, syncJobArb, connectorArb, vectors, connector,
  type StoreHarness,
} from 'connector-sync-jobs/testing';

const container = new Container();
container.load(coreModule({ oneActiveJobPerClass: false }), memoryModule());
await initializeContainer(container);
const c1: ConnectorRecord = connector('c1', { serviceType: 'google_drive', language: null });
await container.get<import('connector-sync-jobs').ConnectorStore>(TOKENS.ConnectorStore).upsert(c1);
const job: SyncJob = await container.get<CreateSyncJob>(TOKENS.CreateSyncJob).execute({ id: 'c1' });
const again: SyncJob = await container.get<GetSyncJob>(TOKENS.GetSyncJob).execute(job.id);
const created: Instant = again.createdAt;
const micros: number = created.epochMicros;
const count: number = again.indexedDocumentCount;
// @ts-expect-error a job's status is one of the status strings, not a number
const wrong: number = job.status;
const store: SyncJobStore = new MemorySyncJobStore();
const options: PostgresModuleOptions = { pgliteDataDir: undefined };
const versions: number[] = MIGRATIONS.map((m) => m.version);
const indices: string = DEFAULT_INDICES.syncJobs;
const serverOptions: ServerOptions = { bodyLimit: DEFAULT_BODY_LIMIT };
const app = createServer(container, serverOptions);
await app.close();
await closeContainer(container);
const err: string = new InvalidRequestError('validation', 'x').code;
// the typed tokens and the facade, from the shipped .d.ts
const typed: CreateSyncJob = container.get(TOKENS.CreateSyncJob);
// @ts-expect-error a token gives its own type only
const mismatched: GetSyncJob = container.get<GetSyncJob>(TOKENS.CreateSyncJob);
const api: ConnectorSyncJobs = container.get(TOKENS.SyncJobs);
const viaFacade: Promise<SyncJob> = api.jobs.create({ connectorId: 'c1', jobType: 'incremental' }, { idempotencyKey: 'k' });
// @ts-expect-error the facade takes camelCase commands, not request bodies
const snake: Promise<SyncJob> = api.jobs.create({ id: 'c1' });
const next: Promise<SyncJob | null> = api.jobs.claimNext({ workerHostname: 'w', filters: { jobTypes: ['full'] }, waitMs: 100 });
const missing: string = new MissingDriverError('pg', 'x').code;
void [typed, mismatched, viaFacade, snake, next, missing];
const harness: StoreHarness = {
  connectors: delegatingConnectorStore(new MemoryConnectorStore()),
  jobs: delegatingSyncJobStore(store, { get: async () => null }),
  countJobs: async () => 0,
  refusesOrphans: false,
};
// @ts-expect-error the harness says whether the job store refuses orphans
const incomplete: StoreHarness = { connectors: harness.connectors, jobs: harness.jobs, countJobs: harness.countJobs };
const sample: SyncJob[] = (await import('fast-check')).default.sample(syncJobArb, 1);
const record: ConnectorRecord[] = (await import('fast-check')).default.sample(connectorArb, 1);
const cases: number = vectors.cases.length;
void [harness, incomplete, sample, record, cases, describeStoreContract];
void [created, micros, count, wrong, store, options, versions, indices, err, postgresModule, elasticsearchModule, createContainer];
export {};
`;

let host: string;
let tarball: string;

/** The installed package's directory inside the host. */
const installed = (): string => join(host, 'node_modules', pkg.name);

beforeAll(async () => {
  host = realpathSync(mkdtempSync(join(tmpdir(), 'csj-host-')));
  const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', host], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const packed = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(host, packed[0]!.filename);
  const files = packed[0]!.files.map((f) => f.path);
  // what ships: the build, the docs, package.json; no sources, tests or build state
  expect(files).toContain('package.json');
  expect(files).toContain('README.md');
  const sql = /^dist\/(adapters\/postgres|bin\/chunks)\/migrations\/\d{4}-[a-z0-9-]+\.sql$/; // the migrations, next to each runner
  expect(files.filter((f) => !sql.test(f) && !/^(dist\/(src|adapters)\/.*\.(js|d\.ts|js\.map)|dist\/bin\/.*\.js|package\.json|README\.md|ARCHITECTURE\.md)$/.test(f))).toEqual([]);
  // every migration file, next to the library's runner and next to the bundled server's
  const migrations = readdirSync(join(ROOT, 'adapters', 'postgres', 'migrations')).sort();
  expect(migrations.length).toBeGreaterThan(0);
  for (const dir of ['dist/adapters/postgres/migrations', 'dist/bin/chunks/migrations']) {
    expect(files.filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1)).sort()).toEqual(migrations);
  }

  writeFileSync(
    join(host, 'package.json'),
    JSON.stringify({
      name: 'csj-host',
      private: true,
      type: 'module',
      dependencies: { [pkg.name]: `file:./${packed[0]!.filename}` },
      devDependencies: {
        // the optional peers, as a host using every adapter installs them (npm never installs an optional peer by itself)
        ...Object.fromEntries(PEERS.map((name) => [name, pkg.devDependencies[name]])),
        typescript: pkg.devDependencies.typescript,
        '@types/node': pkg.devDependencies['@types/node'],
        // the peers of connector-sync-jobs/testing, as a host testing its own adapter has them
        vitest: pkg.devDependencies.vitest,
        'fast-check': pkg.devDependencies['fast-check'],
      },
    }),
  );
  await run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: host, maxBuffer: 64 * 1024 * 1024 });
}, 600_000);

afterAll(() => {
  if (host) rmSync(host, { recursive: true, force: true });
});

describe('the packed package, installed in a host project', () => {
  it('is installed from the tarball, with its build and not the sources', () => {
    const manifest = JSON.parse(readFileSync(join(installed(), 'package.json'), 'utf8')) as PackageJson;
    expect(manifest.version).toBe(pkg.version);
    expect(tarball.endsWith(`${pkg.name}-${pkg.version}.tgz`)).toBe(true);
    expect(() => readFileSync(join(installed(), 'src', 'index.ts'))).toThrow();
  });

  it('imports every entry of exports, from node_modules', async () => {
    expect(ENTRIES.length).toBeGreaterThanOrEqual(5);
    const script = `
      const out = {};
      for (const entry of ${JSON.stringify(ENTRIES)}) {
        const m = await import(entry);
        out[entry] = { url: import.meta.resolve(entry), exports: Object.keys(m).length };
      }
      console.log(JSON.stringify(out));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: host });
    const loaded = JSON.parse(stdout) as Record<string, { url: string; exports: number }>;
    for (const entry of ENTRIES) {
      expect(fileURLToPath(loaded[entry]!.url).startsWith(join(installed(), 'dist'))).toBe(true);
      expect(loaded[entry]!.exports).toBeGreaterThan(0);
    }
  });

  it('a host file type-checks against the shipped .d.ts, and every export of every entry point has TSDoc', () => {
    writeFileSync(join(host, 'host.ts'), HOST_FILE);
    const program = ts.createProgram([join(host, 'host.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      typeRoots: [join(host, 'node_modules', '@types')],
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    const checker = program.getTypeChecker();
    const undocumented: string[] = [];
    for (const entry of ENTRIES) {
      const resolved = ts.resolveModuleName(entry, join(host, 'host.ts'), program.getCompilerOptions(), ts.sys).resolvedModule;
      expect(resolved?.resolvedFileName.startsWith(join(installed(), 'dist'))).toBe(true);
      const file = program.getSourceFile(resolved!.resolvedFileName)!;
      const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!);
      expect(exported.length).toBeGreaterThan(0);
      for (const symbol of exported) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        if (!ts.displayPartsToString(target.getDocumentationComment(checker)).trim()) undocumented.push(`${entry}: ${symbol.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it("README's examples type-check and run from the installed package", async () => {
    expect(README_BLOCKS.length).toBeGreaterThanOrEqual(2);
    const dir = join(host, 'readme');
    mkdirSync(dir, { recursive: true });
    const files = README_BLOCKS.map((b) => {
      const file = join(dir, `example-${b.index}.ts`);
      writeFileSync(file, `${b.code}\nexport {};\n`);
      return file;
    });
    // every block type-checks (also those that need a server to run), then compiles to JavaScript
    const program = ts.createProgram(files, {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      typeRoots: [join(host, 'node_modules', '@types')],
      skipLibCheck: true,
      outDir: join(host, 'readme-js'),
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
    expect(program.emit().emitSkipped).toBe(false);

    for (const block of README_BLOCKS) {
      if (block.env !== undefined && !process.env[block.env]) continue; // as tests/readme.test.ts
      if (block.suite) continue; // vitest suites: the next test runs them
      const expected = [...block.code.matchAll(/console\.log\(.*\);\s*\/\/ (.*)$/gm)].map((m) => m[1]);
      const { stdout } = await run(process.execPath, [join(host, 'readme-js', `example-${block.index}.js`)], { cwd: host, env: process.env });
      expect({ block: block.index, printed: stdout.split('\n').filter((l) => l !== '') }).toEqual({ block: block.index, printed: expected });
    }
  }, 600_000); // a type-check and a PGlite initdb: about 20 s idle, minutes on an overloaded machine

  it('README\'s "Test your own adapter" example runs the store contract in the host, with its own vitest', async () => {
    const suites = README_BLOCKS.filter((b) => b.suite);
    expect(suites.length).toBeGreaterThanOrEqual(1);
    const dir = join(host, 'contract');
    mkdirSync(dir, { recursive: true });
    for (const block of suites) writeFileSync(join(dir, `adapter-${block.index}.test.ts`), `${block.code}\nexport {};\n`);
    // the host's vitest (installed from the peer range), run in the host: the suite comes from node_modules
    const { stdout } = await run(join(host, 'node_modules', '.bin', 'vitest'), ['run', '--root', host, '--reporter=json', 'contract/'], {
      cwd: host,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CI: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      success: boolean;
      numPassedTests: number;
      numFailedTests: number;
      testResults: { assertionResults: { fullName: string }[] }[];
    };
    expect(report.numFailedTests).toBe(0);
    expect(report.success).toBe(true);
    const names = report.testResults.flatMap((r) => r.assertionResults.map((a) => a.fullName));
    // the whole contract ran: stores, create with the spec's vectors, lifecycle, model
    expect(report.numPassedTests).toBeGreaterThan(40);
    expect(names.some((n) => n.includes('lifecycle model: my adapter'))).toBe(true);
  }, 300_000);

  /**
   * Starts a command in the host on a free port, with STORAGE=memory unless `storage` says
   * otherwise; resolves its URL, printed within `startMs`.
   */
  async function serve(
    command: string,
    args: string[],
    storage: Record<string, string> = { STORAGE: 'memory' },
    startMs = 60_000,
  ): Promise<{ url: string; stop: () => Promise<number | null>; out: () => string; err: () => string }> {
    const child = spawn(command, args, {
      cwd: host,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...storage, HOST: '127.0.0.1', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: npx's child is stopped with it
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${err}`)), startMs);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    return {
      url,
      out: () => out,
      err: () => err,
      stop: () => {
        process.kill(-child.pid!, 'SIGTERM');
        return exited;
      },
    };
  }

  /** A connector put (201) and a job created for it (201) on the server at `url`. */
  async function createsAJob(url: string): Promise<void> {
    const json = { 'content-type': 'application/json' };
    const put = await fetch(`${url}/_connector/c1`, { method: 'PUT', headers: json, body: JSON.stringify({ index_name: 'search-c1', service_type: 'google_drive' }) });
    expect(put.status).toBe(201);
    const post = await fetch(`${url}/_connector/_sync_job`, { method: 'POST', headers: json, body: JSON.stringify({ id: 'c1' }) });
    expect(post.status).toBe(201);
  }

  it('the connector-sync-jobs bin serves, creates a job (201) and exits 0 on SIGTERM', async () => {
    expect(pkg.bin).toEqual({ 'connector-sync-jobs': './dist/bin/connector-sync-jobs.js' });
    const s = await serve(join(host, 'node_modules', '.bin', 'connector-sync-jobs'), []);
    let code: number | null;
    try {
      await createsAJob(s.url);
      expect(await (await fetch(`${s.url}/`)).json()).toMatchObject({ name: pkg.name, tagline: 'You Know, for Search' });
    } finally {
      code = await s.stop();
    }
    expect(code).toBe(0);
    expect(s.err()).toBe('');
  });

  it('the bin on PGlite (the default storage) migrates from the installed migration files and creates a job', async () => {
    const dir = mkdtempSync(join(host, 'pglite-'));
    const s = await serve(join(host, 'node_modules', '.bin', 'connector-sync-jobs'), [], { PGLITE_DIR: dir }, 240_000);
    let code: number | null;
    try {
      await createsAJob(s.url);
    } finally {
      code = await s.stop();
    }
    expect(code).toBe(0);
    expect(s.err()).toBe('');
  }, 300_000); // a PGlite initdb: a few seconds idle, minutes on an overloaded machine

  it('npx connector-sync-jobs starts the same server', async () => {
    const s = await serve('npx', ['--no', 'connector-sync-jobs']);
    try {
      expect(await (await fetch(`${s.url}/`)).json()).toMatchObject({ name: pkg.name, tagline: 'You Know, for Search' });
    } finally {
      await s.stop();
    }
    expect(s.out()).toContain('SIGTERM: shutting down');
  });

  it('importing the root and the memory adapter loads no driver, though all are installed', async () => {
    const probe = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(
        "import { writeSync } from 'node:fs';" +
        "export async function resolve(s, c, next) { const r = await next(s, c); writeSync(1, r.url + String.fromCharCode(10)); return r; }"));
      const { createContainer, TOKENS } = await import('connector-sync-jobs');
      const { memoryModule } = await import('connector-sync-jobs/adapters/memory');
      const api = createContainer(memoryModule()).get(TOKENS.SyncJobs);
      await api.connectors.upsert({ id: 'c1', indexName: 'search-c1', serviceType: 'x', language: null, pipeline: null, configuration: null, filtering: null, deleted: false });
      await api.jobs.create({ connectorId: 'c1' });`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: host });
    const loaded = stdout.split('\n').filter(Boolean);
    expect(loaded.some((u) => u.includes('/dist/adapters/memory/'))).toBe(true);
    expect(loaded.filter((u) => /node_modules\/(pg|pg-protocol|@electric-sql\/pglite|@elastic\/elasticsearch|fastify)\//.test(u))).toEqual([]);
  });

  it('connector-sync-jobs --help prints the settings (exit 0), --version the version, an unknown argument exits 2', async () => {
    const bin = join(host, 'node_modules', '.bin', 'connector-sync-jobs');
    const help = await run(bin, ['--help'], { cwd: host });
    expect(help.stdout).toContain('Usage: connector-sync-jobs');
    for (const name of ['STORAGE', 'PGLITE_DIR', 'DATABASE_URL', 'ELASTICSEARCH_URL', 'PORT', 'API_KEYS', 'SWEEP_INTERVAL']) expect(help.stdout).toContain(name);
    expect(help.stdout).toMatch(/STORAGE +.*\(default pglite\)/);
    expect((await run(bin, ['--version'], { cwd: host })).stdout).toBe(`${pkg.version}\n`);
    const bad = await run(bin, ['--port=1'], { cwd: host }).then(() => undefined, (e: { code: number; stderr: string; stdout: string }) => e);
    expect(bad?.code).toBe(2);
    expect(bad?.stdout).toBe('');
    expect(bad?.stderr).toBe('connector-sync-jobs: unknown argument [--port=1]; try --help\n');
  });

  it('npm start runs the compiled bin, not the TypeScript sources', () => {
    expect(pkg.scripts.start).toBe(`node ${pkg.bin['connector-sync-jobs']!.replace(/^\.\//, '')}`);
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.dependencies).not.toHaveProperty('tsx');
  });

  it('the drivers are optional peer dependencies, kept as devDependencies here', () => {
    for (const name of PEERS) {
      expect(pkg.dependencies, name).not.toHaveProperty(name);
      expect(pkg.peerDependencies, name).toHaveProperty(name);
      expect(pkg.peerDependenciesMeta[name], name).toEqual({ optional: true });
      expect(pkg.devDependencies, name).toHaveProperty(name);
    }
  });
});

/** `du -sm`: the megabytes a directory takes on disk. */
async function megabytes(dir: string): Promise<number> {
  const { stdout } = await run('du', ['-sm', dir]);
  return Number(stdout.split(/\s/)[0]);
}

/** A fresh host with only the package and `dependencies` (no optional peer is installed by npm). */
async function hostWith(dependencies: Record<string, string>): Promise<string> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'csj-host-')));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'csj-small-host', private: true, type: 'module', dependencies: { [pkg.name]: `file:${tarball}`, ...dependencies } }),
  );
  await run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  return dir;
}

/** Runs a module in a host; resolves its stdout lines (stderr must stay empty). */
async function runIn(dir: string, name: string, code: string, env: Record<string, string> = {}): Promise<string[]> {
  writeFileSync(join(dir, name), code);
  const { stdout, stderr } = await run(process.execPath, [join(dir, name)], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
  expect(stderr).toBe('');
  return stdout.split('\n').filter((l) => l !== '');
}

/** The bin of a host, run to its exit: its code and stderr. */
async function binExit(dir: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const bin = join(dir, 'node_modules', '.bin', 'connector-sync-jobs');
  return run(bin, [], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', ...env } }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

/** The facade's example, on whatever storage module `storage` builds (JavaScript: a host without TypeScript). */
const FACADE_EXAMPLE = (imports: string, storage: string): string => `
import { createContainer, initializeContainer, closeContainer, TOKENS, InvalidRequestError } from 'connector-sync-jobs';
${imports}
const container = createContainer(${storage});
await initializeContainer(container);
const api = container.get(TOKENS.SyncJobs);
await api.connectors.upsert({ id: 'c1', indexName: 'search-c1', serviceType: 'google_drive', language: 'en', pipeline: null, configuration: null, filtering: null, deleted: false });
const job = await api.jobs.create({ connectorId: 'c1', jobType: 'incremental' });
console.log(job.status, job.jobType, job.connector.indexName);
const claimed = await api.jobs.claim(job.id, { workerHostname: 'w1' });
console.log(claimed.status, claimed.workerHostname);
const stats = await api.jobs.updateStats(job.id, { deletedDocumentCount: 0, indexedDocumentCount: 10, indexedDocumentVolume: 1, metadata: { pages: 2 } });
console.log(stats.indexedDocumentCount, JSON.stringify(stats.metadata));
const bad = await api.jobs.updateStats(job.id, { deletedDocumentCount: -1, indexedDocumentCount: 0, indexedDocumentVolume: 0 }).catch((e) => e);
console.log(bad instanceof InvalidRequestError, bad.message);
console.log((await api.jobs.error(job.id, { error: 'boom' })).status);
console.log((await api.jobs.list({ connectorId: 'c1', status: 'error' })).count);
await api.jobs.delete(job.id);
await closeContainer(container);
`;
const FACADE_PRINTS = [
  'pending incremental search-c1',
  'in_progress w1',
  '10 {"pages":2}',
  'true Validation Failed: 1: [deleted_document_count] cannot be negative.;',
  'error',
  '1',
];

/** Loads an entry and calls `fn`; prints the MissingDriverError's message and code. */
const MISSING = (entry: string, call: string): string => `
const m = await import('${entry}');
try { ${call}; console.log('no error'); } catch (e) { console.log(e.name, e.code, e.message); }
`;

describe.skipIf(!process.env.DATABASE_URL)('a host with only pg (DATABASE_URL)', () => {
  let small: string;
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    expect(tarball).toBeDefined();
    small = await hostWith({ pg: pkg.devDependencies.pg! });
    const { createThrowawayDatabase } = await import('../adapters/postgres/pg-helpers.js');
    database = await createThrowawayDatabase(process.env.DATABASE_URL!, 'pkg');
  }, 600_000);

  afterAll(async () => {
    await database?.drop();
    if (small) rmSync(small, { recursive: true, force: true });
  });

  it('has none of the other drivers, and a node_modules far below the 125 MB of a full install', async () => {
    const installed = readdirSync(join(small, 'node_modules'));
    expect(installed).toContain('pg');
    expect(installed).not.toContain('fastify');
    expect(installed).not.toContain('@elastic');
    expect(installed).not.toContain('@electric-sql');
    const size = await megabytes(join(small, 'node_modules'));
    console.log(`host with only pg: node_modules ${size} MB; full host: ${await megabytes(join(host, 'node_modules'))} MB`);
    expect(size).toBeLessThan(40);
  });

  it("runs the facade's example on PostgreSQL with { connectionString }", async () => {
    const printed = await runIn(small, 'facade.mjs', FACADE_EXAMPLE("import { postgresModule } from 'connector-sync-jobs/adapters/postgres';", 'postgresModule({ connectionString: process.env.DATABASE_URL })'), { DATABASE_URL: database.url });
    expect(printed).toEqual(FACADE_PRINTS);
  });

  it('says in one line which package the PGlite options, the HTTP adapter and the default bin need', async () => {
    expect(await runIn(small, 'pglite.mjs', MISSING('connector-sync-jobs/adapters/postgres', "m.postgresModule({ pgliteDataDir: './data' })"))).toEqual([
      'MissingDriverError missing_driver connector-sync-jobs: postgresModule({ pgliteDataDir }) needs the package "@electric-sql/pglite": npm install @electric-sql/pglite',
    ]);
    expect(await runIn(small, 'http.mjs', MISSING('connector-sync-jobs/adapters/http', "m.createServer(null)"))).toEqual([
      'MissingDriverError missing_driver connector-sync-jobs: createServer (connector-sync-jobs/adapters/http) needs the package "fastify": npm install fastify',
    ]);
    expect(await binExit(small, {})).toEqual({
      code: 1,
      stderr: 'connector-sync-jobs: STORAGE=pglite (the default) needs the package "@electric-sql/pglite": npm install @electric-sql/pglite\n',
    });
    expect(await binExit(small, { STORAGE: 'elasticsearch', ELASTICSEARCH_URL: 'http://127.0.0.1:1' })).toEqual({
      code: 1,
      stderr: 'connector-sync-jobs: STORAGE=elasticsearch needs the package "@elastic/elasticsearch": npm install @elastic/elasticsearch\n',
    });
  });
});

describe('a host with only @elastic/elasticsearch', () => {
  let small: string;

  beforeAll(async () => {
    expect(tarball).toBeDefined();
    small = await hostWith({
      '@elastic/elasticsearch': pkg.devDependencies['@elastic/elasticsearch']!,
      '@elastic/elasticsearch-mock': pkg.devDependencies['@elastic/elasticsearch-mock']!,
    });
    // the repository's mock cluster (a Map behind @elastic/elasticsearch-mock), as JavaScript
    const source = readFileSync(join(ROOT, 'tests', 'adapters', 'elasticsearch', 'mock-cluster.ts'), 'utf8').replace(
      "'../../../adapters/elasticsearch/index.js'",
      "'connector-sync-jobs/adapters/elasticsearch'",
    );
    writeFileSync(join(small, 'mock-cluster.mjs'), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
  }, 600_000);

  afterAll(() => {
    if (small) rmSync(small, { recursive: true, force: true });
  });

  it('has neither pg, PGlite nor Fastify', async () => {
    const installed = readdirSync(join(small, 'node_modules'));
    expect(installed).toContain('@elastic');
    for (const name of ['pg', 'fastify', '@electric-sql']) expect(installed).not.toContain(name);
    console.log(`host with only @elastic/elasticsearch (and its mock): node_modules ${await megabytes(join(small, 'node_modules'))} MB`);
  });

  it("runs the facade's example on Elasticsearch (the client on @elastic/elasticsearch-mock)", async () => {
    const printed = await runIn(
      small,
      'facade.mjs',
      FACADE_EXAMPLE(
        "import { elasticsearchModule } from 'connector-sync-jobs/adapters/elasticsearch';\nimport { MockCluster } from './mock-cluster.mjs';",
        'elasticsearchModule({ client: new MockCluster().client() })',
      ),
    );
    expect(printed).toEqual(FACADE_PRINTS);
  });

  it('says in one line which package postgres needs, in the library and in the bin', async () => {
    expect(await runIn(small, 'pg.mjs', MISSING('connector-sync-jobs/adapters/postgres', "m.postgresModule({ connectionString: 'postgres://x@127.0.0.1:1/db' })"))).toEqual([
      'MissingDriverError missing_driver connector-sync-jobs: postgresModule({ connectionString }) needs the package "pg": npm install pg',
    ]);
    expect(await binExit(small, { STORAGE: 'postgres', DATABASE_URL: 'postgres://x@127.0.0.1:1/db' })).toEqual({
      code: 1,
      stderr: 'connector-sync-jobs: STORAGE=postgres needs the package "pg": npm install pg\n',
    });
  });
});
