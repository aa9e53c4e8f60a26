/**
 * bench/README.md's results table is the one bench/table.ts makes from bench/results.json
 * (`npm run bench` rewrites both; `npx tsx bench/table.ts` rewrites the table alone), so the
 * two never drift.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchTable, README_URL, RESULTS_URL, TABLE_END, TABLE_START, withBenchTable } from '../bench/table.js';
import type { BenchResults } from '../bench/table.js';

const readme = readFileSync(README_URL, 'utf8');
const results = JSON.parse(readFileSync(RESULTS_URL, 'utf8')) as BenchResults;

describe("bench/README.md's table", () => {
  it('is what bench/table.ts makes from the committed results.json', () => {
    expect(readme).toContain(TABLE_START);
    expect(readme).toContain(TABLE_END);
    expect(withBenchTable(readme, results)).toBe(readme);
  });

  it('has one row per figure, a missing baseline as -, and says whether each target is met', () => {
    const rows = benchTable(results)
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| figure'));
    expect(rows).toHaveLength(results.figures.length);
    const table = benchTable({
      date: 'd',
      machine: {},
      rounds: 1,
      figures: [
        { name: 'a', unit: 'ops/s', subject: 1234.5, baseline: 12.345, ratio: { median: 0.5, min: 0.4, max: 0.6 }, target: 0.9, higherIsBetter: true },
        { name: 'b', unit: 'ms', subject: 0.5, baseline: null, ratio: { median: null, min: null, max: null }, higherIsBetter: false, extra: { p99: '2.0', n: 3 } },
      ],
    });
    expect(table).toContain('| a | 1,235 | 12.3 | ops/s | 0.500 (0.40-0.60) | >= 0.9 | **no** |');
    expect(table).toContain('| b | 0.500 | - | ms | - | - |  |');
    expect(table).toContain('- b: p99 2.0, n 3.000');
  });
});
