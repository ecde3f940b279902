/**
 * Caps request bodies at `maxBytes` before anything parses them: a declared Content-Length over
 * the limit is refused before a byte is kept, and a body without one (chunked uploads) is counted
 * while it is read and cut off at the limit. The bytes read are handed on through Hono's body
 * cache, so `c.req.text()` / `c.req.json()` downstream read them without another copy.
 *
 * A refused body is never cancelled: that closes the connection while the client still sends, its
 * kernel then resets the connection and the client never sees the refusal. With `drainBytes` the
 * rest is read and dropped (up to that many bytes, nothing kept) before the refusal goes out;
 * without, it is left for the runtime (@hono/node-server drains it after the answer, for 500 ms).
 *
 * `Content-Encoding: gzip` bodies are decompressed here, with the limit applied to the
 * decompressed size as it grows (a small gzip bomb is stopped at `maxBytes`, not inflated).
 * Other encodings are refused through `onUnsupportedEncoding`.
 * Not hono/body-limit: it neither drains a refused body nor limits a gzip body by its decompressed size.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cacheBody } from '../body-cache';

export interface BodyLimitOptions {
  maxBytes: number;
  /** Builds the refusal (or throws); `bytes` is the declared or counted size so far (decompressed, for gzip). */
  onOverflow: (c: Context, info: { maxBytes: number; bytes: number; declared: boolean }) => Response | Promise<Response>;
  /** A Content-Encoding other than gzip (or none), or gzip that does not decompress. Default: 415 in plain text. */
  onBadEncoding?: (c: Context, info: { encoding: string; reason: 'unsupported' | 'corrupt' }) => Response | Promise<Response>;
  /** Read and drop up to this many bytes of a refused body before answering (default 0: leave it to the runtime). */
  drainBytes?: number;
}

export function bodyLimit({ maxBytes, onOverflow, onBadEncoding = (c) => c.text('unsupported Content-Encoding', 415), drainBytes = 0 }: BodyLimitOptions): MiddlewareHandler {
  return async function bodyLimit(c, next) {
    // GET and HEAD requests cannot carry a body; asking for one would build a Request on Node.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();

    const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
    const gzip = encoding === 'gzip' || encoding === 'x-gzip';
    if (!gzip && encoding !== 'identity') return onBadEncoding(c, { encoding, reason: 'unsupported' });

    const length = c.req.header('content-length');
    const declared = Number(length);
    if (declared > maxBytes) {
      // Expect: 100-continue: the client sends nothing before a go-ahead, so there is nothing to drain.
      if (!/100-continue/i.test(c.req.header('expect') ?? '') && c.req.raw.body) await drain(c.req.raw.body.getReader(), drainBytes);
      return onOverflow(c, { maxBytes, bytes: declared, declared: true });
    }

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
      const reader = body.getReader();
      const read = await readUpTo(reader, maxBytes);
      if (typeof read === 'number') {
        await drain(reader, drainBytes - read);
        return onOverflow(c, { maxBytes, bytes: read, declared: false });
      }
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

/** Reads and drops up to `budget` bytes of what is left (nothing when the budget is 0 or less). */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  try {
    for (let left = budget; left > 0; ) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
    }
  } catch {
    // The client went away while we drained: nobody is left to answer.
  }
}

/** gunzip, stopping once the output passes `maxBytes` (returns the size reached), or 'corrupt'. */
async function gunzipCapped(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array | number | 'corrupt'> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
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
