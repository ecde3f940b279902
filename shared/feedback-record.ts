/**
 * The records the worker captures and the dataset repo stores, one JSON object per JSONL line:
 * `feedback` (a caller said which label was right) and `low_confidence` (a prediction the model
 * was unsure of, logged automatically). The worker writes them, the trainer reads them back;
 * both go through these schemas. Only Web APIs here: this runs in workerd and on Node.
 */
import { z } from 'zod';
import { LABELS } from './labels';

/**
 * A sanity bound in UTF-16 code units, not the API's limit: the API enforces its own
 * MAX_TEXT_CHARS (default 5,000 code points, configurable up to 1,000,000) on both predictions
 * and feedback before a record is made, and a code point is at most 2 code units. So anything
 * accepted for scoring can be recorded and corrected, whatever the server's limit.
 */
export const MAX_TEXT_LENGTH = 2_000_000;

export const RECORD_KINDS = ['feedback', 'low_confidence'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

const labelSchema = z.enum(LABELS);
const probabilitySchema = z.number().min(0).max(1);
const textSchema = z.string().min(1).max(MAX_TEXT_LENGTH);
/** 26 Crockford base32 characters: 10 of milliseconds, 16 of randomness (see newRecordId). */
export const recordIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'record ids are 26-character ULIDs');
const timestampSchema = z.iso.datetime();
const modelVersionSchema = z.string().min(1).max(64);

/** What a feedback record's `source` is when the caller named none. */
export const DEFAULT_FEEDBACK_SOURCE = 'api';
/**
 * Who sent a correction, e.g. the calling app's name: retraining scores each source as its own
 * slice. A short name, not free text; `auto` and `llm` name the other record kinds' sources.
 */
export const feedbackSourceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((source) => source !== 'auto' && source !== 'llm', 'auto and llm are reserved');

/** What POST /v1/feedback accepts; the server adds id, kind and timestamp (and source `api` if none). */
export const feedbackInputSchema = z.object({
  text: textSchema,
  model_label: labelSchema,
  correct_label: labelSchema,
  confidence: probabilitySchema.nullable().optional(),
  model_version: modelVersionSchema.nullable().optional(),
  source: feedbackSourceSchema.optional(),
});
export type FeedbackInput = z.infer<typeof feedbackInputSchema>;

export const feedbackRecordSchema = z.object({
  id: recordIdSchema,
  kind: z.literal('feedback'),
  text: textSchema,
  model_label: labelSchema,
  correct_label: labelSchema,
  confidence: probabilitySchema.nullable(),
  model_version: modelVersionSchema.nullable(),
  timestamp: timestampSchema,
  source: feedbackSourceSchema,
});
export type FeedbackRecord = z.infer<typeof feedbackRecordSchema>;

export const scoresSchema = z.object({ negative: probabilitySchema, neutral: probabilitySchema, positive: probabilitySchema });

export const lowConfidenceRecordSchema = z.object({
  id: recordIdSchema,
  kind: z.literal('low_confidence'),
  text: textSchema,
  label: labelSchema,
  confidence: probabilitySchema,
  scores: scoresSchema,
  model_version: modelVersionSchema,
  timestamp: timestampSchema,
  source: z.literal('auto'),
});
export type LowConfidenceRecord = z.infer<typeof lowConfidenceRecordSchema>;

export const captureRecordSchema = z.discriminatedUnion('kind', [feedbackRecordSchema, lowConfidenceRecordSchema]);
export type CaptureRecord = z.infer<typeof captureRecordSchema>;

/**
 * A label an LLM gave an uncertain text: written to `self_labeled/` by the self-labelling step,
 * read by the retrainer. Never captured by the worker, so not part of CaptureRecord.
 */
export const selfLabeledRecordSchema = z.object({
  id: recordIdSchema,
  kind: z.literal('self_labeled'),
  text: textSchema,
  label: labelSchema,
  confidence: probabilitySchema.nullable(),
  /** Which labeller said so, e.g. `nim:meta/llama-3.1-8b-instruct`. */
  labeler: z.string().min(1).max(200),
  timestamp: timestampSchema,
  source: z.literal('llm'),
  /** How the label was reached (trainer/self-label writes it on every record). */
  provenance: z
    .object({
      provider: z.string().min(1).max(100),
      model: z.string().min(1).max(200),
      run_id: z.string().min(1).max(64),
      /** Every prompt version asked, with its answer. */
      answers: z.array(z.object({ prompt: z.string().min(1).max(64), label: labelSchema, confidence: probabilitySchema.nullable() })).min(1),
      /** The production model's prediction when it logged the text. */
      production: z.object({ label: labelSchema, confidence: probabilitySchema, model_version: modelVersionSchema }).nullable(),
    })
    .optional(),
});
export type SelfLabeledRecord = z.infer<typeof selfLabeledRecordSchema>;

/** Every record kind the dataset repo holds, one folder each. */
export const DATASET_RECORD_KINDS = ['feedback', 'low_confidence', 'self_labeled'] as const;
export type DatasetRecordKind = (typeof DATASET_RECORD_KINDS)[number];
export const datasetRecordSchema = z.discriminatedUnion('kind', [feedbackRecordSchema, lowConfidenceRecordSchema, selfLabeledRecordSchema]);
export type DatasetRecord = z.infer<typeof datasetRecordSchema>;

/** A feedback record as accepted now (`now` is also the time inside its id). */
export function newFeedbackRecord(input: FeedbackInput, now: Date = new Date()): FeedbackRecord {
  return feedbackRecordSchema.parse({
    id: newRecordId(now.getTime()),
    kind: 'feedback',
    text: input.text,
    model_label: input.model_label,
    correct_label: input.correct_label,
    confidence: input.confidence ?? null,
    model_version: input.model_version ?? null,
    timestamp: now.toISOString(),
    source: input.source ?? DEFAULT_FEEDBACK_SOURCE,
  });
}

export interface LowConfidencePrediction {
  text: string;
  label: LowConfidenceRecord['label'];
  confidence: number;
  scores: LowConfidenceRecord['scores'];
  model_version: string;
}

export function newLowConfidenceRecord(prediction: LowConfidencePrediction, now: Date = new Date()): LowConfidenceRecord {
  return lowConfidenceRecordSchema.parse({
    id: newRecordId(now.getTime()),
    kind: 'low_confidence',
    text: prediction.text,
    label: prediction.label,
    confidence: prediction.confidence,
    scores: { negative: prediction.scores.negative, neutral: prediction.scores.neutral, positive: prediction.scores.positive },
    model_version: prediction.model_version,
    timestamp: now.toISOString(),
    source: 'auto',
  });
}

/** One JSONL line of a shard back into a record (the trainer's reader). Throws on a malformed line. */
export function parseRecordLine(line: string): CaptureRecord {
  return captureRecordSchema.parse(JSON.parse(line));
}

/** One JSONL line of any dataset shard (including self-labelled ones). Throws on a malformed line. */
export function parseDatasetRecordLine(line: string): DatasetRecord {
  return datasetRecordSchema.parse(JSON.parse(line));
}

// ---- ids ------------------------------------------------------------------------------------

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
const MAX_TIME = 2 ** 48 - 1;

// Monotonic within an isolate/process: ids made in the same millisecond (or after the clock
// stepped back) reuse the last time and increment the random part, so they still sort in
// acceptance order. Across isolates, order is by millisecond only, which is all shards need.
let lastTime = -1;
let lastRandom: number[] = [];

/** A ULID: time-sortable (lexicographic order = time order), 80 random bits against collisions. */
export function newRecordId(nowMs: number = Date.now()): string {
  let time = Math.floor(nowMs);
  if (!Number.isFinite(time) || time < 0 || time > MAX_TIME) throw new RangeError(`cannot encode time ${nowMs} in a record id`);
  let random: number[];
  if (time <= lastTime) {
    time = lastTime;
    random = increment(lastRandom);
  } else {
    const bytes = crypto.getRandomValues(new Uint8Array(RANDOM_CHARS));
    random = Array.from(bytes, (b) => b & 31);
  }
  lastTime = time;
  lastRandom = random;
  let timePart = '';
  for (let i = 0, t = time; i < TIME_CHARS; i++, t = Math.floor(t / 32)) timePart = CROCKFORD[t % 32] + timePart;
  return timePart + random.map((d) => CROCKFORD[d]).join('');
}

/** Base-32 increment; 80 bits do not overflow in practice, but if they do, draw afresh. */
function increment(digits: number[]): number[] {
  const next = digits.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] < 31) {
      next[i]++;
      return next;
    }
    next[i] = 0;
  }
  return Array.from(crypto.getRandomValues(new Uint8Array(RANDOM_CHARS)), (b) => b & 31);
}

/** The millisecond encoded in a record id. */
export function recordIdTime(id: string): number {
  let time = 0;
  for (const ch of id.slice(0, TIME_CHARS)) time = time * 32 + CROCKFORD.indexOf(ch);
  return time;
}

// ---- shard paths ----------------------------------------------------------------------------

const FLUSH_ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * Where one flush's (or self-label run's) records of one kind go in the dataset repo:
 * `<kind>/YYYY/MM/DD/<HHMMSSmmm>-<flushId>.jsonl`, in UTC. The flush id keeps two flushes in the
 * same millisecond (two isolates) from writing the same path; shards are never rewritten.
 */
export function shardPath(kind: DatasetRecordKind, date: Date, flushId: string): string {
  if (!DATASET_RECORD_KINDS.includes(kind)) throw new Error(`unknown record kind: ${kind}`);
  if (!FLUSH_ID.test(flushId)) throw new Error(`flush id must match ${FLUSH_ID}: ${JSON.stringify(flushId)}`);
  if (Number.isNaN(date.getTime())) throw new Error('invalid date for shard path');
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const day = `${pad(date.getUTCFullYear(), 4)}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}${pad(date.getUTCMilliseconds(), 3)}`;
  return `${kind}/${day}/${time}-${flushId}.jsonl`;
}
