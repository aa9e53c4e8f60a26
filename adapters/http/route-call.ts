/**
 * One call of a route: what its handler sees of the request (a {@link RouteRequest}), whether it
 * read the body, and the request's long wait, if it asked for one. One object per request, no
 * closures made per request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyText } from './body.js';
import { readJsonBody } from './json-body.js';
import type { JsonBody } from './json-body.js';
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
  /** Whether the route read the body (content it did not read is refused). */
  bodyRead = false;
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

  json(decode: (value: unknown) => unknown): JsonBody {
    this.bodyRead = true;
    return readJsonBody(bodyText(this.request), this.request.headers['content-type'], decode);
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
