/**
 * The API's request and response schemas. They validate requests (through @hono/zod-openapi) and
 * generate /openapi.json, so the document always states the limits this server enforces: the
 * request schemas are built from the serving settings.
 */
import { z } from '@hono/zod-openapi';
import type { $ZodIssue } from 'zod/v4/core';
import { feedbackSourceSchema } from '../shared/feedback-record';
import { LABELS } from '../shared/labels';
import { manifestSchema } from '../shared/manifest';
import { ApiError, errorBodySchema } from './errors';
import { type ServingConfig } from '../shared/settings';

export type Limits = Pick<ServingConfig, 'maxTextChars' | 'maxBatchTexts'>;

/** Marks the issue a too-long text raises, so it maps to `text_too_long` rather than `validation_failed`. */
const TEXT_TOO_LONG = 'text_too_long';

const probability = z.number().min(0).max(1);
/** What a caller may report as the model version: what the server itself sends, nothing that could carry text. */
const MODEL_VERSION = /^[\w.:+-]{1,64}$/;
const requestProbability = z.number(expected('a number')).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' });

/**
 * Visible: not whitespace, control, format (zero-width space, joiners, bidi marks, BOM) or other
 * default-ignorable characters, nor the Braille blank that renders as nothing. A text made only
 * of those scores and trains as an empty one, so it is refused like one.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
const NOT_VISIBLE = 'must contain a visible character (not only whitespace, control or zero-width characters)';

export const ON_ERROR_MODES = ['strict', 'item'] as const;

const flag = (description: string, example: boolean) => z.boolean(expected('true or false')).optional().openapi({ description, example });

/** Per-request options of both scoring endpoints (also accepted as query parameters). */
const scoringOptions = {
  explain: flag('Also return, per text, the n-grams that pushed hardest toward and against the predicted label. Default false (free when off)', true),
  full_precision: flag('Return probabilities and explanation numbers unrounded (float32) instead of rounded to the server\'s SCORE_DECIMALS. Default false', false),
};

const booleanQuery = (description: string) =>
  z.enum(['true', 'false'], { error: 'must be true or false' }).optional().openapi({ description });

/** `?explain=true&full_precision=true`: the same options for callers that prefer the URL. */
export const scoringQuerySchema = z.object({
  explain: booleanQuery('Same as `"explain": true` in the body'),
  full_precision: booleanQuery('Same as `"full_precision": true` in the body'),
});

export function requestSchemas({ maxTextChars, maxBatchTexts }: Limits) {
  const text = z
    .string(expected('a string'))
    .refine((value) => VISIBLE.test(value), { error: NOT_VISIBLE })
    .superRefine((value, ctx) => {
      // A string has at least as many UTF-16 units as code points: count only when it may be over.
      if (value.length <= maxTextChars) return;
      const chars = codePoints(value);
      if (chars > maxTextChars) {
        ctx.addIssue({
          code: 'custom',
          message: `is ${chars} characters long; the limit is ${maxTextChars}`,
          params: { error: TEXT_TOO_LONG },
        });
      }
    })
    .openapi({ maxLength: maxTextChars, description: `${maxTextChars} characters at most (Unicode code points), at least one of them visible (not only whitespace, control or zero-width characters)` });

  // Off the Try-it forms' examples too: a visitor's text is not training data unless they ask.
  const store = z
    .boolean(expected('true or false'))
    .optional()
    .openapi({
      description:
        'Default true: a prediction whose confidence is under the low-confidence threshold may be stored (personal data scrubbed) for retraining. `false`: nothing from this request is stored.',
      example: false,
    });

  const sentimentRequest = z
    .object({ text: text.openapi({ example: 'I love this!' }), store, ...scoringOptions }, expected('a JSON object'))
    .openapi('SentimentRequest');

  const textsDescription = `1 to ${maxBatchTexts} texts, scored together; results come back in the same order`;
  const batchRequest = z
    .object(
      {
        // Items are checked below, so that `on_error: "item"` can answer each bad one in place.
        texts: z
          .array(z.unknown(), expected('an array of strings'))
          .min(1, { error: 'must contain at least one text' })
          .max(maxBatchTexts, { error: (issue) => `has ${(issue.input as unknown[]).length} texts; the limit is ${maxBatchTexts}` })
          .openapi({ description: textsDescription, items: { type: 'string', minLength: 1, maxLength: maxTextChars }, example: ['I love this!', 'Me encanta este lugar, la comida es buenísima', ' ', 'Worst service ever.'] }),
        on_error: z
          .enum(ON_ERROR_MODES, { error: `must be one of ${ON_ERROR_MODES.join(', ')}` })
          .optional()
          .openapi({ example: 'item', description: '`strict` (the default): one invalid text rejects the whole batch (422 or 413). `item`: each invalid text gets an `error` object in its place in `results`, the valid ones are scored, and the answer is 200' }),
        store,
        ...scoringOptions,
      },
      expected('a JSON object'),
    )
    .superRefine((body, ctx) => {
      if (body.on_error === 'item') return;
      body.texts.forEach((item, index) => {
        for (const issue of textIssues(item)) ctx.addIssue({ ...issue, path: ['texts', index, ...issue.path] } as never);
      });
    })
    .openapi('BatchSentimentRequest');

  /** Why one batch item is not a valid text (none when it is). */
  const textIssues = (item: unknown): readonly $ZodIssue[] => {
    const result = text.safeParse(item);
    return result.success ? [] : result.error.issues;
  };

  const label = (role: string) =>
    z
      .enum(LABELS, { error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${LABELS.join(', ')}`) })
      .openapi({ description: role });

  const feedbackRequest = z
    .object(
      {
        text: text.openapi({ description: `The text that was scored. ${maxTextChars} characters at most`, example: 'not bad at all' }),
        model_label: label('The label the model gave').openapi({ example: 'negative' }),
        correct_label: label('The label that is right').openapi({ example: 'positive' }),
        confidence: requestProbability.nullable().optional().openapi({ description: "The model's confidence, if known", example: 0.52 }),
        model_version: z
          .string(expected('a string'))
          .regex(MODEL_VERSION, { error: 'must be a model version such as v3: 1 to 64 letters, digits or . _ : + -' })
          .nullable()
          .optional()
          .openapi({ description: 'The model version that answered, if known (`model_version` of the prediction)', example: 'v1' }),
        dry_run: z
          .boolean(expected('true or false'))
          .optional()
          .openapi({ description: '`true`: validate and answer 200 with the text as it would be stored, without storing anything (the Try-it form below sends it)', example: true }),
        source: feedbackSourceSchema.optional().openapi({
          description: 'Who sends the correction, e.g. the calling app\'s name: 1-64 letters, digits, `.`, `_` or `-` (not `auto` or `llm`). Stored in the record (`api` when absent); retraining scores each source as its own slice',
          example: 'support-inbox',
        }),
      },
      expected('a JSON object'),
    )
    .openapi('FeedbackRequest');

  return { sentimentRequest, batchRequest, feedbackRequest, textIssues };
}

export const feedbackAcceptedSchema = z
  .object({ id: z.string().openapi({ description: 'The stored record id (a ULID); the dataset repo row carries the same id', example: '01JDX3Q4ZS6K7PX8W1N0M4V2TA' }) })
  .openapi('FeedbackAccepted');

export const feedbackDryRunSchema = z
  .object({
    dry_run: z.literal(true),
    text: z.string().openapi({ description: 'The text as it would be stored: control characters removed; e-mail addresses, phone numbers, URLs with a query string and Hugging Face tokens replaced by placeholders' }),
  })
  .openapi('FeedbackDryRun');

export const captureStatusSchema = z
  .object({
    depth: z.number().nullable().openapi({ description: 'Records waiting to be committed (cheap estimate)' }),
    last_flush_at: z.string().nullable(),
    last_flush_records: z.number().nullable(),
    last_error: z.string().nullable(),
    last_error_at: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    commits_last_hour: z.number(),
    consecutive_failures: z.number(),
    flushing: z.boolean(),
  })
  .openapi('CaptureStatus');

export const scoresSchema = z
  .object(Object.fromEntries(LABELS.map((label) => [label, probability])) as Record<(typeof LABELS)[number], typeof probability>)
  .openapi('Scores', { description: 'The probability of every label; they sum to 1', example: { negative: 0.02, neutral: 0.05, positive: 0.93 } });

const contributionSchema = z
  .object({
    ngram: z.string().openapi({ description: 'The n-gram as the model sees it: lowercased, negated words marked `_neg`, character n-grams padded with spaces at word edges' }),
    kind: z.enum(['word', 'char']),
    contribution: z.number().openapi({ description: "Its share of the logit difference (TF-IDF value x the difference of the two labels' weights)" }),
  })
  .openapi('NgramContribution');

export const explanationSchema = z
  .object({
    label: z.enum(LABELS).openapi({ description: 'The predicted label' }),
    versus: z.enum(LABELS).openapi({ description: 'The runner-up label' }),
    logit_difference: z.number().openapi({ description: 'logit(label) - logit(versus) = bias + the contributions of all n-grams (listed ones + rest)' }),
    bias: z.number(),
    toward: z.array(contributionSchema).openapi({ description: 'Up to 5 n-grams that pushed most toward `label`, largest first' }),
    against: z.array(contributionSchema).openapi({ description: 'Up to 5 n-grams that pushed most toward `versus`, most negative first' }),
    rest: z.number().openapi({ description: 'The sum of the contributions of every n-gram not listed' }),
  })
  .openapi('Explanation', {
    example: { label: 'positive', versus: 'neutral', logit_difference: 2.41, bias: -0.12, toward: [{ ngram: 'love', kind: 'word', contribution: 1.37 }], against: [{ ngram: 'this', kind: 'word', contribution: -0.05 }], rest: 1.21 },
  });

export const predictionSchema = z
  .object({
    label: z.enum(LABELS).openapi({ description: 'The most probable label' }),
    confidence: probability.openapi({ description: "The label's probability (the largest score)" }),
    scores: scoresSchema,
    language: z.string().openapi({ description: 'ISO 639-1 code of the text\'s language (`und` when it cannot be told)', example: 'en' }),
    supported: z.boolean().openapi({ description: 'false when the model cannot judge this text: not English, or almost none of its n-grams known to the model. The probabilities are still the model\'s' }),
    explanation: explanationSchema.nullable().optional().openapi({ description: 'Only with `explain`; null if this model has no readable weights' }),
  })
  .openapi('Prediction');

const modelVersion = z.string().openapi({ description: 'The version of the model that scored the text(s)', example: 'v1' });

export const sentimentResultSchema = predictionSchema.extend({ model_version: modelVersion }).openapi('SentimentResult');

export const itemErrorSchema = z
  .object({ error: errorBodySchema.shape.error })
  .openapi('ItemError', { description: 'In place of a result, for an invalid text with `on_error: "item"`', example: { error: { code: 'validation_failed', message: 'texts[1]: must not be empty or whitespace only' } } });

export const batchResultSchema = z
  .object({
    results: z.array(z.union([predictionSchema, itemErrorSchema])).openapi({ description: 'One per input text, in input order; an `ItemError` only with `on_error: "item"`' }),
    model_version: modelVersion,
  })
  .openapi('BatchSentimentResult');

/** What only the admin key sees on /health: where the model comes from, paths, repo names, errors. */
export const healthDetailsSchema = z
  .object({
    runtime: z.enum(['workerd', 'node']),
    model: z.object({
      state: z.enum(['idle', 'loading', 'ready', 'failed']).openapi({ description: '`idle` until the first request that needs the model' }),
      version: z.string().nullable(),
      source: z.string().openapi({ description: 'Where the model comes from, e.g. `bundled`' }),
      loaded_at: z.string().nullable().openapi({ description: 'ISO 8601' }),
      error: z.string().nullable().openapi({ description: 'Why the last load failed' }),
      hub: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Only when the model follows a Hub model repo: the state of its version checks' }),
    }),
    uptime_s: z.number().openapi({ description: 'Seconds since this process (Node) or isolate (workerd) started serving' }),
    capture: captureStatusSchema.nullable().openapi({ description: 'Feedback/low-confidence buffer and its flushes to the dataset repo; null when capture is not set up or unusable' }),
    capture_error: z.string().nullable().openapi({ description: 'Why feedback answers 503 `capture_unavailable`, when the buffer could not be opened' }),
  })
  .openapi('HealthDetails');

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']).openapi({ description: '`degraded` while the last model load failed or the feedback buffer is unusable; the server still answers' }),
    version: z.string().nullable().openapi({ description: 'The serving model version; null until the model is loaded (workerd loads it on the first request that needs it)' }),
    depth: z.number().nullable().openapi({ description: 'Feedback/low-confidence records waiting to be committed to the dataset repo (cheap estimate); null without a usable buffer' }),
    alerts: z
      .object({
        status: z.enum(['ok', 'alert', 'not_judged', 'unknown']).openapi({ description: '`not_judged`: too few predictions and feedback in the window; `unknown`: the counters could not be read' }),
        window_days: z.number().nullable(),
        firing: z.array(z.enum(['low_confidence_share', 'correction_disagreement'])),
      })
      .nullable()
      .openapi({ description: 'The serving alert check (same rules as `trainer monitor`); null when counting is off (METRICS=off)' }),
    details: healthDetailsSchema.optional().openapi({ description: 'Only with `Authorization: Bearer <ADMIN_API_KEY>`' }),
  })
  .openapi('Health');

// Rebuilt with this module's z: a schema made before @hono/zod-openapi was imported has no .openapi().
export const modelManifestSchema = z.object(manifestSchema.shape).openapi('ModelManifest', {
  description: "The serving model's manifest.json: version, training data, hyper-parameters and holdout metrics",
});

/** zod-openapi's hook: turns a failed validation into the API's error. */
export function validationHook(result: { success: true } | { success: false; error: { issues: readonly $ZodIssue[] } }): void {
  if (!result.success) throw validationError(result.error.issues);
}

/** Size limits first (413, the caller must split or shorten), then the first other problem. */
export function validationError(issues: readonly $ZodIssue[]): ApiError {
  const tooMany = issues.find((issue) => issue.code === 'too_big' && issue.origin === 'array');
  if (tooMany) return new ApiError('batch_too_large', describeIssue(tooMany));
  const tooLong = issues.find((issue) => issue.code === 'custom' && issue.params?.error === TEXT_TOO_LONG);
  if (tooLong) return new ApiError('text_too_long', describeIssue(tooLong));
  const [first] = issues;
  const more = issues.length - 1;
  return new ApiError('validation_failed', `${describeIssue(first)}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`);
}

/** `texts[3]: must contain a visible character (…)` */
export function describeIssue(issue: Pick<$ZodIssue, 'path' | 'message'>): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}

/** The message for a missing or wrongly typed field; other issues keep their own (undefined = not ours). */
function expected(what: string) {
  return {
    error: (issue: { code?: string; input?: unknown }) =>
      issue.code !== 'invalid_type' ? undefined : issue.input === undefined ? 'is required' : `must be ${what}, not ${jsonType(issue.input)}`,
  };
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return { string: 'a string', number: 'a number', boolean: 'a boolean', object: 'an object' }[typeof value as string] ?? typeof value;
}

function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
