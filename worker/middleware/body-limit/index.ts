/**
 * Caps request bodies at `maxBytes` before anything parses them: a declared Content-Length over
 * the limit is refused before a byte is kept, and a body without one (chunked uploads) is counted
 * while it is read and cut off at the limit. The bytes read are handed on through Hono's body
 * cache, so `c.req.text()` / `c.req.json()` downstream read them without another copy.
 *
 * A refused body is left unread, not cancelled: cancelling closes the connection while the client
 * still sends, its kernel then resets the connection and the client never sees the refusal. The
 * runtime reads and drops the rest after the answer (Node: @hono/node-server drains up to 64 MiB).
 *
 * `Content-Encoding: gzip` bodies are decompressed here, with the limit applied to the
 * decompressed size as it grows (a small gzip bomb is stopped at `maxBytes`, not inflated).
 * Other encodings are refused through `onUnsupportedEncoding`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cacheBody } from '../body-cache';

export interface BodyLimitOptions {
  maxBytes: number;
  /** Builds the refusal (or throws); `bytes` is the declared or counted size so far (decompressed, for gzip). */
  onOverflow: (c: Context, info: { maxBytes: number; bytes: number; declared: boolean }) => Response | Promise<Response>;
  /** A Content-Encoding other than gzip (or none), or gzip that does not decompress. Default: 415 in plain text. */
  onBadEncoding?: (c: Context, info: { encoding: string; reason: 'unsupported' | 'corrupt' }) => Response | Promise<Response>;
}

export function bodyLimit({ maxBytes, onOverflow, onBadEncoding = (c) => c.text('unsupported Content-Encoding', 415) }: BodyLimitOptions): MiddlewareHandler {
  return async function bodyLimit(c, next) {
    // GET and HEAD requests cannot carry a body; asking for one would build a Request on Node.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();

    const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
    const gzip = encoding === 'gzip' || encoding === 'x-gzip';
    if (!gzip && encoding !== 'identity') return onBadEncoding(c, { encoding, reason: 'unsupported' });

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
      const read = await readUpTo(body.getReader(), maxBytes);
      if (typeof read === 'number') return onOverflow(c, { maxBytes, bytes: read, declared: false });
      bytes = read;
    }
    if (gzip) {
      const inflated = await gunzipCapped(bytes, maxBytes);
      if (inflated === 'corrupt') return onBadEncoding(c, { encoding, reason: 'corrupt' });
      if (typeof inflated === 'number') return onOverflow(c, { maxBytes, bytes: inflated, declared: false });
      bytes = inflated;
    }
    cacheBody(c, 'arrayBuffer', bytes.buffer as ArrayBuffer);
    await next();
  };
}

/** The whole stream, or the byte count at which it went over `maxBytes` (the rest is left unread). */
async function readUpTo(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<Uint8Array | number> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) return size;
    chunks.push(value);
  }
  return concat(chunks, size);
}

/** gunzip, stopping once the output passes `maxBytes` (returns the size reached), or 'corrupt'. */
async function gunzipCapped(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array | number | 'corrupt'> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  try {
    const inflated = await readUpTo(reader, maxBytes);
    if (typeof inflated === 'number') reader.cancel().catch(() => {});
    return inflated;
  } catch {
    return 'corrupt';
  }
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
