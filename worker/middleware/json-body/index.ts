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
const utf8 = new TextDecoder(); // what Response.text() does (UTF-8, BOM dropped), without a Response

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
    const text = utf8.decode(await c.req.arrayBuffer());
    cacheBody(c, 'text', text);
    if (text.trim() === '') throw new ApiError('invalid_json', 'the body is empty; send a JSON object');
    try {
      JSON.parse(text);
    } catch (error) {
      throw new ApiError('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
    }
    await next();
  };
}
