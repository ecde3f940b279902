/**
 * Hands a body already read to whatever reads it next through `c.req.text()`/`json()`/
 * `arrayBuffer()`. Hono keeps those reads as promises in `bodyCache` (its types say values).
 * Hono has no public way to do this; a new Request in `c.req.raw` would copy the body once more.
 */
import type { Context } from 'hono';

export function cacheBody(c: Context, key: 'arrayBuffer' | 'text', value: ArrayBuffer | string): void {
  (c.req.bodyCache as Record<string, Promise<unknown>>)[key] = Promise.resolve(value);
}
