/**
 * The bin's command line: `--help` (the settings `npm start` reads from the environment, with
 * their defaults), `--version`; anything else is an unknown flag (exit 2). No argument: serve.
 * Kept apart from `main.ts` so that it runs before anything is loaded.
 */
import { DEFAULT_BODY_LIMIT } from './body.js';
import { DEFAULT_HTTP_LIMITS } from './limits.js';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './settings.js';
import { DEFAULT_PGLITE_DIR, DEFAULT_STORAGE, STORAGE_KINDS } from './storage.js';

/** One environment variable the server reads: its name, default and meaning. */
export interface SettingHelp {
  name: string;
  default: string;
  meaning: string;
}

/** Every environment variable `settingsFromEnv` and `storageModuleFromEnv` read, in help order. */
export const SETTINGS_HELP: readonly SettingHelp[] = [
  { name: 'STORAGE', default: DEFAULT_STORAGE, meaning: `where connectors and jobs live: ${STORAGE_KINDS.join(' | ')}` },
  { name: 'PGLITE_DIR', default: DEFAULT_PGLITE_DIR, meaning: 'PGlite data directory (STORAGE=pglite; needs @electric-sql/pglite)' },
  { name: 'PGLITE_FSYNC', default: 'true', meaning: 'fsync every acknowledged write (false: PGlite\'s own fsync-off mode)' },
  { name: 'PGLITE_LOCK_STALE_MS', default: '10000', meaning: 'a dead process\'s data-directory lock is taken over after this (>= 2000)' },
  { name: 'DATABASE_URL', default: '', meaning: 'PostgreSQL connection string (STORAGE=postgres; needs pg)' },
  { name: 'PG_STATEMENT_TIMEOUT_MS', default: '2500', meaning: 'server-side statement_timeout (the client-side backstop is 500 ms more)' },
  { name: 'PG_CONNECT_TIMEOUT_MS', default: '2000', meaning: 'longest wait for a pool connection' },
  { name: 'ELASTICSEARCH_URL', default: '', meaning: 'Elasticsearch node (STORAGE=elasticsearch; needs @elastic/elasticsearch)' },
  { name: 'ELASTICSEARCH_REQUEST_TIMEOUT_MS', default: '3000', meaning: 'timeout of each Elasticsearch request' },
  { name: 'PORT', default: '3000', meaning: 'port to listen on (0: any free port)' },
  { name: 'HOST', default: '127.0.0.1', meaning: 'address to listen on' },
  { name: 'API_KEYS', default: '', meaning: 'key:role,key:role (role read or write); unset: no authentication' },
  { name: 'ONE_ACTIVE_JOB_PER_CLASS', default: 'false', meaning: 'refuse a job while one of its class is active for the connector' },
  { name: 'BODY_LIMIT', default: String(DEFAULT_BODY_LIMIT), meaning: 'largest request body, bytes (also after decompression)' },
  { name: 'LOG_LEVEL', default: 'warn', meaning: 'fatal | error | warn | info | debug | trace | silent' },
  { name: 'HEADERS_TIMEOUT_MS', default: String(DEFAULT_HTTP_LIMITS.headersTimeoutMs), meaning: 'time to receive a request\'s headers' },
  { name: 'REQUEST_TIMEOUT_MS', default: String(DEFAULT_HTTP_LIMITS.requestTimeoutMs), meaning: 'time to receive a whole request' },
  { name: 'KEEP_ALIVE_TIMEOUT_MS', default: String(DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs), meaning: 'idle time of a kept-alive connection' },
  { name: 'IDLE_TIMEOUT_MS', default: String(DEFAULT_HTTP_LIMITS.idleTimeoutMs), meaning: 'socket inactivity timeout' },
  { name: 'MAX_CONNECTIONS', default: String(DEFAULT_HTTP_LIMITS.maxConnections), meaning: 'most open connections' },
  { name: 'SHUTDOWN_GRACE_MS', default: String(DEFAULT_SHUTDOWN_GRACE_MS), meaning: 'longest shutdown after SIGINT/SIGTERM; then exit 1' },
  { name: 'SWEEP_INTERVAL', default: '0', meaning: 'seconds between sweeps of idle and orphaned jobs (0: no sweeper)' },
  { name: 'SWEEP_IDLE_THRESHOLD', default: '300', meaning: 'seconds without a check-in after which a job is idle' },
];

/** The `--help` text. */
export function helpText(name: string, version: string): string {
  const width = Math.max(...SETTINGS_HELP.map((s) => s.name.length));
  const lines = SETTINGS_HELP.map((s) => `  ${s.name.padEnd(width)}  ${s.meaning}${s.default === '' ? '' : ` (default ${s.default})`}`);
  return [
    `${name} ${version}: Elasticsearch's connector sync job APIs over HTTP`,
    '',
    `Usage: ${name} [--help | --version]`,
    '',
    'Serves until SIGINT or SIGTERM. Settings are environment variables:',
    ...lines,
    '',
  ].join('\n');
}

/** What the command line asks for: serve, print and exit 0, or refuse and exit 2. */
export type CliAction = { kind: 'serve' } | { kind: 'print'; text: string } | { kind: 'refuse'; text: string };

/** Reads the arguments (`process.argv.slice(2)`). */
export function cliAction(args: readonly string[], pkg: { name: string; version: string }): CliAction {
  if (args.length === 0) return { kind: 'serve' };
  const [first] = args;
  if (args.length === 1 && (first === '--help' || first === '-h')) return { kind: 'print', text: helpText(pkg.name, pkg.version) };
  if (args.length === 1 && (first === '--version' || first === '-v')) return { kind: 'print', text: `${pkg.version}\n` };
  return { kind: 'refuse', text: `${pkg.name}: unknown argument [${args.join(' ')}]; try --help\n` };
}
