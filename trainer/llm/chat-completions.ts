/**
 * A client for the OpenAI-compatible `POST {baseUrl}/chat/completions` API (NVIDIA NIM, OpenAI,
 * Gemini's compatibility endpoint, Ollama, the local stand-in): plain fetch, so tests point it at
 * any server through `baseUrl` and `fetch`.
 *
 * Every HTTP attempt, retries included, first asks the budget for one request and its worst-case
 * tokens; an attempt the budget refuses is never sent. 429 and 5xx are retried with exponential
 * backoff and full jitter, waiting at least what `Retry-After` asks. Failures come back as values,
 * not exceptions, so one bad batch never stops a run. The key is sent as a bearer token and never
 * appears in an outcome or a message.
 */
import { z } from 'zod';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** What one run may still spend; see self-label/budget.ts. */
export interface AttemptBudget {
  /** Books one request and `tokens` worst-case tokens; false = over budget, do not send. */
  reserve(tokens: number): boolean;
  /** The provider reported what the attempt used: it replaces the reservation. */
  settle(reserved: number, usage: Usage): void;
  /** The attempt was refused (429, 5xx): not billed, so its tokens are given back (the request still counts). */
  release(reserved: number): void;
}

export interface ChatClientOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Per attempt, headers and body included. */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and network errors. */
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is not waited for: the call fails as rate limited. */
  maxRetryAfterMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Upper bound on the answer's tokens, sent as `max_tokens`. */
  maxTokens: number;
  /** Worst-case prompt + answer tokens, reserved from the budget before each attempt. */
  reserveTokens: number;
  /** Ask for `response_format: {type: "json_object"}`. */
  jsonMode: boolean;
}

export type FailureReason = 'budget' | 'rate_limited' | 'server_error' | 'timeout' | 'network' | 'rejected' | 'bad_response';

export type ChatOutcome =
  | { ok: true; content: string; finishReason: string | null; usage: Usage | null; attempts: number }
  | { ok: false; reason: FailureReason; status: number | null; message: string; attempts: number; /** Retrying later cannot help (bad key, unknown model). */ fatal: boolean };

const responseSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }), finish_reason: z.string().nullable().optional() })).min(1),
  usage: z.object({ prompt_tokens: z.number().int().min(0), completion_tokens: z.number().int().min(0) }).nullish(),
});

export async function chatCompletion(options: ChatClientOptions, request: ChatRequest, budget: AttemptBudget): Promise<ChatOutcome> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const body = JSON.stringify({
    model: options.model,
    messages: request.messages,
    temperature: 0,
    max_tokens: request.maxTokens,
    ...(request.jsonMode ? { response_format: { type: 'json_object' } } : {}),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;

  let last: Extract<ChatOutcome, { ok: false }> | null = null;
  for (let attempt = 0; attempt <= options.maxRetries; attempt++) {
    const attempts = attempt + 1;
    if (!budget.reserve(request.reserveTokens)) {
      return last ? { ...last, attempts: attempt } : { ok: false, reason: 'budget', status: null, message: 'request or token budget exhausted', attempts: attempt, fatal: false };
    }
    let wait = backoff(attempt, options, random);
    try {
      const response = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
      const text = await response.text();
      if (response.ok) {
        const parsed = parseResponse(text);
        if (!parsed) {
          // Answered, so possibly billed: the reservation stands.
          return { ok: false, reason: 'bad_response', status: response.status, message: 'the response is not a chat completion', attempts, fatal: false };
        }
        if (parsed.usage) budget.settle(request.reserveTokens, parsed.usage);
        return { ok: true, content: parsed.content, finishReason: parsed.finishReason, usage: parsed.usage, attempts };
      }
      budget.release(request.reserveTokens);
      const message = `HTTP ${response.status}${errorMessage(text)}`;
      if (response.status === 429 || response.status >= 500) {
        last = { ok: false, reason: response.status === 429 ? 'rate_limited' : 'server_error', status: response.status, message, attempts, fatal: false };
        const asked = retryAfterMs(response.headers.get('retry-after'));
        if (asked !== null && asked > options.maxRetryAfterMs) return { ...last, message: `${message}; Retry-After ${Math.ceil(asked / 1000)} s is over the ${options.maxRetryAfterMs / 1000} s limit` };
        if (asked !== null) wait = Math.max(wait, asked);
      } else {
        // 400/401/403/404…: the same request would fail again.
        return { ok: false, reason: 'rejected', status: response.status, message, attempts, fatal: [401, 403, 404].includes(response.status) };
      }
    } catch (error) {
      // The provider may have started (and billed) the work: the reservation stands.
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      last = timedOut
        ? { ok: false, reason: 'timeout', status: null, message: `no answer within ${options.timeoutMs} ms`, attempts, fatal: false }
        : { ok: false, reason: 'network', status: null, message: (error as Error).message.slice(0, 200), attempts, fatal: false };
    }
    if (attempt < options.maxRetries) await sleep(wait);
  }
  return last!;
}

function parseResponse(text: string): { content: string; finishReason: string | null; usage: Usage | null } | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) return null;
  const choice = parsed.data.choices[0];
  return { content: choice.message.content ?? '', finishReason: choice.finish_reason ?? null, usage: parsed.data.usage ?? null };
}

/** The provider's own error message, shortened (OpenAI-style `{"error": {"message"}}`). */
function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

function backoff(attempt: number, options: ChatClientOptions, random: () => number): number {
  return Math.round(random() * Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** attempt));
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
