/**
 * For routes that take JSON: refuses other media types (415) and bodies that are not JSON (400)
 * before the route's schema looks at them, with the API's error codes (Hono's own validator would
 * throw a bare HTTPException). The body text stays cached on the request; the zod validator that
 * follows parses it again, which costs microseconds next to the model.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors';
import { cacheBody } from '../body-cache';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;
// Like Response.text() (UTF-8, BOM dropped), but invalid bytes are refused instead of becoming U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/** In a `u` regex a surrogate matches only when it is not half of a pair. */
const LONE_SURROGATE = /\p{Cs}/u;

export function jsonBody(): MiddlewareHandler {
  return async function jsonBody(c, next) {
    const contentType = c.req.header('content-type');
    const mediaType = contentType?.split(';')[0].trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new ApiError(
        'unsupported_media_type',
        `send the body as JSON with Content-Type: application/json (got ${contentType ? JSON.stringify(contentType) : 'no Content-Type'})`,
      );
    }
    // Decoded here and cached as the text: Hono would build a Response to turn cached bytes into text.
    let text: string;
    try {
      text = utf8.decode(await c.req.arrayBuffer());
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new ApiError('validation_failed', 'body: is not valid UTF-8; send the JSON encoded as UTF-8');
    }
    cacheBody(c, 'text', text);
    if (text.trim() === '') throw new ApiError('invalid_json', 'the body is empty; send a JSON object');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ApiError('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
    }
    // Valid UTF-8 has no lone surrogates, but a JSON escape can spell one ("\ud800"): not Unicode, and
    // no encoder or strict reader of the dataset takes it. Only bodies with an escape are searched.
    const where = text.includes('\\u') ? loneSurrogateAt(value, 'body') : null;
    if (where) throw new ApiError('validation_failed', `${where}: contains a lone surrogate (half of a UTF-16 pair), which is not valid Unicode`);
    await next();
  };
}

/** The path of the first string (or key) holding a lone surrogate, or null. */
function loneSurrogateAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogateAt(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = path === 'body' ? key : `${path}.${key}`;
    if (LONE_SURROGATE.test(key)) return at;
    const found = loneSurrogateAt(item, at);
    if (found) return found;
  }
  return null;
}
