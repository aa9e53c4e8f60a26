/**
 * The results table of `bench/README.md`, made from `bench/results.json`: everything between
 * the two marker comments is rewritten, nothing else. `npm run bench` runs it after writing
 * the results; alone: `npx tsx bench/table.ts`. `tests/bench-table.test.ts` checks that the
 * committed table is the one the committed results give.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TABLE_START = '<!-- bench-table:start (made by bench/table.ts from bench/results.json; do not edit) -->';
export const TABLE_END = '<!-- bench-table:end -->';

/** One figure of `results.json` (what `bench/run.ts` writes; a missing baseline is null). */
interface StoredFigure {
  name: string;
  unit: string;
  subject: number | null;
  baseline: number | null;
  ratio: { median: number | null; min: number | null; max: number | null };
  extra?: Record<string, number | string>;
  target?: number;
  higherIsBetter: boolean;
  section?: string;
  date?: string;
}

/** `results.json`. */
export interface BenchResults {
  date: string;
  machine: Record<string, unknown>;
  rounds: number;
  figures: StoredFigure[];
}

const isNumber = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** 1,234 from 100 up; three significant digits from 10; three decimals below. */
function num(n: number | null | undefined): string {
  if (!isNumber(n)) return '-';
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toPrecision(3);
  return n.toFixed(3);
}

function ratio(r: StoredFigure['ratio']): string {
  if (!isNumber(r.median)) return '-';
  const range = isNumber(r.min) && isNumber(r.max) ? ` (${r.min.toFixed(2)}-${r.max.toFixed(2)})` : '';
  return `${r.median.toFixed(3)}${range}`;
}

function met(f: StoredFigure): string {
  if (f.target === undefined || !isNumber(f.ratio.median)) return '';
  const ok = f.higherIsBetter ? f.ratio.median >= f.target : f.ratio.median <= f.target;
  return ok ? 'yes' : '**no**';
}

/** The Markdown that goes between the markers. */
export function benchTable(results: BenchResults): string {
  const dates = [...new Set(results.figures.map((f) => f.date ?? results.date))].sort();
  const lines = [
    `\`bench/results.json\` holds these figures, each with the date of its run (${dates.join(', ')}).`,
    `Run ended ${results.date}, machine ${JSON.stringify(results.machine)}, rounds ${results.rounds}.`,
    '',
    '| figure | subject | baseline | unit | ratio median (min-max) | target | met |',
    '|---|---|---|---|---|---|---|',
    ...results.figures.map((f) => {
      const target = f.target === undefined ? '-' : `${f.higherIsBetter ? '>=' : '<='} ${f.target}`;
      return `| ${f.name} | ${num(f.subject)} | ${num(f.baseline)} | ${f.unit} | ${ratio(f.ratio)} | ${target} | ${met(f)} |`;
    }),
  ];
  const extras = results.figures.filter((f) => f.extra && Object.keys(f.extra).length > 0);
  if (extras.length > 0) {
    lines.push('');
    for (const f of extras) {
      const parts = Object.entries(f.extra ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? num(v) : v}`);
      lines.push(`- ${f.name}: ${parts.join(', ')}`);
    }
  }
  return lines.join('\n');
}

/** `readme` with the text between the markers replaced by {@link benchTable}. */
export function withBenchTable(readme: string, results: BenchResults): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`bench/README.md needs the markers ${TABLE_START} and ${TABLE_END}`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${benchTable(results)}\n${readme.slice(end)}`;
}

export const README_URL = new URL('./README.md', import.meta.url);
export const RESULTS_URL = new URL('./results.json', import.meta.url);

/** Rewrites the table of `bench/README.md` from `bench/results.json`. */
export function updateBenchReadme(): void {
  const results = JSON.parse(readFileSync(RESULTS_URL, 'utf8')) as BenchResults;
  writeFileSync(README_URL, withBenchTable(readFileSync(README_URL, 'utf8'), results));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) updateBenchReadme();
