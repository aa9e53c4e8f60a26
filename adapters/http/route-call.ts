/**
 * One call of a route: what its handler sees of the request (a {@link RouteRequest}), the body
 * read and parsed once, and the request's long wait, if it asked for one. One object per
 * request; it makes no closure unless the route asks for a long wait or throws.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyText } from './body.js';
import { located, readJsonBody } from './json-body.js';
import { SERVER_CLOSING } from './route.js';
import type { RouteRequest } from './route.js';

/** The long waits (claim-next) of one server, and whether it is stopping. */
export interface Waits {
  active: Set<AbortController>;
  closing: boolean;
}

/** Ends every long wait of a server that starts to stop: they answer 503 at once. */
export function abortWaits(waits: Waits): void {
  waits.closing = true;
  for (const w of waits.active) w.abort(SERVER_CLOSING);
}

export class RouteCall implements RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly headers: FastifyRequest['headers'];
  /** The body's text once the route read it (content a route did not read is refused). */
  body: string | undefined = undefined;
  /** The request's long wait, once `signal()` was asked for. */
  wait: AbortController | undefined = undefined;

  constructor(
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
    readonly query: ReadonlyMap<string, string>,
    private readonly waits: Waits,
  ) {
    this.params = request.params as Record<string, string>;
    this.headers = request.headers;
  }

  parseBody<T>(parse: (value: unknown) => T): T {
    const raw = bodyText(this.request);
    this.body = raw;
    return parse(readJsonBody(raw, this.request.headers['content-type'], parse));
  }

  /** `error` placed in the body when the route read one (see {@link RouteRequest.parseBody}). */
  located(error: unknown): unknown {
    return this.body === undefined ? error : located(error, this.body);
  }

  signal(): AbortSignal {
    if (!this.wait) {
      const controller = new AbortController();
      this.wait = controller;
      this.waits.active.add(controller);
      if (this.waits.closing) controller.abort(SERVER_CLOSING);
      // the client went away before the answer
      const raw = this.reply.raw;
      raw.once('close', () => {
        if (!raw.writableFinished) controller.abort(new Error('client disconnected'));
      });
    }
    return this.wait.signal;
  }

  /** Forgets the request's long wait once it answered. */
  end(): void {
    if (this.wait) this.waits.active.delete(this.wait);
  }
}
