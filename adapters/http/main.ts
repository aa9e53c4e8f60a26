/**
 * `npm start`: the composition root. Reads the settings from the environment, builds the
 * container (core + the chosen storage), initialises it, serves, and shuts down cleanly on
 * SIGINT/SIGTERM. A bad setting or unreachable storage exits 1 with one line on stderr.
 */
import { Container } from 'inversify';
import { TOKENS, closeContainer, coreModule, initializeContainer, scheduleSweeps } from '../../src/index.js';
import type { SweepSchedule, SweepSyncJobs } from '../../src/index.js';
import { createServer } from './server.js';
import { settingsFromEnv } from './settings.js';
import { storageModuleFromEnv } from './storage.js';

/** How long in-flight requests may take to finish after SIGINT/SIGTERM. */
const SHUTDOWN_GRACE_MS = 10_000;

function die(message: string): never {
  process.stderr.write(`${message.split('\n')[0]}\n`);
  process.exit(1);
}

const oneLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

async function main(): Promise<void> {
  let settings;
  let storage;
  try {
    settings = settingsFromEnv(process.env);
    storage = storageModuleFromEnv(process.env);
  } catch (e) {
    die(oneLine(e));
  }
  const container = new Container();
  container.load(coreModule({ oneActiveJobPerClass: settings.oneActiveJobPerClass }), storage);
  try {
    await initializeContainer(container);
  } catch (e) {
    await closeContainer(container).catch(() => undefined);
    die(`storage is not reachable: ${oneLine(e)}`);
  }
  const app = createServer(container, {
    bodyLimit: settings.bodyLimit,
    apiKeys: settings.apiKeys,
    logger: { level: settings.logLevel },
  });
  let address: string;
  try {
    address = await app.listen({ port: settings.port, host: settings.host });
  } catch (e) {
    await closeContainer(container).catch(() => undefined);
    die(`cannot listen on ${settings.host}:${settings.port}: ${oneLine(e)}`);
  }
  process.stdout.write(`connector-sync-jobs listening on ${address}\n`);

  // the sweeper (issue 14), when SWEEP_INTERVAL asks for it
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
    process.stdout.write(`${signal}: shutting down\n`);
    // in-flight requests get SHUTDOWN_GRACE_MS to finish, then their connections are cut
    setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    app
      .close()
      .then(() => sweeper?.stop())
      .then(() => closeContainer(container))
      .then(
        () => process.exit(0),
        (e: unknown) => die(`shutdown failed: ${oneLine(e)}`),
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => die(`fatal: ${oneLine(e)}`));
