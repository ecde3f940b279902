/**
 * CORS for browsers calling the API from other sites. `origins` is ['*'] (any site, the default)
 * or a list of exact origins; preflights are answered here with 204 and cached for a day.
 * Headers go through c.header() before the route runs, as hono/cors's do not: it writes to
 * c.res early, which makes Hono rebuild every response to merge them (a third of a small
 * request's cost on Node).
 */
import type { MiddlewareHandler } from 'hono';

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

const ALLOW_METHODS = 'GET,HEAD,POST,OPTIONS';

export function cors(options: CorsOptions = {}): MiddlewareHandler {
  const { origins, exposeHeaders, maxAge } = { ...DEFAULTS, ...options };
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  const expose = exposeHeaders.join(',');
  return async function cors(c, next) {
    const origin = c.req.header('origin') ?? '';
    const allowOrigin = anyOrigin ? '*' : allowed.has(origin) ? origin : null;
    if (allowOrigin) c.header('Access-Control-Allow-Origin', allowOrigin);
    if (expose) c.header('Access-Control-Expose-Headers', expose);
    if (!anyOrigin) c.header('Vary', 'Origin', { append: true });
    if (c.req.method !== 'OPTIONS') return next();

    c.header('Access-Control-Max-Age', String(maxAge));
    c.header('Access-Control-Allow-Methods', ALLOW_METHODS);
    const requested = c.req.header('access-control-request-headers');
    if (requested) {
      c.header('Access-Control-Allow-Headers', requested.split(',').map((h) => h.trim()).join(','));
      c.header('Vary', 'Access-Control-Request-Headers', { append: true });
    }
    return c.body(null, 204);
  };
}
