import type { JsonObject } from '../../src/index.js';
import type { DocumentGateway, Versioned } from './gateway.js';

/**
 * After a write that got no answer (timeout, connection error: it may or may not have been
 * applied), the document as it is stored now, so the caller can tell whether its write landed.
 * Null when the document is missing, or when this read fails too: then the read's error is
 * attached to `failure` as `checkError` and the write's failure stands.
 */
export function readBack(docs: DocumentGateway, index: string, id: string, what: string, failure: unknown): Promise<Versioned | null> {
  return docs.get(index, id, what).catch((checkError: unknown) => {
    if (failure instanceof Error) (failure as Error & { checkError?: unknown }).checkError = checkError;
    return null;
  });
}

/** Whether a read-back document holds exactly `expected` (same keys in the same order, same values). */
export function holdsExactly(landed: Versioned, expected: JsonObject): boolean {
  return JSON.stringify(landed.source) === JSON.stringify(expected);
}
