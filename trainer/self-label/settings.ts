/** Settings of the self-labeller (trainer/configs/self-label.json), overridable by `self-label` flags. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PROVIDER_NAMES, PROVIDERS, type ProviderName } from '../llm/providers';

const share = z.number().min(0).max(1);
const count = z.number().int().min(0);

export const selfLabelConfigSchema = z.object({
  /** A preset (base URL, model, key variable, price); the three fields below override it. */
  provider: z.enum(PROVIDER_NAMES as [ProviderName, ...ProviderName[]]).default('nim'),
  base_url: z.url().optional(),
  model: z.string().min(1).optional(),
  /** Name of the environment variable (a secret) holding the key; never the key itself. */
  api_key_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
  /** Texts per request. */
  batch_size: z.number().int().min(1).max(100).default(20),
  /** New texts (not answered before) per run, oldest first. */
  max_texts: count.default(400),
  /** Hard limits per run: every HTTP attempt counts, and tokens are reserved at their worst case before sending. */
  budget: z.object({ max_requests: count, max_tokens: count }).default({ max_requests: 100, max_tokens: 150_000 }),
  request: z
    .object({
      timeout_s: z.number().positive(),
      max_retries: count,
      backoff_base_ms: count,
      backoff_max_ms: count,
      /** A Retry-After longer than this ends the request instead of stalling the run. */
      max_retry_after_s: z.number().min(0),
      concurrency: z.number().int().min(1).max(16),
      /** Ask for response_format json_object (OpenAI, Gemini, Ollama and NIM's JSON mode). */
      json_mode: z.boolean(),
    })
    .default({ timeout_s: 30, max_retries: 4, backoff_base_ms: 500, backoff_max_ms: 30_000, max_retry_after_s: 120, concurrency: 2, json_mode: true }),
  heuristics: z
    .object({
      /** Both prompt wordings must give the same label (off: only the first prompt is asked, at half the cost). */
      prompts_agree: z.boolean(),
      /** Drop a label that contradicts a user's correction of the same text. */
      no_correction_conflict: z.boolean(),
      /** When the model reports a confidence, every answer's must reach this. */
      confidence_floor: z.object({ enabled: z.boolean(), min: share }),
      /** The production model's own top label (from the low-confidence record) must match, with at least `min_probability`. */
      model_agrees: z.object({ enabled: z.boolean(), min_probability: share.default(0) }),
      /** No label may be more than `max_share` of a run's kept labels (beyond `min_count` each). */
      per_label_cap: z.object({ enabled: z.boolean(), max_share: share, min_count: count }),
      /** Also label up to `audit_texts` texts users corrected; if kept labels agree with the users less than `min_agreement` (with at least `min_samples` of them), the run's labels are discarded. */
      human_agreement: z.object({ enabled: z.boolean(), audit_texts: count, min_samples: z.number().int().min(1), min_agreement: share }),
    })
    .default({
      prompts_agree: true,
      no_correction_conflict: true,
      confidence_floor: { enabled: true, min: 0.7 },
      model_agrees: { enabled: true, min_probability: 0.45 },
      per_label_cap: { enabled: true, max_share: 0.5, min_count: 10 },
      human_agreement: { enabled: true, audit_texts: 20, min_samples: 10, min_agreement: 0.8 },
    }),
  /** Texts already labelled elsewhere (the base dataset): never sent. */
  skip_texts_in: z.array(z.string()).default(['datasets/tweeteval/train.csv', 'datasets/tweeteval/val.csv']),
  /** Every paid answer, written as it arrives, so a run that dies before its commit has not paid in vain. */
  cache_file: z.string().default('.data/self-label/answers.jsonl'),
});
export type SelfLabelConfig = z.infer<typeof selfLabelConfigSchema>;
export type HeuristicSettings = SelfLabelConfig['heuristics'];

export const DEFAULT_SELF_LABEL_CONFIG = 'trainer/configs/self-label.json';

export async function readSelfLabelConfig(path: string = DEFAULT_SELF_LABEL_CONFIG): Promise<SelfLabelConfig> {
  return selfLabelConfigSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}

export interface Endpoint {
  provider: ProviderName;
  baseUrl: string;
  model: string;
  keyEnv: string | null;
  apiKey: string | undefined;
  /** `provider:model`, stored in every record and cache entry. */
  labeler: string;
}

/** Where requests go and with which key (read from the environment, never printed). */
export function resolveEndpoint(config: SelfLabelConfig, env: NodeJS.ProcessEnv = process.env): Endpoint {
  const preset = PROVIDERS[config.provider];
  const keyEnv = config.api_key_env ?? preset.keyEnv;
  const model = config.model ?? preset.model;
  return { provider: config.provider, baseUrl: config.base_url ?? preset.baseUrl, model, keyEnv, apiKey: keyEnv ? env[keyEnv] || undefined : undefined, labeler: `${config.provider}:${model}` };
}
