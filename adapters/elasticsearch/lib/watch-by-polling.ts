import type { WorkWatch } from '../../../src/index.js';

/**
 * A wake-up source without notifications (Elasticsearch has none): each `next` waits the current
 * interval, jittered by +-25 %, then doubles it up to `maxMs`. It answers true when the poll
 * interval passed before `timeoutMs` (time to look again), false on the timeout, an abort or
 * `close`. A waiting worker may take up to the poll interval to see a new job.
 */
export function watchByPolling(minMs: number, maxMs: number): WorkWatch {
  let interval = minMs;
  let finish: ((woken: boolean) => void) | undefined;
  return {
    next: (timeoutMs, signal) =>
      new Promise<boolean>((resolve) => {
        if (signal?.aborted) return resolve(false);
        const wait = Math.min(timeoutMs, interval * (0.75 + Math.random() * 0.5));
        const polled = wait < timeoutMs;
        interval = Math.min(interval * 2, maxMs);
        const onAbort = (): void => done(false);
        const timer = setTimeout(() => done(polled), Math.max(0, wait));
        const done = (woken: boolean): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          finish = undefined;
          resolve(woken);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        finish = done;
      }),
    close: () => finish?.(false),
  };
}
