#!/usr/bin/env node
/**
 * `npm start` and the `connector-sync-jobs` bin (`npx connector-sync-jobs`), both running this
 * file compiled and bundled as `dist/bin/connector-sync-jobs.js` (scripts/bundle-bin.mjs):
 * the composition root. Reads the settings from the environment, builds the
 * container (core + the chosen storage), initialises it, serves, and shuts down cleanly on
 * SIGINT/SIGTERM. A bad setting, a missing driver (`connector-sync-jobs: STORAGE=postgres needs
 * the package "pg": npm install pg`), a PGlite data directory in use or unreachable storage exits
 * 1 with one line on stderr. `--help` prints the settings, `--version` the version (exit 0); any
 * other argument exits 2 (`cli.ts`).
 *
 * Shutdown: (1) drain: every new request is answered 503 + `Connection: close` (it never starts
 * a write), answers of running requests carry `Connection: close`; (2) after a short moment
 * (a tenth of the grace, at most 1 s) stop listening and close idle connections; running
 * requests finish (each is bounded by the storage timeouts, well under the grace); (3) close the
 * storage, exit 0. If the grace (`SHUTDOWN_GRACE_MS`) runs out first, the process exits 1 at
 * once: open database transactions die with the process and roll back, so no write that was
 * not acknowledged commits (ARCHITECTURE.md, "Faults").
 */
import { createRequire } from 'node:module';
import { Container } from 'inversify';
import { TOKENS, closeContainer, coreModule, initializeContainer, scheduleSweeps } from '../../src/index.js';
import type { SweepSchedule, SweepSyncJobs } from '../../src/index.js';
import { createServer } from './server.js';
import { startDraining } from './limits.js';
import { settingsFromEnv } from './settings.js';
import { storageModuleFromEnv } from './storage.js';
import { cliAction } from './cli.js';

function die(message: string): never {
  process.stderr.write(`${message.split('\n')[0]}\n`);
  process.exit(1);
}

const oneLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

async function main(): Promise<void> {
  // --help, --version, or an unknown argument (exit 2): before anything is read or opened
  const action = cliAction(process.argv.slice(2), createRequire(import.meta.url)('connector-sync-jobs/package.json') as { name: string; version: string });
  if (action.kind === 'print') {
    process.stdout.write(action.text);
    return;
  }
  if (action.kind === 'refuse') {
    process.stderr.write(action.text);
    process.exit(2);
  }
  let settings;
  let storage;
  try {
    settings = settingsFromEnv(process.env);
    storage = await storageModuleFromEnv(process.env);
  } catch (e) {
    die(oneLine(e));
  }
  const container = new Container();
  try {
    container.load(coreModule({ oneActiveJobPerClass: settings.oneActiveJobPerClass }), storage);
  } catch (e) {
    // e.g. the PGlite data directory is locked by another process
    die(oneLine(e));
  }
  // Built while the storage starts: PGlite compiles its WebAssembly and reads its files off the
  // main thread meanwhile, Fastify's set-up is CPU work (docs/decisions/0008-start-up.md).
  // Nothing listens yet.
  const app = createServer(container, {
    bodyLimit: settings.bodyLimit,
    apiKeys: settings.apiKeys,
    logger: { level: settings.logLevel },
    limits: settings.limits,
  });
  try {
    await initializeContainer(container);
  } catch (e) {
    await closeContainer(container).catch(() => undefined);
    die(`storage is not reachable: ${oneLine(e)}`);
  }
  let address: string;
  try {
    address = await app.listen({ port: settings.port, host: settings.host });
  } catch (e) {
    await closeContainer(container).catch(() => undefined);
    die(`cannot listen on ${settings.host}:${settings.port}: ${oneLine(e)}`);
  }
  process.stdout.write(`connector-sync-jobs listening on ${address}\n`);

  // the sweeper, when SWEEP_INTERVAL asks for it
  let sweeper: SweepSchedule | undefined;
  if (settings.sweepIntervalMs > 0) {
    sweeper = scheduleSweeps(container.get<SweepSyncJobs>(TOKENS.SweepSyncJobs), {
      intervalMs: settings.sweepIntervalMs,
      idleThresholdMs: settings.sweepIdleThresholdMs,
      onResult: (r) => {
        if (r.idle.length + r.orphaned.length > 0) app.log.warn({ sweep: r }, `sweep: ${r.idle.length} idle and ${r.orphaned.length} orphaned sync jobs moved to error`);
      },
      onError: (e) => app.log.error({ err: e }, 'sweep failed'),
    });
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    const grace = settings.shutdownGraceMs;
    process.stdout.write(`${signal}: shutting down\n`);
    // Whatever the storage does (a frozen server, a pool that never ends), exit within the grace.
    setTimeout(() => {
      process.stderr.write(`shutdown took longer than SHUTDOWN_GRACE_MS=${grace}; exiting\n`);
      process.exit(1);
    }, grace).unref();
    startDraining(app);
    setTimeout(() => {
      app
        .close()
        .then(() => sweeper?.stop())
        .then(() => closeContainer(container))
        .then(
          () => process.exit(0),
          (e: unknown) => die(`shutdown failed: ${oneLine(e)}`),
        );
    }, Math.min(1_000, Math.floor(grace / 10)));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => die(`fatal: ${oneLine(e)}`));
