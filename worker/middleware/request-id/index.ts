/**
 * Gives every request an id, sets it as `X-Request-Id` on every response (errors included) and
 * exposes it as `c.var.requestId` for logs. A valid incoming id (a proxy's, a client's retry) is
 * kept; anything else is replaced, so a header cannot smuggle arbitrary text into the logs.
 * Not hono/request-id: it refuses ids with `.`, `:`, `+` or `/` (trace ids the API contract keeps).
 */
import type { MiddlewareHandler } from 'hono';

export interface RequestIdOptions {
  headerName?: string;
  /** Incoming ids that do not match are replaced. */
  accept?: RegExp;
  generate?: () => string;
}

export type RequestIdVariables = { requestId: string };

const DEFAULTS: Required<RequestIdOptions> = {
  headerName: 'X-Request-Id',
  accept: /^[\w.:+=/-]{1,128}$/,
  generate: () => crypto.randomUUID(),
};

export function requestId(options: RequestIdOptions = {}): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  const { headerName, accept, generate } = { ...DEFAULTS, ...options };
  return async function requestId(c, next) {
    const incoming = c.req.header(headerName);
    const id = incoming !== undefined && accept.test(incoming) ? incoming : generate();
    c.set('requestId', id);
    // Set before next(): Hono copies prepared headers onto whatever response is produced,
    // including the error handler's and CORS preflight answers.
    c.header(headerName, id);
    await next();
  };
}
