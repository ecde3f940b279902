/**
 * The local OpenAI-compatible stand-in as a Hono app: `POST /v1/chat/completions` and
 * `GET /v1/models`, answering sentiment-labelling requests from a script (behaviour.ts), plus
 * `GET /__stats` with what it was asked (for tests and benchmarks).
 *
 * It reads the texts from the user message's JSON document ({"texts": [{"id", "text"}]}), the
 * format trainer/self-label/prompts.ts sends, and tells prompt wordings apart by their system
 * message. Usage is counted as one token per 4 characters, like a typical English tokenizer.
 */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { z } from 'zod';
import { textKey } from '../data/clean';
import { answerFor, breakAnswer, unit, type Script } from './behaviour';

export interface LlmStats {
  requests: number;
  /** Requests per HTTP status answered. */
  statuses: Record<number, number>;
  prompt_tokens: number;
  completion_tokens: number;
  /** How many times each (prompt wording, text) pair was asked: a pair asked twice was paid twice. */
  asked: Map<string, number>;
  broken: number;
  wrong: number;
  answered: number;
}

export const newStats = (): LlmStats => ({ requests: 0, statuses: {}, prompt_tokens: 0, completion_tokens: 0, asked: new Map(), broken: 0, wrong: 0, answered: 0 });

const requestSchema = z.object({
  model: z.string(),
  messages: z.array(z.object({ role: z.string(), content: z.string() })).min(1),
  max_tokens: z.number().int().positive().optional(),
});

const openAiError = (message: string, type: string) => ({ error: { message, type, code: null } });
const tokens = (text: string) => Math.ceil(text.length / 4);

export function createLlmApp(script: Script, stats: LlmStats = newStats()): Hono {
  const app = new Hono();
  app.use('/v1/*', async (c, next) => {
    stats.requests++;
    await next();
    stats.statuses[c.res.status] = (stats.statuses[c.res.status] ?? 0) + 1;
  });
  if (script.apiKey) app.use('/v1/*', bearerAuth({ token: script.apiKey, noAuthenticationHeaderMessage: openAiError('missing API key', 'invalid_request_error'), invalidTokenMessage: openAiError('invalid API key', 'invalid_request_error') }));

  app.get('/v1/models', (c) => c.json({ object: 'list', data: [{ id: 'scripted', object: 'model', owned_by: 'local-llm' }] }));

  app.post('/v1/chat/completions', async (c) => {
    const n = stats.requests;
    if (script.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
    if (script.rateLimitEvery > 0 && n % script.rateLimitEvery === 0) {
      c.header('Retry-After', String(script.retryAfterSeconds));
      return c.json(openAiError('rate limit reached, retry later', 'rate_limit_error'), 429);
    }
    if (script.serverErrorEvery > 0 && n % script.serverErrorEvery === 0) return c.json(openAiError('the model is overloaded', 'server_error'), 503);

    const parsed = requestSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json(openAiError('invalid request body', 'invalid_request_error'), 400);
    const { messages, model, max_tokens } = parsed.data;
    const system = messages.find((m) => m.role === 'system')?.content ?? '';
    const user = messages.findLast((m) => m.role === 'user')?.content ?? '';
    const texts = textsOf(user);
    if (!texts) return c.json(openAiError('no {"texts": [...]} document in the user message', 'invalid_request_error'), 400);

    const promptId = createHash('sha256').update(system).digest('hex').slice(0, 16);
    const labels = texts.map(({ id, text }) => {
      const key = `${promptId}:${textKey(text)}`;
      stats.asked.set(key, (stats.asked.get(key) ?? 0) + 1);
      const answer = answerFor(script, text, promptId);
      if (answer.wrong) stats.wrong++;
      return { id, label: answer.label, ...(answer.confidence === null ? {} : { confidence: answer.confidence }) };
    });
    stats.answered += labels.length;
    const broken = unit(script.seed, 'broken', String(n)) < script.brokenJsonRate;
    if (broken) stats.broken++;
    let content = broken ? breakAnswer({ labels }, unit(script.seed, 'how', String(n))) : JSON.stringify({ labels });
    let finishReason = 'stop';
    if (max_tokens !== undefined && tokens(content) > max_tokens) {
      content = content.slice(0, max_tokens * 4);
      finishReason = 'length';
    }
    const usage = { prompt_tokens: messages.reduce((sum, m) => sum + tokens(m.content) + 4, 0), completion_tokens: tokens(content) };
    stats.prompt_tokens += usage.prompt_tokens;
    stats.completion_tokens += usage.completion_tokens;
    return c.json({
      id: `chatcmpl-${n}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  });

  app.get('/__stats', (c) => c.json({ ...stats, asked: undefined, pairs_asked: stats.asked.size, pairs_asked_twice: [...stats.asked.values()].filter((v) => v > 1).length }));
  app.notFound((c) => c.json(openAiError(`unknown path ${c.req.path}`, 'invalid_request_error'), 404));
  return app;
}

const documentSchema = z.object({ texts: z.array(z.object({ id: z.number().int(), text: z.string() })) });

function textsOf(user: string): Array<{ id: number; text: string }> | null {
  const start = user.indexOf('{');
  if (start < 0) return null;
  try {
    const parsed = documentSchema.safeParse(JSON.parse(user.slice(start)));
    return parsed.success ? parsed.data.texts : null;
  } catch {
    return null;
  }
}
