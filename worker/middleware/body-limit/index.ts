/**
 * Caps request bodies at `maxBytes` before anything parses them: a declared Content-Length over
 * the limit is refused without reading a byte, and the body is counted while it is read, so a
 * missing or lying Content-Length (chunked uploads) is cut off at the limit too. The bytes read
 * are handed on as the request's body.
 */
import type { Context, MiddlewareHandler } from 'hono';

export interface BodyLimitOptions {
  maxBytes: number;
  /** Builds the refusal (or throws); `bytes` is the declared or counted size so far. */
  onOverflow: (c: Context, info: { maxBytes: number; bytes: number; declared: boolean }) => Response | Promise<Response>;
}

export function bodyLimit({ maxBytes, onOverflow }: BodyLimitOptions): MiddlewareHandler {
  return async function bodyLimit(c, next) {
    const body = c.req.raw.body;
    if (!body) return next();

    const declared = Number(c.req.header('content-length'));
    if (declared > maxBytes) return onOverflow(c, { maxBytes, bytes: declared, declared: true });

    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        return onOverflow(c, { maxBytes, bytes: size, declared: false });
      }
      chunks.push(value);
    }
    const bytes = chunks.length === 1 ? chunks[0] : concat(chunks, size);
    c.req.raw = new Request(c.req.raw, { body: bytes as Uint8Array<ArrayBuffer> });
    await next();
  };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
