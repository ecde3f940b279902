/**
 * CORS for browsers calling the API from other sites. `origins` is ['*'] (any site, the default)
 * or a list of exact origins; preflights are answered here with 204 and cached for a day.
 * Built on hono/cors; this only fixes the API's defaults and the meaning of the origin list.
 */
import type { MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';

export interface CorsOptions {
  /** ['*'] or exact origins such as 'https://example.com'. */
  origins?: readonly string[];
  /** Response headers a browser script may read. */
  exposeHeaders?: string[];
  /** Seconds a browser may cache a preflight answer. */
  maxAge?: number;
}

const DEFAULTS: Required<CorsOptions> = {
  origins: ['*'],
  exposeHeaders: ['X-Request-Id'],
  maxAge: 86_400,
};

export function cors(options: CorsOptions = {}): MiddlewareHandler {
  const { origins, exposeHeaders, maxAge } = { ...DEFAULTS, ...options };
  const allowed = new Set(origins);
  return honoCors({
    origin: allowed.has('*') ? '*' : (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    exposeHeaders,
    maxAge,
  });
}
