/**
 * Caps request bodies at `maxBytes` before anything parses them: a declared Content-Length over
 * the limit is refused without reading a byte, and a body without one (chunked uploads) is
 * counted while it is read and cut off at the limit. The bytes read are handed on through Hono's
 * body cache, so `c.req.text()` / `c.req.json()` downstream read them without another copy.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cacheBody } from '../body-cache';

export interface BodyLimitOptions {
  maxBytes: number;
  /** Builds the refusal (or throws); `bytes` is the declared or counted size so far. */
  onOverflow: (c: Context, info: { maxBytes: number; bytes: number; declared: boolean }) => Response | Promise<Response>;
}

export function bodyLimit({ maxBytes, onOverflow }: BodyLimitOptions): MiddlewareHandler {
  return async function bodyLimit(c, next) {
    // GET and HEAD requests cannot carry a body; asking for one would build a Request on Node.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();

    const length = c.req.header('content-length');
    const declared = Number(length);
    if (declared > maxBytes) return onOverflow(c, { maxBytes, bytes: declared, declared: true });

    let bytes: Uint8Array;
    if (length !== undefined && Number.isInteger(declared) && declared >= 0) {
      // An HTTP server delivers exactly Content-Length bytes, so reading it whole is bounded, and
      // on Node it skips web streams (several times the cost of the read). Checked anyway: a
      // Request built in-process may declare anything.
      bytes = new Uint8Array(await c.req.raw.arrayBuffer());
      if (bytes.byteLength > maxBytes) return onOverflow(c, { maxBytes, bytes: bytes.byteLength, declared: false });
    } else {
      const body = c.req.raw.body;
      if (!body) return next();
      const read = await readCapped(body, maxBytes);
      if (typeof read === 'number') return onOverflow(c, { maxBytes, bytes: read, declared: false });
      bytes = read;
    }
    cacheBody(c, 'arrayBuffer', bytes.buffer as ArrayBuffer);
    await next();
  };
}

/** The whole body, or the byte count at which it went over `maxBytes` (the rest is not read). */
async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | number> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return size;
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

/** One exactly-sized buffer (a chunk may be a view into a larger one). */
function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
