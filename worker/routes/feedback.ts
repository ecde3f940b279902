/**
 * POST /v1/feedback: a caller says which label was right. Checks run cheapest first and before
 * anything is stored: API key (if configured) → per-client rate limit → media type and JSON →
 * schema and limits. The record is durable when the 202 goes out; a 'size' flush is started
 * after the response.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { newFeedbackRecord } from '../../shared/feedback-record';
import { feedbackAcceptedSchema, requestSchemas, validationHook, type Limits } from '../api-schemas';
import type { IntakeConfig } from '../config';
import type { AppEnv } from '../env';
import { ApiError, errorResponses } from '../errors';
import { apiKey } from '../middleware/api-key/index';
import { jsonBody } from '../middleware/json-body/index';
import { rateLimit } from '../middleware/rate-limit/index';
import { afterResponse } from '../runtime/after-response';

export function feedbackRoutes(limits: Limits, intake: IntakeConfig): OpenAPIHono<AppEnv> {
  const { feedbackRequest } = requestSchemas(limits);
  const keyed = intake.feedbackApiKeys.length > 0;
  const limited = intake.feedbackRatePerMinute > 0;

  const route = createRoute({
    method: 'post',
    path: '/feedback',
    summary: 'Correct a prediction',
    description: [
      'Stores the text with the label the model gave and the label that is right; answers 202 once the record is stored durably. Records are committed to the Hugging Face dataset repo in batches (one shard per flush), not one commit per request, and retrained on weekly.',
      keyed ? 'This server requires an API key: `Authorization: Bearer <key>`.' : 'This server does not require an API key.',
      limited
        ? `Rate limit: ${intake.feedbackRatePerMinute} requests per minute per client (the API key, else the client address), bursts of ${intake.feedbackRateBurst}; over it, 429 with Retry-After. The limit is kept in memory per process (Node) or per isolate (workerd), so it is approximate when several run.`
        : 'No rate limit is configured on this server.',
    ].join('\n\n'),
    middleware: [
      apiKey({ keys: intake.feedbackApiKeys }),
      rateLimit({ perMinute: intake.feedbackRatePerMinute, burst: intake.feedbackRateBurst, key: clientKey }),
      jsonBody(),
    ] as const,
    request: { body: { required: true, content: { 'application/json': { schema: feedbackRequest } } } },
    ...(keyed ? { security: [{ bearer: [] }] } : {}),
    responses: {
      202: { description: 'Stored; it will reach the dataset repo with the next flush', content: { 'application/json': { schema: feedbackAcceptedSchema } } },
      ...errorResponses('invalid_json', 'unsupported_media_type', 'validation_failed', 'text_too_long', 'payload_too_large', 'unauthorized', 'rate_limited', 'capture_unavailable', 'internal_error'),
    },
  });

  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  routes.openapi(route, async (c) => {
    const input = c.req.valid('json');
    const { capture, captureError, log } = c.get('deps');
    if (!capture) {
      throw new ApiError(
        'capture_unavailable',
        captureError
          ? 'feedback cannot be stored on this server: its buffer could not be opened (the server log and the admin view of /health say why); nothing was stored'
          : 'feedback is not enabled on this server (no capture buffer is configured)',
      );
    }
    const record = newFeedbackRecord(input);
    try {
      await capture.accept([record]);
    } catch (error) {
      log('error', { msg: 'feedback could not be stored', request_id: c.get('requestId') ?? null, error: error instanceof Error ? error.message : String(error) });
      throw new ApiError('capture_unavailable', 'the feedback could not be stored; nothing was kept, retry later', { 'Retry-After': '5' });
    }
    afterResponse(c, log, 'size flush', () => capture.scheduler.maybeFlush('size'));
    return c.json({ id: record.id }, 202);
  });
  return routes;
}

/** The API key when one was presented, else the caller's address. */
function clientKey(c: Context): string {
  const ctx = c as Context<AppEnv>;
  if (ctx.var.apiKey) return `key:${ctx.var.apiKey}`;
  return `ip:${ctx.var.deps.clientAddress(c) ?? 'unknown'}`;
}
