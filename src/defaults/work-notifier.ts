import type { WorkWatch } from '../ports/index.js';

/**
 * In-process fan-out of "new work" wake-ups to {@link WorkWatch}es: `notify()` wakes every open
 * watch; a watch not waiting at that moment keeps the wake-up for its next `next()`, so none is
 * lost between a failed claim and the wait. Used by the storage adapters behind their own
 * source of events (an in-memory event, LISTEN/NOTIFY, a poll).
 */
export class WorkNotifier {
  private readonly watches = new Set<LatchedWatch>();

  /** Wakes every open watch. */
  notify(): void {
    for (const w of this.watches) w.wake();
  }

  /** A new watch; close it when done. */
  open(): WorkWatch {
    const w = new LatchedWatch(() => this.watches.delete(w));
    this.watches.add(w);
    return w;
  }

  /** How many watches are open. */
  get size(): number {
    return this.watches.size;
  }
}

class LatchedWatch implements WorkWatch {
  private latched = false;
  private finish: ((woken: boolean) => void) | undefined;

  constructor(private readonly onClose: () => void) {}

  wake(): void {
    if (this.finish) this.finish(true);
    else this.latched = true;
  }

  next(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.latched) {
      this.latched = false;
      return Promise.resolve(true);
    }
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
      const done = (woken: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.finish = undefined;
        resolve(woken);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.finish = done;
    });
  }

  close(): void {
    this.onClose();
    this.finish?.(false);
  }
}
