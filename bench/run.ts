/** `npm run bench`: every figure beside its baseline, measured in the same run, as a ratio. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { coreFigures } from './core.js';
import { memoryFigures } from './memory.js';
import { httpFigures } from './http.js';
import { pgliteFigures, postgresFigures } from './postgres.js';
import { startupFigures } from './startup.js';
import { workersFigures } from './workers.js';
import { lifecycleFigures, lifecycleFiguresPglite } from './lifecycle.js';
import { scaleFigures, scaleFiguresPglite } from './scale.js';
import { rssFigures } from './rss.js';
import { fmt, type Pair } from './harness.js';
import { updateBenchReadme } from './table.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const MS = quick ? 300 : 1000;

function print(rows: Pair[]): void {
  const lines = [
    ['figure', 'subject', 'baseline', 'unit', 'ratio (median)', 'min', 'max', 'target'],
    ...rows.map((r) => [
      r.name,
      fmt(r.subject),
      fmt(r.baseline),
      r.unit,
      r.ratio.median.toFixed(3),
      r.ratio.min.toFixed(3),
      r.ratio.max.toFixed(3),
      r.target === undefined ? '' : `${r.higherIsBetter ? '>=' : '<='} ${r.target}`,
    ]),
  ];
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const l of lines) console.log(l.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  for (const r of rows) if (r.extra) console.log(`  ${r.name}: ${Object.entries(r.extra).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`).join(', ')}`);
}

const rows: (Pair & { section: string })[] = [];
const sections: [string, () => Promise<Pair[]>][] = [
  ['core', () => coreFigures(ROUNDS, MS)],
  ['memory', () => memoryFigures(ROUNDS)],
  ['postgres', () => postgresFigures(quick ? 2 : 5, quick ? 500 : 2000)],
  ['pglite', () => pgliteFigures(quick ? 2 : 5, quick ? 500 : 2000)],
  ['http', () => httpFigures(quick ? 2 : 5, quick ? 2 : 5)],
  ['startup', () => startupFigures(quick ? 2 : 5)],
  ['workers', () => workersFigures(quick ? 20 : 100)],
  ['lifecycle', () => lifecycleFigures(quick ? 2 : 5, quick ? 300 : 1000)],
  ['lifecycle-pglite', () => lifecycleFiguresPglite(quick ? 2 : 5, quick ? 300 : 1000)],
  ['scale', () => scaleFigures(quick ? 3 : 5, quick ? 100 : 300, quick ? 100_000 : 1_000_000)],
  ['scale-pglite', () => scaleFiguresPglite(quick ? 3 : 5, quick ? 100 : 300)],
  ['rss', () => (quick ? rssFigures(50_000, 10_000) : rssFigures(1_000_000, 100_000))],
];
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
for (const [name, run] of sections) {
  if (only && !only.includes(name)) continue;
  console.error(`running ${name}...`);
  rows.push(...(await run()).map((r) => ({ ...r, section: name })));
}
print(rows);
const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) };
const resultsUrl = new URL('./results.json', import.meta.url);
// With --only, the other sections' figures of the previous run are kept (each with its own date).
const SECTION_OF_OLD: [string, string][] = [['core,', 'core'], ['memory adapter', 'memory'], ['PostgreSQL', 'postgres'], ['PGlite', 'pglite'], ['HTTP', 'http'], ['start-up', 'startup']];
type Stored = Pair & { section?: string; date?: string };
const previous: { date?: string; figures?: Stored[] } = only && existsSync(resultsUrl) ? (JSON.parse(readFileSync(resultsUrl, 'utf8')) as { figures?: Stored[] }) : {};
const sectionOf = (f: Stored): string | undefined => f.section ?? SECTION_OF_OLD.find(([prefix]) => f.name.startsWith(prefix))?.[1];
const date = new Date().toISOString();
const kept = (previous.figures ?? []).filter((f) => !rows.some((r) => r.section === sectionOf(f))).map((f) => ({ ...f, section: sectionOf(f), date: f.date ?? previous.date }));
writeFileSync(resultsUrl, JSON.stringify({ date, machine, rounds: ROUNDS, figures: [...kept, ...rows.map((r) => ({ ...r, date }))] }, null, 2) + '\n');
// bench/README.md's table, from the results just written
updateBenchReadme();
