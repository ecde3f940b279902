/**
 * One structured line per request, written after the response is ready: method, path (no query
 * string), status, duration, request id, batch size and error code. Never the request body.
 * Routes add `batchSize`; the error handler adds `errorCode`.
 */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../logger';

export type RequestLogVariables = {
  requestId?: string;
  /** Texts scored by this request (1 for POST /v1/sentiment). */
  batchSize?: number;
  /** The API error code when the response is an error. */
  errorCode?: string;
};

export interface RequestLogOptions {
  log: Logger;
  /** Clock in milliseconds. On workerd it only advances across I/O, so CPU-only work logs 0. */
  now?: () => number;
}

export function requestLog({ log, now = () => performance.now() }: RequestLogOptions): MiddlewareHandler<{ Variables: RequestLogVariables }> {
  return async function requestLog(c, next) {
    const start = now();
    await next();
    const status = c.res.status;
    log(status >= 500 ? 'error' : 'info', {
      msg: 'request',
      method: c.req.method,
      path: c.req.path,
      status,
      duration_ms: Math.round((now() - start) * 1000) / 1000,
      // c.get, not c.var: Hono builds a fresh object of every variable on each c.var access.
      request_id: c.get('requestId') ?? null,
      batch_size: c.get('batchSize') ?? null,
      error_code: c.get('errorCode') ?? null,
    });
  };
}
