/**
 * POST /v1/feedback: a caller says which label was right. Checks run cheapest first and before
 * anything is stored: API key (if configured) → per-client rate limit → media type and JSON →
 * schema and limits. The record is durable when the 202 goes out; a 'size' flush is started
 * after the response.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { newFeedbackRecord } from '../../shared/feedback-record';
import { feedbackAcceptedSchema, feedbackDryRunSchema, requestSchemas, validationHook, type Limits } from '../api-schemas';
import type { AppEnv } from '../deps';
import { ApiError, errorResponses } from '../errors';
import { apiKey } from '../middleware/api-key/index';
import { jsonBody } from '../middleware/json-body/index';
import { rateLimit } from '../middleware/rate-limit/index';
import { afterResponse } from '../after-response';
import { addressKey, clientKey } from '../client-address';
import { textForStorage } from '../capture/scrub-text';
import { type IntakeConfig } from '../../shared/settings';

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
      'The stored text is not exactly what was sent: control characters are removed, and e-mail addresses, phone numbers, URLs with a query string and Hugging Face tokens are replaced by `<email>`, `<phone>`, `<url>` and `<token>` (pattern matching: it catches the usual shapes, not every one). `"dry_run": true` validates and answers 200 with the text as it would be stored, storing nothing; the Try-it form here sends it.',
      keyed
        ? `This server requires an API key: \`Authorization: Bearer <key>\`. ${intake.authFailuresPerMinute > 0 ? `After ${intake.authFailuresPerMinute} failed attempts a client gets 429 with Retry-After (one more attempt every ${Math.ceil(60 / intake.authFailuresPerMinute)} s).` : ''}`.trim()
        : 'This server does not require an API key.',
      limited
        ? `Rate limit: ${intake.feedbackRatePerMinute} requests per minute per client (the API key, else the client address), bursts of ${intake.feedbackRateBurst}; over it, 429 with Retry-After. The limit is kept in memory per process (Node) or per isolate (workerd), so it is approximate when several run.`
        : 'No rate limit is configured on this server.',
    ].join('\n\n'),
    middleware: [
      apiKey({ keys: intake.feedbackApiKeys, failures: { perMinute: intake.authFailuresPerMinute, key: addressKey } }),
      rateLimit({ perMinute: intake.feedbackRatePerMinute, burst: intake.feedbackRateBurst, key: clientKey }),
      jsonBody(),
    ] as const,
    request: { body: { required: true, content: { 'application/json': { schema: feedbackRequest } } } },
    ...(keyed ? { security: [{ bearer: [] }] } : {}),
    responses: {
      200: { description: 'Dry run (`"dry_run": true`): valid, nothing stored', content: { 'application/json': { schema: feedbackDryRunSchema } } },
      202: { description: 'Stored; it will reach the dataset repo with the next flush', content: { 'application/json': { schema: feedbackAcceptedSchema } } },
      ...errorResponses('invalid_json', 'unsupported_media_type', 'validation_failed', 'text_too_long', 'payload_too_large', 'unauthorized', 'rate_limited', 'capture_unavailable', 'internal_error'),
    },
  });

  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  routes.openapi(route, async (c) => {
    const { dry_run: dryRun, ...input } = c.req.valid('json');
    const text = textForStorage(input.text);
    if (dryRun) return c.json({ dry_run: true as const, text }, 200);
    const { capture, captureError, log } = c.get('deps');
    if (!capture) {
      throw new ApiError(
        'capture_unavailable',
        captureError
          ? 'feedback cannot be stored on this server: its buffer could not be opened (the server log and the admin view of /health say why); nothing was stored'
          : 'feedback is not enabled on this server (no capture buffer is configured)',
      );
    }
    const record = newFeedbackRecord({ ...input, text });
    try {
      await capture.accept([record]);
    } catch (error) {
      log('error', { msg: 'feedback could not be stored', request_id: c.get('requestId') ?? null, error: error instanceof Error ? error.message : String(error) });
      throw new ApiError('capture_unavailable', 'the feedback could not be stored; nothing was kept, retry later', { 'Retry-After': '5' });
    }
    const { metrics, models } = c.get('deps');
    metrics?.counters.feedback(models.status().version ?? 'unknown', record.model_label, record.correct_label);
    afterResponse(c, log, 'size flush', () => capture.scheduler.maybeFlush('size'));
    return c.json({ id: record.id }, 202);
  });
  return routes;
}

