/**
 * Every environment variable of the service (both runtimes) and the trainer, in one table: its
 * rule, its default and what it means. The readers (read.ts), `npm start`'s pass-through and the
 * README's settings table (`npm run settings:readme`) all come from here.
 */
import { z } from 'zod';
import { PUBLIC_HUB_URL } from '../hub-endpoint';
import { documented as doc, flag, fraction, hfToken, httpUrl, int, list, number, repoName, seconds, blankIsUnset } from './schema';

const MILLION = 1_000_000;

const origin = z.string().refine((value) => value === '*' || /^https?:\/\/[^/\s]+$/.test(value), {
  error: (issue) => `${JSON.stringify(issue.input)} is not an origin like https://example.com (scheme and host, no path) or *`,
});

export const serving = z.object({
  MAX_TEXT_CHARS: doc(int(1, MILLION, 5_000), { default: '`5000`', meaning: 'Characters (code points) per text; longer ones get 413 `text_too_long`' }),
  MAX_BATCH_TEXTS: doc(int(1, 100_000, 256), { default: '`256`', meaning: 'Texts per batch request (`wrangler.toml` ships `32` for the Workers Free plan)' }),
  MAX_BODY_BYTES: doc(int(1, 100 * 1_048_576, 1_048_576), { default: '`1048576`', meaning: 'Bytes per request body, after gzip decompression' }),
  CORS_ORIGINS: doc(list(origin, ['*']), { default: '`*`', meaning: 'Comma-separated origins (`https://a.example`), or `*`' }),
  LOG_REQUESTS: doc(flag(true), { default: '`true`', meaning: 'One JSON line per request (never the text)' }),
  SCORING_RATE_LIMIT_PER_MINUTE: doc(int(0, MILLION, 0), { default: '`0`', meaning: 'Scoring requests per client address, single or batch; `0` = off' }),
  SCORING_RATE_LIMIT_BURST: doc(int(1, MILLION), { default: 'the per-minute value', meaning: 'Scoring requests a client may send at once' }),
  SCORE_DECIMALS: doc(int(1, 9, 4), { default: '`4`', meaning: 'Decimals of probabilities and explanation numbers (1–9); `full_precision` per request' }),
});

export const intake = z.object({
  FEEDBACK_API_KEYS: doc(list(z.string().min(16, 'each key must be at least 16 characters'), []), {
    default: 'unset (no key)',
    meaning: 'Comma-separated, each key at least 16 characters; when set, feedback needs `Authorization: Bearer <key>`',
    secret: true,
  }),
  AUTH_FAILURE_LIMIT_PER_MINUTE: doc(int(0, MILLION, 10), {
    default: '`10`',
    meaning: 'With API keys: wrong or missing keys a client address may send at once, then one per 60/N s (429 meanwhile); `0` = off',
  }),
  FEEDBACK_RATE_LIMIT_PER_MINUTE: doc(int(0, MILLION, 60), { default: '`60`', meaning: 'Per client (the API key, else the client address); `0` = off' }),
  FEEDBACK_RATE_LIMIT_BURST: doc(int(1, MILLION), { default: 'the per-minute value', meaning: 'Feedback requests a client may send at once' }),
  LOW_CONFIDENCE_LOGGING: doc(flag(true), { default: '`true`', meaning: 'Record predictions whose top probability is below the threshold' }),
  LOW_CONFIDENCE_THRESHOLD: doc(fraction(0.55), { default: '`0.55`', meaning: 'Top probability below which a prediction is recorded' }),
  LOW_CONFIDENCE_SAMPLE_RATE: doc(fraction(1), { default: '`1`', meaning: 'Fraction of them recorded; `0` disables' }),
  // Volume control: at 1,000 req/s with 28% under the threshold, recording all would add 24 million records a day.
  LOW_CONFIDENCE_MAX_PER_MINUTE: doc(int(0, MILLION, 60), { default: '`60`', meaning: 'At most this many recorded per minute per process or isolate; `0` = no cap' }),
});

/** Where the Hub is and who we are to it: the service and the trainer alike. */
export const hub = z.object({
  HF_ENDPOINT: doc(httpUrl(PUBLIC_HUB_URL), { default: `\`${PUBLIC_HUB_URL}\``, meaning: 'The Hub (`npm start` points it at the local stand-in)' }),
  HF_TOKEN: doc(hfToken(), { default: 'unset', meaning: '`hf_…`: write access to the dataset repo, read access to the model repo', secret: true }),
});

export const capture = z.object({
  HF_DATASET_REPO: doc(repoName(), { default: 'unset', meaning: '`owner/name` of the dataset repo; without it (or `HF_TOKEN`) records are kept and `/health` says why nothing flushes' }),
  FLUSH_MAX_RECORDS: doc(int(1, 20_000, 1_000), { default: '`1000`', meaning: 'Records per commit (two shards at most: feedback and low-confidence)' }),
  FLUSH_SIZE_THRESHOLD: doc(int(1, MILLION, 500), { default: '`500`', meaning: 'A flush starts after a request once this many records wait' }),
  FLUSH_MAX_COMMITS_PER_HOUR: doc(int(1, 120, 60), { default: '`60`', meaning: 'Commits to the dataset repo per hour (the Hub allows about 128; leave room for the trainer)' }),
  FLUSH_INTERVAL_S: doc(seconds(60, 86_400), { default: '`60`', meaning: 'Seconds between timed flushes (Node and `npm start`; deployed workerd: the Cron Trigger)' }),
  FLUSH_BACKOFF_BASE_S: doc(seconds(10, 86_400), { default: '`10`', meaning: 'First wait after a failed flush, doubling up to the cap' }),
  FLUSH_BACKOFF_CAP_S: doc(seconds(900, 86_400), { default: '`900`', meaning: 'Longest wait between failed flushes' }),
  FLUSH_TIMEOUT_S: doc(seconds(120, 3_600), { default: '`120`', meaning: 'A flush that takes longer is abandoned and retried' }),
});

export const hubModel = z
  .object({
    HF_MODEL_REPO: doc(repoName(), { default: 'unset', meaning: "`owner/name` of the model repo to follow; unset = the shipped model only, no Hub calls (on Workers: Paid plan, a swap needs more than the Free plan's 10 ms of CPU)" }),
    MODEL_REVISION: doc(z.preprocess(blankIsUnset, z.string().regex(/^[\w.-]+$/, 'must be a commit sha (or a branch or tag name)').optional()), {
      default: 'unset',
      meaning: 'A commit sha to serve (rollback); never checks for newer',
    }),
    MODEL_CHECK_INTERVAL_S: doc(seconds(60, 86_400), { default: '`60`', meaning: 'Seconds between version checks' }),
    MODEL_CHECK_MAX_BACKOFF_S: doc(seconds(900, 86_400), { default: '`900`', meaning: 'Longest wait between failed checks' }),
    MODEL_RELEASE_GRACE_S: doc(seconds(0, 3_600, { allowZero: true }), {
      default: '`0`',
      meaning: "How long a replaced session outlives its last in-flight prediction (0 keeps a swap within the isolate's memory)",
    }),
    MODEL_HUB_TIMEOUT_S: doc(seconds(20, 600), { default: '`20`', meaning: 'Timeout of one Hub request' }),
    MODEL_COLD_START_TIMEOUT_S: doc(seconds(10, 600), { default: '`10`', meaning: 'How long a cold start waits for the Hub (Node; workerd serves the shipped model meanwhile)' }),
  });

export const monitoring = z.object({
  ADMIN_API_KEY: doc(z.preprocess(blankIsUnset, z.string().min(16, 'must be at least 16 characters').optional()), {
    default: 'unset',
    meaning: "At least 16 characters: the key for `/dashboard`, `/v1/metrics` and `/health`'s `details`",
    secret: true,
  }),
  DASHBOARD_ACCESS: doc(z.preprocess(blankIsUnset, z.enum(['public', 'admin'], { error: 'must be public or admin' }).optional()), {
    default: '`admin` when `ADMIN_API_KEY` is set, else `public`',
    meaning: '`public` or `admin`',
  }),
  METRICS: doc(flag(true), { default: '`true`', meaning: '`false`: nothing is counted, `/v1/metrics` answers 404 and the dashboard shows only the model' }),
  METRICS_FLUSH_S: doc(seconds(30, 3_600), { default: '`30`', meaning: "Seconds between a process's (or isolate's) writes of its counts" }),
  METRICS_MINUTE_RETENTION_H: doc(number(25, 24 * 31, 48), { default: '`48`', meaning: 'Hours per-minute rows are kept before they are summed into hours' }),
  METRICS_HOUR_RETENTION_D: doc(number(8, 3_650, 90), { default: '`90`', meaning: 'Days hourly rows are kept' }),
});

export const node = z.object({
  PORT: doc(int(0, 65_535, 7860), { default: '`7860`', meaning: 'Port (the Spaces port)' }),
  HOST: doc(z.preprocess(blankIsUnset, z.string().default('0.0.0.0')), { default: '`0.0.0.0`', meaning: 'Address to listen on' }),
  WEB_CONCURRENCY: doc(int(1, 64, 1), { default: '`1`', meaning: 'Processes sharing the port (the Docker image sets 2)' }),
  MODEL_DIR: doc(z.preprocess(blankIsUnset, z.string().optional()), { default: '`worker/model`', meaning: 'Folder with the shipped `model.onnx` and `manifest.json`' }),
  CAPTURE_DB_PATH: doc(z.preprocess(blankIsUnset, z.string().default('.data/capture.sqlite')), {
    default: '`.data/capture.sqlite`',
    meaning: "The feedback buffer's SQLite file, also holding the counters (Docker: `/data/capture.sqlite`); `off` disables capture",
  }),
  TRUST_PROXY_HOPS: doc(int(0, 10, 0), { default: '`0`', meaning: 'Proxies in front that append to `X-Forwarded-For` (the Docker image sets 1)' }),
});

/** The README's groups, in its order. */
export const GROUPS = [
  { title: 'Serving', schema: serving },
  { title: 'Feedback and low-confidence capture', schema: intake },
  { title: 'The Hub (the service and the trainer)', schema: hub },
  { title: 'Flushing records to the dataset repo', schema: capture },
  { title: 'Following the model repo', schema: hubModel },
  { title: 'Monitoring', schema: monitoring },
  { title: 'Node server only', schema: node },
] as const;

/**
 * Old names still read (when the new one is unset), each logged once at start-up as deprecated.
 * One unit suffix for durations: `_S`.
 */
export const RENAMED: Readonly<Record<string, string>> = {
  FLUSH_INTERVAL_SECONDS: 'FLUSH_INTERVAL_S',
  FLUSH_BACKOFF_BASE_SECONDS: 'FLUSH_BACKOFF_BASE_S',
  FLUSH_BACKOFF_CAP_SECONDS: 'FLUSH_BACKOFF_CAP_S',
  FLUSH_TIMEOUT_SECONDS: 'FLUSH_TIMEOUT_S',
};

/** Every variable the worker reads (all groups but the Node server's), in the README's order. */
export const WORKER_VARIABLES: readonly string[] = GROUPS.filter((g) => g.schema !== node).flatMap((g) => Object.keys(g.schema.shape));
