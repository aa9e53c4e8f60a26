/**
 * The compiled server in a child process, as `npm start` and the `connector-sync-jobs` bin run
 * it: `dist/bin/connector-sync-jobs.js` (`adapters/http/main.ts` compiled and bundled;
 * tests/global-setup.ts brought the build up to date), with `env` on a free port (PORT=0).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  out: () => string;
  err: () => string;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

export interface StartedServer extends ServerProcess {
  /** `http://127.0.0.1:<port>`, from the "listening on" line. */
  url: string;
}

/** Spawns the server with only PATH, HOST=127.0.0.1, PORT=0 and `env` in its environment. */
export function runServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['dist/bin/connector-sync-jobs.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

/**
 * Waits for "listening on <url>". Rejects with what the process wrote to stderr if it exits
 * first, or if nothing is printed within `ms` (then the process is killed: never leave a server
 * behind).
 */
export function listening(r: ServerProcess, ms = 240_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      r.child.kill('SIGKILL');
      reject(new Error(`no URL printed; stderr: ${r.err()}`));
    }, ms);
    const check = (): void => {
      const m = /listening on (http:\/\/\S+)/.exec(r.out());
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    r.child.stdout?.on('data', check);
    check();
    void r.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${r.err()}`));
    });
  });
}

/** {@link runServer}, then {@link listening}. */
export async function startServer(env: Record<string, string>): Promise<StartedServer> {
  const r = runServer(env);
  return { ...r, url: await listening(r) };
}
