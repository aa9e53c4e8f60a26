/**
 * The official clients, unchanged, against this server: `@elastic/elasticsearch` 9 (the
 * dependency) and 8 (dev dependency `es8`), both created with `compression: true`, so every
 * request body goes out gzipped.
 */
import type { IncomingMessage } from 'node:http';
import { Client as Client9, errors as errors9 } from '@elastic/elasticsearch';
import { Client as Client8, errors as errors8 } from 'es8';
import { Container } from 'inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreModule } from '../../../src/index.js';
import { memoryModule } from '../../../adapters/memory/index.js';
import { startServer } from './harness.js';
import type { TestServer } from './harness.js';

const memory = (): Container => {
  const c = new Container();
  c.load(coreModule(), memoryModule());
  return c;
};

/** What both clients offer of the connector API (their own types differ in details). */
interface AnyClient {
  info(): Promise<{ version: { number: string; build_flavor?: string }; tagline: string }>;
  connector: {
    put(p: Record<string, unknown>): Promise<{ result: string; id: string }>;
    get(p: Record<string, unknown>): Promise<Record<string, unknown>>;
    delete(p: Record<string, unknown>): Promise<{ acknowledged: boolean }>;
    syncJobPost(p: Record<string, unknown>): Promise<{ id: string }>;
    syncJobGet(p: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
  close(): Promise<void>;
}

const clients: [string, (url: string) => AnyClient, { ResponseError: new (...a: never[]) => Error }][] = [
  ['@elastic/elasticsearch 9', (url) => new Client9({ node: url, compression: true }) as unknown as AnyClient, errors9],
  ['@elastic/elasticsearch 8', (url) => new Client8({ node: url, compression: true }) as unknown as AnyClient, errors8],
];

for (const [name, make, errors] of clients) {
  describe(`official client ${name}, compression on`, () => {
    let server: TestServer;
    let client: AnyClient;
    const encodings: (string | undefined)[] = [];
    beforeAll(async () => {
      server = await startServer(memory);
      server.app.server.on('request', (req: IncomingMessage) => {
        if (req.method !== 'GET') encodings.push(req.headers['content-encoding']);
      });
      client = make(server.url);
    });
    afterAll(async () => {
      await client.close();
      await server.close();
    });

    it('info: version.number and build_flavor', async () => {
      const info = await client.info();
      expect(info.version.number).toMatch(/^9\./);
      expect(info.version.build_flavor).toBe('default');
      expect(info.tagline).toBe('You Know, for Search');
    });

    it('connector.put with every upstream field, connector.get, sync jobs, connector.delete', async () => {
      const fields = {
        description: 'any text',
        index_name: 'search-k1',
        is_native: false,
        language: 'en',
        name: 'K1',
        service_type: 'google_drive',
      };
      expect(await client.connector.put({ connector_id: 'k1', ...fields })).toEqual({ result: 'created', id: 'k1' });
      const got = await client.connector.get({ connector_id: 'k1' });
      expect(got).toMatchObject({ id: 'k1', ...fields, status: 'created', configuration: {} });

      const { id } = await client.connector.syncJobPost({ id: 'k1', job_type: 'full', trigger_method: 'on_demand' });
      expect(typeof id).toBe('string');
      const job = await client.connector.syncJobGet({ connector_sync_job_id: id });
      expect(job).toMatchObject({ id, status: 'pending', job_type: 'full', trigger_method: 'on_demand' });
      expect(job.connector).toMatchObject({ id: 'k1', index_name: 'search-k1', service_type: 'google_drive', language: 'en', configuration: {} });

      expect(await client.connector.delete({ connector_id: 'k1', delete_sync_jobs: true })).toEqual({ acknowledged: true });
      const gone = await client.connector.get({ connector_id: 'k1' }).catch((e: unknown) => e);
      expect(gone).toBeInstanceOf(errors.ResponseError);
      expect((gone as { statusCode?: number }).statusCode).toBe(404);
      const jobGone = await client.connector.syncJobGet({ connector_sync_job_id: id }).catch((e: unknown) => e);
      expect((jobGone as { statusCode?: number }).statusCode).toBe(404);
      // the bodies really went out compressed
      expect(encodings).toContain('gzip');
    });

    it('connector.put with no field but the id: upstream\'s defaults', async () => {
      expect(await client.connector.put({ connector_id: 'k2' })).toEqual({ result: 'created', id: 'k2' });
      expect(await client.connector.get({ connector_id: 'k2' })).toMatchObject({ id: 'k2', name: '', status: 'created', is_native: false });
      expect(await client.connector.delete({ connector_id: 'k2', hard: true })).toEqual({ acknowledged: true });
    });
  });
}
