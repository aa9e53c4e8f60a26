import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Container } from 'inversify';
import { expect } from 'vitest';
import { closeContainer, coreModule, initializeContainer, TOKENS } from '../../../src/index.js';
import type { Instant, SyncJobStore } from '../../../src/index.js';
import { memoryModule } from '../../../adapters/memory/index.js';
import type { MemorySyncJobStore } from '../../../adapters/memory/index.js';
import { createServer } from '../../../adapters/http/index.js';
import type { ServerOptions } from '../../../adapters/http/index.js';
import { fixedClock } from 'connector-sync-jobs/testing';

/** Builds a fresh container for one server (memory, PGlite, PostgreSQL or the Elasticsearch mock). */
export type ContainerFactory = () => Container | Promise<Container>;

/** A listening server on a free port, and a small fetch client for it. */
export interface TestServer {
  url: string;
  container: Container;
  app: FastifyInstance;
  /** Sends a request; a string body is sent as is, anything else as JSON. */
  request(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body (undefined when it is not JSON). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Fresh containers of the core on the memory store, whose clock always answers `at`. */
export function memoryContainerAt(at: Instant): ContainerFactory {
  return () => {
    const c = new Container();
    c.load(coreModule({ clock: fixedClock(at) }), memoryModule());
    return c;
  };
}

/** How many jobs the memory store of `s` holds. */
export function jobCount(s: TestServer): number {
  return (s.container.get<SyncJobStore>(TOKENS.SyncJobStore) as MemorySyncJobStore).size;
}

/** Starts `createServer` over a fresh container on 127.0.0.1, port 0. */
export async function startServer(makeContainer: ContainerFactory, options: ServerOptions = {}, defaultHeaders: Record<string, string> = {}): Promise<TestServer> {
  const container = await makeContainer();
  await initializeContainer(container);
  const app = createServer(container, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    container,
    app,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...defaultHeaders };
      let body: string | undefined;
      if (opts.body !== undefined) {
        body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      Object.assign(headers, opts.headers);
      const res = await fetch(url + path, { method, headers, body });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        json = undefined; // not JSON (an empty body, a text answer)
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      await app.close();
      await closeContainer(container);
    },
  };
}

/** Asserts Elasticsearch's error shape, and returns the error object. */
export function expectErrorShape(res: TestResponse, status: number): { type: string; reason: string; caused_by?: unknown; root_cause: { type: string; reason: string }[] } {
  expect(res.status).toBe(status);
  expect(res.json?.status).toBe(status);
  const e = res.json?.error;
  expect(typeof e?.type).toBe('string');
  expect(typeof e?.reason).toBe('string');
  expect(Array.isArray(e?.root_cause)).toBe(true);
  expect(e.root_cause.length).toBe(1);
  expect(Object.keys(e.root_cause[0]).sort()).toEqual(['reason', 'type']);
  expect(Object.keys(res.json).sort()).toEqual(['error', 'status']);
  expect(res.text).not.toMatch(/\n\s+at /); // no stack trace
  return e;
}

/** The reasons of an error and its causes, joined by " | ". */
export function reasonChain(error: { reason: string; caused_by?: unknown }): string {
  const parts: string[] = [];
  let e: any = error; // eslint-disable-line @typescript-eslint/no-explicit-any
  while (e) {
    parts.push(e.reason);
    e = e.caused_by;
  }
  return parts.join(' | ');
}
