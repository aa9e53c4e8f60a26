/**
 * `npm start` with `SWEEP_INTERVAL`: the sweeper runs on its interval and moves a claimed job
 * that stops checking in to error with the Python framework's message; SIGTERM still exits 0.
 */
import { describe, expect, it } from 'vitest';
import { IDLE_JOB_ERROR } from '../../../src/index.js';
import { startServer } from './server-process.js';

const post = (url: string, body: unknown, method = 'POST') =>
  fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('npm start with SWEEP_INTERVAL', () => {
  it('sweeps an idle claimed job to error on its interval', async () => {
    const server = await startServer({ STORAGE: 'memory', SWEEP_INTERVAL: '1', SWEEP_IDLE_THRESHOLD: '1' });
    const url = server.url;
    try {
      expect((await post(`${url}/_connector/c1`, { index_name: 'search-c1', service_type: 'x' }, 'PUT')).status).toBe(201);
      expect((await post(`${url}/_connector/_sync_job`, { id: 'c1' })).status).toBe(201);
      const claimed = (await (await post(`${url}/_connector/_sync_job/_claim_next`, { worker_hostname: 'w' })).json()) as { job: { id: string } };
      const id = claimed.job.id;
      let job: { status: string; error?: string } = { status: '' };
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        job = (await (await fetch(`${url}/_connector/_sync_job/${id}`)).json()) as typeof job;
        if (job.status === 'error') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(job).toMatchObject({ status: 'error', error: IDLE_JOB_ERROR });
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
  }, 60_000);
});
