/**
 * OpenAI-compatible chat-completions providers the self-labeller knows by name: where each one
 * listens, a small instruct model to start with, which environment variable holds its key, and its
 * published price (USD per million tokens; null = no per-token price is published). Any other
 * OpenAI-compatible server works through `base_url` + `model` + `api_key_env`.
 *
 * Prices were read on 2026-12-02 from the providers' pricing pages (via secondary copies): they
 * change, so the cost estimate says which price it used.
 */
export interface ProviderPreset {
  baseUrl: string;
  model: string;
  /** Environment variable holding the API key; null = no key needed. */
  keyEnv: string | null;
  price: { inputPerMillion: number; outputPerMillion: number } | null;
  priceNote: string;
}

export const PROVIDERS = {
  nim: {
    baseUrl: 'https://integrate.api.nvidia.com/v1',
    model: 'meta/llama-3.1-8b-instruct',
    keyEnv: 'NVIDIA_API_KEY',
    price: null,
    priceNote: 'free developer access with trial credits (about 40 requests/min); no per-token price published for the hosted API',
  },
  openai: {
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4o-mini',
    keyEnv: 'OPENAI_API_KEY',
    price: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
    priceNote: 'gpt-4o-mini list price',
  },
  gemini: {
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    model: 'gemini-2.5-flash-lite',
    keyEnv: 'GEMINI_API_KEY',
    price: { inputPerMillion: 0.1, outputPerMillion: 0.4 },
    priceNote: 'gemini-2.5-flash-lite paid tier (a free tier with daily limits exists)',
  },
  ollama: {
    baseUrl: 'http://127.0.0.1:11434/v1',
    model: 'llama3.2:3b',
    keyEnv: null,
    price: { inputPerMillion: 0, outputPerMillion: 0 },
    priceNote: 'runs on your machine: free',
  },
  local: {
    baseUrl: 'http://127.0.0.1:7862/v1',
    model: 'scripted',
    keyEnv: null,
    price: { inputPerMillion: 0, outputPerMillion: 0 },
    priceNote: 'the local stand-in (trainer/local-llm): free',
  },
} as const satisfies Record<string, ProviderPreset>;

export type ProviderName = keyof typeof PROVIDERS;
export const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];
