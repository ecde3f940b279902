/**
 * Asks one prompt wording for the labels of the texts that have no cached answer under it:
 * batches of `batchSize` texts, `concurrency` requests at a time, each answer validated strictly
 * and cached as soon as it arrives. A batch that fails (budget, rate limit, timeout…) is not
 * cached, so a later run asks again; nor is a batch answered malformed (paid for, but a text
 * never retried would never be labelled). A fatal error (bad key, unknown model) stops
 * the run's remaining requests.
 */
import { chatCompletion, type AttemptBudget, type ChatClientOptions, type FailureReason } from '../llm/chat-completions';
import type { AnswerCache, CachedAnswer } from './answer-cache';
import { answerTokenLimit, buildMessages, parseAnswer, type PromptVersion } from './prompts';
import { worstCaseTokens } from './budget';

export interface AskStats {
  /** Batches answered with a well-formed answer / with a malformed one. */
  batches_ok: number;
  batches_malformed: number;
  texts_answered: number;
  texts_malformed: number;
  /** Batches that got no answer, by reason (their texts are asked again next run). */
  batches_failed: Partial<Record<FailureReason, number>>;
  /** HTTP attempts beyond the first of each batch. */
  retries: number;
  /** Why requests stopped before every batch was sent, if they did. */
  stopped: string | null;
}

export const newAskStats = (): AskStats => ({ batches_ok: 0, batches_malformed: 0, texts_answered: 0, texts_malformed: 0, batches_failed: {}, retries: 0, stopped: null });

export interface AskContext {
  client: ChatClientOptions;
  labeler: string;
  cache: AnswerCache;
  budget: AttemptBudget;
  batchSize: number;
  concurrency: number;
  jsonMode: boolean;
  stats: AskStats;
  log: (message: string) => void;
  now: () => Date;
}

export async function askPrompt(texts: ReadonlyArray<{ text: string; hash: string }>, prompt: PromptVersion, ctx: AskContext): Promise<void> {
  const pending = texts.filter((t) => !ctx.cache.has(t.hash, ctx.labeler, prompt));
  const unique = [...new Map(pending.map((t) => [t.hash, t])).values()];
  const batches: Array<typeof unique> = [];
  for (let i = 0; i < unique.length; i += ctx.batchSize) batches.push(unique.slice(i, i + ctx.batchSize));
  if (batches.length === 0) return;
  ctx.log(`${prompt}: ${unique.length} texts in ${batches.length} requests (${texts.length - unique.length} cached)`);

  let done = 0;
  const next = batches.values();
  const worker = async () => {
    for (let item = next.next(); !item.done && !ctx.stats.stopped; item = next.next()) {
      await askBatch(item.value, prompt, ctx);
      if (++done % 10 === 0 || done === batches.length) ctx.log(`${prompt}: ${done}/${batches.length} requests done`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.concurrency, batches.length) }, worker));
}

async function askBatch(batch: ReadonlyArray<{ text: string; hash: string }>, prompt: PromptVersion, ctx: AskContext): Promise<void> {
  const ids = batch.map((_, i) => i + 1);
  const messages = buildMessages(prompt, batch.map((t, i) => ({ id: ids[i], text: t.text })));
  const maxTokens = answerTokenLimit(batch.length);
  const outcome = await chatCompletion(ctx.client, { messages, maxTokens, reserveTokens: worstCaseTokens(messages, maxTokens), jsonMode: ctx.jsonMode }, ctx.budget);
  ctx.stats.retries += Math.max(0, outcome.attempts - 1);
  if (!outcome.ok) {
    ctx.stats.batches_failed[outcome.reason] = (ctx.stats.batches_failed[outcome.reason] ?? 0) + 1;
    if (outcome.reason === 'budget') ctx.stats.stopped ??= 'the request or token budget is spent';
    else if (outcome.fatal) ctx.stats.stopped ??= `the provider refused the request (${outcome.message}): check the base URL, model and key`;
    else ctx.log(`${prompt}: a request failed (${outcome.reason}: ${outcome.message}); its texts wait for the next run`);
    return;
  }
  const parsed = parseAnswer(outcome.content, ids);
  const at = ctx.now().toISOString();
  if (!parsed.ok) {
    ctx.stats.batches_malformed++;
    ctx.stats.texts_malformed += batch.length;
    ctx.log(`${prompt}: malformed answer for ${batch.length} texts (${parsed.reason}${outcome.finishReason === 'length' ? ', cut at max_tokens' : ''}); they wait for the next run`);
    return;
  }
  ctx.stats.batches_ok++;
  ctx.stats.texts_answered += batch.length;
  const entries: CachedAnswer[] = batch.map((t, i) => ({ text_sha256: t.hash, labeler: ctx.labeler, prompt, answer: parsed.answers.get(ids[i])!, at }));
  await ctx.cache.add(entries);
}
