#!/usr/bin/env node
/**
 * `npm start` and the `connector-sync-jobs` bin (`npx connector-sync-jobs`), both running this
 * file compiled and bundled as `dist/bin/connector-sync-jobs.js` (scripts/bundle-bin.mjs):
 * the composition root. Reads the settings from the environment, builds the
 * container (core + the chosen storage), initialises it, serves, and shuts down cleanly on
 * SIGINT/SIGTERM. A bad setting or unreachable storage exits 1 with one line on stderr.
 */
import { Container } from 'inversify';
import { closeContainer, coreModule, initializeContainer } from '../../src/index.js';
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
    storage = await storageModuleFromEnv(process.env);
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

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    // in-flight requests get SHUTDOWN_GRACE_MS to finish, then their connections are cut
    setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    app
      .close()
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
