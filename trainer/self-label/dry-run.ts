/** What a run costs (from reported usage) or would cost (estimated from the texts), and the prompts a dry run prints. */
import type { Usage } from '../llm/chat-completions';
import { PROVIDERS, type ProviderName } from '../llm/providers';
import { estimatedTokens } from './budget';
import { buildMessages, type PromptVersion } from './prompts';

export interface CostEstimate {
  requests: number;
  tokens: number;
  prompt_tokens: number;
  completion_tokens: number;
  /** null when the provider publishes no per-token price. */
  usd: number | null;
  price_note: string;
}

/** About 12 answer tokens per text: `{"id": 7, "label": "positive", "confidence": 0.9}`. */
const ANSWER_TOKENS_PER_TEXT = 12;

export function costOfUsage(provider: ProviderName, usage: Usage, requests: number): CostEstimate {
  const { price, priceNote } = PROVIDERS[provider];
  const usd = price ? (usage.prompt_tokens * price.inputPerMillion + usage.completion_tokens * price.outputPerMillion) / 1e6 : null;
  return { requests, tokens: usage.prompt_tokens + usage.completion_tokens, ...usage, usd, price_note: priceNote };
}

const batchesOf = (texts: readonly string[], size: number) => Array.from({ length: Math.ceil(texts.length / size) }, (_, i) => texts.slice(i * size, (i + 1) * size));

/** The cost of asking every prompt about every text, before any request is sent. */
export function estimateRun(provider: ProviderName, texts: readonly string[], prompts: readonly PromptVersion[], batchSize: number): CostEstimate {
  const usage = { prompt_tokens: 0, completion_tokens: 0 };
  let requests = 0;
  for (const prompt of prompts) {
    for (const batch of batchesOf(texts, batchSize)) {
      usage.prompt_tokens += estimatedTokens(buildMessages(prompt, batch.map((text, i) => ({ id: i + 1, text }))));
      usage.completion_tokens += 8 + ANSWER_TOKENS_PER_TEXT * batch.length;
      requests++;
    }
  }
  return costOfUsage(provider, usage, requests);
}

/** The first request of each prompt in full (they hold user texts: for the operator's terminal, not CI logs). */
export function printPrompts(texts: readonly string[], prompts: readonly PromptVersion[], batchSize: number, print: (text: string) => void): void {
  const batches = batchesOf(texts, batchSize);
  if (batches.length === 0) return print('(no texts to send)');
  for (const prompt of prompts) {
    print(`=== ${prompt}: request 1 of ${batches.length} ===`);
    for (const message of buildMessages(prompt, batches[0].map((text, i) => ({ id: i + 1, text })))) print(`[${message.role}]\n${message.content}\n`);
  }
}
