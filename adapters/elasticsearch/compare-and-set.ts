import { setTimeout as sleep } from 'node:timers/promises';
import { StorageUnavailableError } from '../../src/internal.js';

/** The retryable error of a compare-and-set loop that lost `attempt` rounds in a row to other writers of `what`. */
export function casContention(what: string, attempt: number): StorageUnavailableError {
  return new StorageUnavailableError(`Too much contention on ${what}: ${attempt} compare-and-set attempts lost to other writers; retry later.`);
}

/** The pause after a lost compare-and-set: random, up to min(2^attempt, 100) ms, so racing writers spread apart. */
export function casBackOff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(2 ** attempt, 100));
}
