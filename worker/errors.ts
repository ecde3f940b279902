/**
 * The API's errors: every failure answers `{"error": {"code", "message"}}` with one of these
 * stable codes. Routes and middleware throw ApiError; the app's error handler turns it (and
 * anything else) into the JSON body, so no stack trace ever reaches a client.
 */
import { z } from '@hono/zod-openapi';

export const ERRORS = {
  invalid_json: { status: 400, description: 'The body is not valid JSON.' },
  unsupported_media_type: { status: 415, description: 'The body is not sent as Content-Type: application/json.' },
  validation_failed: { status: 422, description: 'The JSON does not have the expected shape; the message names the field and why.' },
  text_too_long: { status: 413, description: 'A text has more characters than the limit.' },
  batch_too_large: { status: 413, description: 'A batch has more texts than the limit.' },
  payload_too_large: { status: 413, description: 'The body has more bytes than the limit (checked before it is parsed).' },
  unauthorized: { status: 401, description: 'This endpoint needs an API key (Authorization: Bearer <key>) and none or a wrong one was sent.' },
  rate_limited: { status: 429, description: 'Too many requests from this client; the Retry-After header says how many seconds to wait.' },
  bad_request: { status: 400, description: 'Not a valid HTTP request (e.g. an unknown method); answered by the HTTP layer before the API (Node server).' },
  headers_too_large: { status: 431, description: 'The request line and headers are too large; answered by the HTTP layer before the API (Node server).' },
  not_found: { status: 404, description: 'No such path.' },
  method_not_allowed: { status: 405, description: 'The path exists but not for this method; the Allow header lists the methods it has.' },
  model_unavailable: { status: 503, description: 'No model could be loaded; retry later. /health says why.' },
  capture_unavailable: { status: 503, description: 'Feedback cannot be stored on this server right now (no buffer configured, or it failed); nothing was stored.' },
  internal_error: { status: 500, description: 'An unexpected failure; the X-Request-Id header identifies it in the logs.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];
export type ErrorStatus = (typeof ERRORS)[ErrorCode]['status'];

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: ErrorStatus;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers, e.g. Allow for 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERRORS[code].status;
  }
}

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]).openapi({ description: 'Stable, machine-readable' }),
      message: z.string().openapi({ description: 'For people; may change between versions' }),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** OpenAPI `responses` entries for the given codes, grouped by status. */
export function errorResponses(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      status,
      {
        description: group.map((code) => `\`${code}\`: ${ERRORS[code].description}`).join(' '),
        content: { 'application/json': { schema: errorBodySchema } },
      },
    ]),
  );
}
