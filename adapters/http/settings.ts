import { parseApiKeys } from './auth.js';
import type { ApiKeyEntry } from './auth.js';
import { DEFAULT_BODY_LIMIT } from './body.js';
import { DEFAULT_HTTP_LIMITS } from './limits.js';
import type { HttpLimits } from './limits.js';

/** What `npm start` reads from the environment. */
export interface Settings {
  port: number;
  host: string;
  bodyLimit: number;
  apiKeys: ApiKeyEntry[];
  oneActiveJobPerClass: boolean;
  logLevel: string;
  /** HTTP time and connection bounds (`HEADERS_TIMEOUT_MS`, `REQUEST_TIMEOUT_MS`, `KEEP_ALIVE_TIMEOUT_MS`, `IDLE_TIMEOUT_MS`, `MAX_CONNECTIONS`). */
  limits: HttpLimits;
  /** `SHUTDOWN_GRACE_MS`: how long shutdown may take after SIGINT/SIGTERM (default 20,000, more than a request can take). */
  shutdownGraceMs: number;
  /** Sweep idle and orphaned jobs every this many ms (`SWEEP_INTERVAL`, seconds; 0 or unset: no sweeper). */
  sweepIntervalMs: number;
  /** A job not seen for this long is idle, ms (`SWEEP_IDLE_THRESHOLD`, seconds; default 300, the Python framework's). */
  sweepIdleThresholdMs: number;
}

/** Default `SHUTDOWN_GRACE_MS`. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 20_000;

/** A bad setting; its message is one line. */
export class SettingsError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(value.trim())) throw new SettingsError(`${name} must be an integer from ${min} to ${max} (got [${value}])`);
  const n = Number(value.trim());
  if (n < min || n > max) throw new SettingsError(`${name} must be an integer from ${min} to ${max} (got [${value}])`);
  return n;
}

/** Reads and checks the settings (storage settings are read by `storageModuleFromEnv`). */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Settings {
  const flag = env.ONE_ACTIVE_JOB_PER_CLASS;
  if (flag !== undefined && flag !== '' && flag !== 'true' && flag !== 'false') {
    throw new SettingsError(`ONE_ACTIVE_JOB_PER_CLASS must be true or false (got [${flag}])`);
  }
  const logLevel = env.LOG_LEVEL || 'warn';
  if (!LOG_LEVELS.includes(logLevel)) throw new SettingsError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got [${logLevel}])`);
  let apiKeys: ApiKeyEntry[] = [];
  if (env.API_KEYS !== undefined && env.API_KEYS !== '') {
    try {
      apiKeys = parseApiKeys(env.API_KEYS);
    } catch (e) {
      throw new SettingsError((e as Error).message);
    }
  }
  const ms = (name: string, fallback: number): number => {
    const v = env[name];
    return v ? integer(name, v, 1, 2 ** 31 - 1) : fallback;
  };
  const limits: HttpLimits = {
    headersTimeoutMs: ms('HEADERS_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.headersTimeoutMs),
    requestTimeoutMs: ms('REQUEST_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.requestTimeoutMs),
    keepAliveTimeoutMs: ms('KEEP_ALIVE_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs),
    idleTimeoutMs: ms('IDLE_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.idleTimeoutMs),
    maxConnections: ms('MAX_CONNECTIONS', DEFAULT_HTTP_LIMITS.maxConnections),
  };
  return {
    limits,
    shutdownGraceMs: ms('SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS),
    port: env.PORT ? integer('PORT', env.PORT, 0, 65535) : 3000,
    host: env.HOST || '127.0.0.1',
    bodyLimit: env.BODY_LIMIT ? integer('BODY_LIMIT', env.BODY_LIMIT, 1, 2 ** 31 - 1) : DEFAULT_BODY_LIMIT,
    apiKeys,
    oneActiveJobPerClass: flag === 'true',
    logLevel,
    sweepIntervalMs: env.SWEEP_INTERVAL ? integer('SWEEP_INTERVAL', env.SWEEP_INTERVAL, 0, 86_400) * 1000 : 0,
    sweepIdleThresholdMs: env.SWEEP_IDLE_THRESHOLD ? integer('SWEEP_IDLE_THRESHOLD', env.SWEEP_IDLE_THRESHOLD, 1, 31_536_000) * 1000 : 300_000,
  };
}
