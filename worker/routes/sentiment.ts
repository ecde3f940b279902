/**
 * POST /v1/sentiment (one text) and POST /v1/sentiment/batch (many, scored in one model run).
 * Everything that can refuse a request (media type, JSON, schema, limits) runs before the model
 * is asked for, so a bad request never pays for, or triggers, a model load.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { newLowConfidenceRecord, type CaptureRecord } from '../../shared/feedback-record';
import { batchResultSchema, requestSchemas, scoringQuerySchema, sentimentResultSchema, validationError, validationHook, type Limits } from '../api-schemas';
import type { AppEnv } from '../deps';
import { errorBody, errorResponses, type ErrorBody } from '../errors';
import { jsonBody } from '../middleware/json-body/index';
import { rateLimit } from '../middleware/rate-limit/index';
import { TokenBucket } from '../token-bucket';
import { addressKey } from '../client-address';
import { textForStorage } from '../capture/scrub-text';
import { afterResponse } from '../after-response';
import type { Prediction, ScoredText } from '../../shared/sentiment-model';
import { textSupport, type TextSupport } from '../support/text-support';
import { toResult } from './sentiment-result';
import { type IntakeConfig, type ServingConfig } from '../../shared/settings';

const REQUEST_ERRORS = ['invalid_json', 'unsupported_media_type', 'validation_failed', 'payload_too_large', 'model_unavailable', 'internal_error'] as const;

export type ScoringSettings = Limits & Pick<ServingConfig, 'scoringRatePerMinute' | 'scoringRateBurst' | 'scoreDecimals'>;

export function sentimentRoutes(settings: ScoringSettings, intake: IntakeConfig): OpenAPIHono<AppEnv> {
  const { sentimentRequest, batchRequest, textIssues } = requestSchemas(settings);
  const { scoringRatePerMinute: perMinute } = settings;
  const burst = settings.scoringRateBurst || perMinute;
  // One limit for both endpoints: a batch counts as one request.
  const limit = rateLimit({ perMinute, burst, key: addressKey });
  const errors = [...REQUEST_ERRORS, 'text_too_long', ...(perMinute > 0 ? (['rate_limited'] as const) : [])] as const;
  const notes = [storageNote(intake), perMinute > 0 ? `Rate limit: ${perMinute} scoring requests (single or batch) per minute per client address, bursts of ${burst}; over it, 429 with Retry-After. Kept in memory per process (Node) or isolate (workerd), so approximate when several run.` : 'No rate limit is configured for scoring on this server.'];

  const single = createRoute({
    method: 'post',
    path: '/sentiment',
    summary: 'Score one text',
    description: [
      "The most probable label, its probability as `confidence`, the probability of every label, the text's `language` and whether the model can judge it (`supported`: false for another language or a text the model knows almost nothing of; such texts are never stored for retraining).",
      `Probabilities are rounded to ${settings.scoreDecimals} decimals unless \`full_precision\` is asked for. With \`explain\` (body or query), the n-grams that pushed the prediction toward its label and against it.`,
      ...notes,
    ].join('\n\n'),
    middleware: [limit, jsonBody()] as const,
    request: { query: scoringQuerySchema, body: { required: true, content: { 'application/json': { schema: sentimentRequest } } } },
    responses: {
      200: { description: 'The prediction', content: { 'application/json': { schema: sentimentResultSchema } } },
      ...errorResponses(...errors),
    },
  });

  const batch = createRoute({
    method: 'post',
    path: '/sentiment/batch',
    summary: 'Score many texts at once',
    description: [
      `Up to ${settings.maxBatchTexts} texts in one model run: much cheaper per text than one request each. One result per text, in input order, with the single endpoint's fields and options.`,
      'By default one invalid text rejects the batch; with `"on_error": "item"` each invalid text gets an `error` object in its place and the others are scored.',
      ...notes,
    ].join('\n\n'),
    middleware: [limit, jsonBody()] as const,
    request: { query: scoringQuerySchema, body: { required: true, content: { 'application/json': { schema: batchRequest } } } },
    responses: {
      200: { description: 'One prediction per text, in input order (with `on_error: "item"`, an error object in place of each invalid text)', content: { 'application/json': { schema: batchResultSchema } } },
      ...errorResponses(...errors, 'batch_too_large'),
    },
  });

  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  // Made on first use: the intake settings arrive with the request's dependencies. null = no cap.
  let cap: TokenBucket | null | undefined;
  const logLowConfidence = (c: Context<AppEnv>, texts: readonly string[], predictions: readonly Prediction[], supports: readonly TextSupport[], modelVersion: string) => {
    const perMinute = c.get('deps').intake.lowConfidenceMaxPerMinute;
    if (cap === undefined) cap = perMinute > 0 ? new TokenBucket(perMinute, perMinute, Date.now()) : null;
    recordLowConfidence(c, cap, texts, predictions, supports, modelVersion);
  };

  type Options = { explain?: boolean | 'true' | 'false'; full_precision?: boolean | 'true' | 'false' };
  /** Query or body may ask; rounding follows the server's setting unless full precision is asked for. */
  const options = (query: Options, body: Options) => ({
    explain: body.explain === true || query.explain === 'true',
    decimals: body.full_precision === true || query.full_precision === 'true' ? null : settings.scoreDecimals,
  });

  routes.openapi(single, async (c) => {
    const body = c.req.valid('json');
    const { explain, decimals } = options(c.req.valid('query'), body);
    c.set('batchSize', 1);
    const { model, manifest } = await c.get('deps').models.current();
    // Explained texts skip the coalescing of single texts: few ask, and each needs its own row anyway.
    const prediction = explain ? (await model.predict([body.text], { explain }))[0] : await model.predictOne(body.text);
    const support = textSupport(body.text, prediction.known);
    countPredictions(c, manifest.version, [prediction]);
    if (body.store !== false) logLowConfidence(c, [body.text], [prediction], [support], manifest.version);
    return c.json({ ...toResult(prediction, support, decimals), model_version: manifest.version }, 200);
  });

  routes.openapi(batch, async (c) => {
    const body = c.req.valid('json');
    const { explain, decimals } = options(c.req.valid('query'), body);
    c.set('batchSize', body.texts.length);
    // Strict mode has checked every item already; item mode answers each invalid one in place.
    const invalid = new Map<number, ErrorBody>();
    if (body.on_error === 'item') {
      body.texts.forEach((item, index) => {
        const issues = textIssues(item);
        if (issues.length === 0) return;
        const error = validationError(issues.map((issue) => ({ ...issue, path: ['texts', index, ...issue.path] })));
        invalid.set(index, errorBody(error.code, error.message));
      });
    }
    const texts = body.texts.filter((_, index) => !invalid.has(index)) as string[];
    const { model, manifest } = await c.get('deps').models.current();
    const scored: ScoredText[] = texts.length > 0 ? await model.predict(texts, { explain }) : [];
    const supports = scored.map((prediction, i) => textSupport(texts[i], prediction.known));
    countPredictions(c, manifest.version, scored);
    if (body.store !== false) logLowConfidence(c, texts, scored, supports, manifest.version);
    let next = 0;
    const results = body.texts.map((_, index) => invalid.get(index) ?? toResult(scored[next], supports[next++], decimals));
    return c.json({ results, model_version: manifest.version }, 200);
  });

  return routes;
}

/** Per-minute counters (metrics/counters.ts): increments in memory, nothing else. */
function countPredictions(c: Context<AppEnv>, version: string, predictions: readonly Prediction[]): void {
  const { metrics } = c.get('deps');
  metrics?.counters.predictions(version, predictions, metrics.lowConfidenceThreshold);
}

/**
 * Records the predictions under the threshold (sampled, and capped per minute), after the
 * response: the check here is a comparison per text; building and storing records happens on a
 * later task, and its failure is only logged. Unsupported texts are never recorded.
 */
function recordLowConfidence(
  c: Context<AppEnv>,
  cap: TokenBucket | null,
  texts: readonly string[],
  predictions: readonly Prediction[],
  supports: readonly TextSupport[],
  modelVersion: string,
): void {
  const { capture, intake, log } = c.get('deps');
  if (!capture || !intake.lowConfidenceLogging || intake.lowConfidenceSampleRate <= 0) return;
  let picked: number[] | undefined;
  for (let i = 0; i < predictions.length; i++) {
    // A text the model cannot judge (another language, no known n-grams) teaches it nothing.
    if (!supports[i].supported || predictions[i].confidence >= intake.lowConfidenceThreshold) continue;
    if (intake.lowConfidenceSampleRate < 1 && Math.random() >= intake.lowConfidenceSampleRate) continue;
    if (cap && !cap.take(Date.now())) break;
    (picked ??= []).push(i);
  }
  if (!picked) return;
  const chosen = picked;
  afterResponse(c, log, 'low-confidence logging', async () => {
    const now = new Date();
    const records: CaptureRecord[] = chosen.map((i) => newLowConfidenceRecord({ text: textForStorage(texts[i]), ...predictions[i], model_version: modelVersion }, now));
    await capture.acceptSoon(records);
    await capture.scheduler.maybeFlush('size');
  });
}

/** What the scoring endpoints tell callers about storage, from this server's settings. */
function storageNote(intake: IntakeConfig): string {
  if (!intake.lowConfidenceLogging || intake.lowConfidenceSampleRate <= 0) return 'This server does not store the texts it scores.';
  const share = intake.lowConfidenceSampleRate < 1 ? `a sample (${Math.round(intake.lowConfidenceSampleRate * 100)}%) of ` : '';
  return `Stored for retraining: on this server ${share}the texts whose confidence is below ${intake.lowConfidenceThreshold} are stored with their prediction and committed to the project's dataset repository on the Hugging Face Hub, which retraining reads (when feedback storage is set up). Before storage, control characters are removed and e-mail addresses, phone numbers, URLs with a query string and Hugging Face tokens are replaced by placeholders (pattern matching: the usual shapes, not every one). Send \`"store": false\` to keep a request's texts out of storage; the Try-it form here does.`;
}
