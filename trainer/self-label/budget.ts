/**
 * A run's hard budget of requests and tokens. Each HTTP attempt books one request and its
 * worst-case tokens before it is sent (so concurrent requests cannot overshoot together); the
 * booking becomes the provider's reported usage when it answers, is given back when the provider
 * refused the work (429, 5xx), and stays booked when nobody knows (a timeout may still be billed).
 */
import type { AttemptBudget, Usage } from '../llm/chat-completions';

export class Budget implements AttemptBudget {
  requests = 0;
  /** Reported usage plus bookings still open (timeouts): what the run may have spent. */
  tokens = 0;
  /** What providers reported. */
  usage: Usage = { prompt_tokens: 0, completion_tokens: 0 };
  /** Attempts refused because the next one would have gone over. */
  refused = 0;

  constructor(
    readonly maxRequests: number,
    readonly maxTokens: number,
  ) {}

  reserve(tokens: number): boolean {
    if (this.requests + 1 > this.maxRequests || this.tokens + tokens > this.maxTokens) {
      this.refused++;
      return false;
    }
    this.requests++;
    this.tokens += tokens;
    return true;
  }

  settle(reserved: number, usage: Usage): void {
    this.tokens += usage.prompt_tokens + usage.completion_tokens - reserved;
    this.usage.prompt_tokens += usage.prompt_tokens;
    this.usage.completion_tokens += usage.completion_tokens;
  }

  release(reserved: number): void {
    this.tokens -= reserved;
  }
}

/**
 * An upper bound on a request's tokens: byte-level BPE tokenizers (GPT, Llama 3, Gemma) never
 * make more tokens than the UTF-8 bytes of the text, plus the chat template's few tokens per
 * message, plus the answer's `max_tokens`.
 */
export function worstCaseTokens(messages: ReadonlyArray<{ content: string }>, maxTokens: number): number {
  return messages.reduce((sum, m) => sum + Buffer.byteLength(m.content, 'utf8') + 16, 0) + maxTokens;
}

/** A realistic estimate for cost previews: about 4 characters per token. */
export function estimatedTokens(messages: ReadonlyArray<{ content: string }>): number {
  return messages.reduce((sum, m) => sum + Math.ceil(m.content.length / 4) + 4, 0);
}
