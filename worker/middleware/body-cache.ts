/**
 * Hands a body already read to whatever reads it next through `c.req.text()`/`json()`/
 * `arrayBuffer()`. Hono keeps those reads as promises in `bodyCache` (its types say values).
 */
import type { Context } from 'hono';

export function cacheBody(c: Context, key: 'arrayBuffer' | 'text', value: ArrayBuffer | string): void {
  (c.req.bodyCache as Record<string, Promise<unknown>>)[key] = Promise.resolve(value);
}
