/**
 * The curl walkthroughs (the ```sh walkthrough blocks of README and of `docs/*.md`) run as
 * written with bash against the compiled server started as `npm start` starts it (default
 * storage: PGlite, here in a temporary directory; any free port), one server for all of them,
 * in order (README first), each block in a bash process of its own. The only thing changed is
 * the address: a block reads it from `ES`, defaulting to the address `npm start` listens on,
 * and the test sets `ES`.
 *
 * Each command of the block that is directly followed by `# ...` comment lines must print what
 * they say: `...` stands for anything, and the example job id (what `echo "$JOB"` is shown to
 * print) for the id the server gave.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../adapters/http/settings.js';
import { listening, runServer } from './adapters/http/server-process.js';
import { codeBlocks } from './doc-examples.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const DOCS = new URL('../docs/', import.meta.url);
const pages: [string, string][] = [
  ['README.md', readme],
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f): [string, string] => [`docs/${f}`, readFileSync(new URL(f, DOCS), 'utf8')]),
];
/** Every walkthrough block, with the page it is in. */
const walkthroughs = pages.flatMap(([page, text]) => codeBlocks(text, 'sh').filter((b) => /\bwalkthrough\b/.test(b.info)).map((b) => ({ page, ...b })));

/** One command of a block (with its continuation lines) and the output its comment shows. */
interface Step {
  command: string;
  expected: string | undefined;
}

/** Splits a shell block into commands, each with the `# ...` lines right after it. */
export function steps(code: string): Step[] {
  const out: Step[] = [];
  const lines = code.split('\n');
  for (let i = 0; i < lines.length; ) {
    const line = lines[i] as string;
    if (line.trim() === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    const command = [line];
    while ((command.at(-1) as string).endsWith('\\') && i + 1 < lines.length) command.push(lines[++i] as string);
    i++;
    const expected: string[] = [];
    while (i < lines.length && (lines[i] as string).startsWith('# ')) expected.push((lines[i++] as string).slice(2));
    out.push({ command: command.join('\n'), expected: expected.length > 0 ? expected.join('\n') : undefined });
  }
  return out;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The expected text as a pattern: `...` is anything, the example id is the real one. */
function pattern(expected: string, ids: Map<string, string>): RegExp {
  let text = expected;
  for (const [example, real] of ids) text = text.split(example).join(real);
  return new RegExp(`^${text.split('...').map(escape).join('[\\s\\S]*')}$`);
}

/** Runs the steps in one bash process, a marker after each, and returns each step's output. */
async function runSteps(all: Step[], es: string): Promise<string[]> {
  const script = all.map((s, n) => `${s.command}\nprintf '\\n@@step ${n}@@\\n'`).join('\n');
  const { stdout } = await promisify(execFile)('bash', ['--noprofile', '--norc', '-c', script], {
    env: { PATH: process.env.PATH ?? '', ES: es },
    timeout: 60_000,
  });
  const outputs: string[] = [];
  let rest = stdout;
  for (let n = 0; n < all.length; n++) {
    const marker = `\n@@step ${n}@@\n`;
    const at = rest.indexOf(marker);
    expect(at, `step ${n} ran: ${all[n]?.command}`).toBeGreaterThanOrEqual(0);
    outputs.push(rest.slice(0, at).trim());
    rest = rest.slice(at + marker.length);
  }
  return outputs;
}

describe('the curl walkthroughs (README, docs/)', () => {
  it("are there (README's, and the worker's in docs/workers.md), and their default address is the one npm start listens on", () => {
    expect(walkthroughs.filter((b) => b.page === 'README.md').length).toBeGreaterThanOrEqual(1);
    expect(walkthroughs.filter((b) => b.page === 'docs/workers.md').length).toBeGreaterThanOrEqual(1);
    const defaults = settingsFromEnv({});
    const address = `http://${defaults.host}:${defaults.port}`;
    for (const block of walkthroughs) expect(block.code).toContain(`ES=\${ES:-${address}}`);
    expect(readme).toContain(`npm start   # the server on ${address}`);
  });

  it('runs as written against the compiled server on PGlite, each step answering what it shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csj-walkthrough-'));
    const server = runServer({ PGLITE_DIR: join(dir, 'data') });
    try {
      const url = await listening(server);
      for (const block of walkthroughs) {
        const all = steps(block.code);
        const where = `${block.page}, walkthrough ${block.index + 1}`;
        expect(all.filter((s) => s.expected !== undefined).length).toBeGreaterThanOrEqual(8);
        const outputs = await runSteps(all, url);
        const ids = new Map<string, string>();
        all.forEach((step, n) => {
          const output = outputs[n] as string;
          if (step.command === 'echo "$JOB"' && step.expected !== undefined) {
            expect(output).toMatch(/^[A-Za-z0-9_-]{20}$/);
            ids.set(step.expected, output);
          }
          if (step.expected !== undefined) {
            expect({ where, command: step.command, output }).toEqual({ where, command: step.command, output: expect.stringMatching(pattern(step.expected, ids)) });
          }
        });
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(server.err()).toBe('');
  });
});
