import type { SyncJob } from '../../src/index.js';

/**
 * The list's exact order on Elasticsearch. The port promises newest `created_at` first to the
 * microsecond, ties by id; Elasticsearch sorts the `date` field `created_at` by the millisecond,
 * gives jobs of one millisecond in index order and cannot sort on `_id`. So a page is searched
 * with one job more on each side and sorted here; the list operation fetches the whole span of
 * the page's milliseconds only when a same-millisecond group continues past a page edge.
 */

/** Elasticsearch's default `index.max_result_window` (and upstream's cap on `from + size`). */
export const MAX_RESULT_WINDOW = 10_000;

/** The port's list order: newest `created_at` first (microseconds), ties by id. */
export function exactListOrder(a: SyncJob, b: SyncJob): number {
  return b.createdAt.compareTo(a.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The search window of a page: `from` and `size` of the search, and how many jobs it has before the page. */
export interface PageWindow {
  from: number;
  size: number;
  /** 0 or 1: the job just before the page. */
  lead: number;
}

/** The page `[from, from + size)` asked for with one job more on each side (`from - 1`, `size + 2`), within the result window. */
export function pageWindow(from: number, size: number): PageWindow {
  const lo = from > 0 ? from - 1 : 0;
  const lead = from - lo;
  return { from: lo, size: Math.min(lead + size + 1, MAX_RESULT_WINDOW - lo), lead };
}

/** A page cut from its window: the jobs in Elasticsearch's order, its first and last millisecond. */
export interface PageCut {
  page: SyncJob[];
  topMs: number;
  bottomMs: number;
  /** True when the millisecond at an edge continues past it (the neighbour outside the page shares it, or may). */
  cut: boolean;
}

/** The page of `size` jobs in the window's `fetched` jobs; null when the page is empty. */
export function cutPage(fetched: SyncJob[], window: PageWindow, size: number): PageCut | null {
  const { lead } = window;
  const page = fetched.slice(lead, lead + size);
  if (page.length === 0) return null;
  const topMs = page[0]!.createdAt.epochMillis;
  const bottomMs = page[page.length - 1]!.createdAt.epochMillis;
  const before = lead === 1 ? fetched[0] : undefined;
  // the job after the page was asked for, unless the result window cut the search short
  const afterKnown = window.size === lead + size + 1 || fetched.length < window.size;
  const after = fetched[lead + size];
  const cutAtTop = before !== undefined && before.createdAt.epochMillis === topMs;
  const cutAtBottom = afterKnown ? after !== undefined && after.createdAt.epochMillis === bottomMs : page.length === size;
  return { page, topMs, bottomMs, cut: cutAtTop || cutAtBottom };
}
