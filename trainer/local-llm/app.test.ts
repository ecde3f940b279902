import { describe, expect, it } from 'vitest';
import { LABELS, type Label } from '../../shared/labels';
import { buildMessages, parseAnswer, PROMPT_VERSIONS } from '../self-label/prompts';
import { createLlmApp, newStats } from './app';
import { answerFor, DEFAULT_SCRIPT, type Script } from './behaviour';

const texts = Array.from({ length: 3000 }, (_, i) => `text number ${i}`);
const truth = new Map<string, Label>(texts.map((t, i) => [t, LABELS[i % 3]]));
const script = (overrides: Partial<Script> = {}): Script => ({ ...DEFAULT_SCRIPT, truth, ...overrides });

describe('error models', () => {
  const rates = (s: Script) => {
    let wrongA = 0;
    let bothWrong = 0;
    let sameWrong = 0;
    for (const text of texts) {
      const a = answerFor(s, text, 'prompt-a');
      const b = answerFor(s, text, 'prompt-b');
      if (a.wrong) wrongA++;
      if (a.wrong && b.wrong) bothWrong++;
      if (a.wrong && b.wrong && a.label === b.label) sameWrong++;
    }
    return { wrong: wrongA / texts.length, bothWrong: bothWrong / texts.length, sameWrong: sameWrong / texts.length };
  };

  it('errs at the set rate; independently per prompt, on the same texts with the same label, or half of each', () => {
    const independent = rates(script({ wrongRate: 0.3, errorModel: 'independent' }));
    expect(independent.wrong).toBeCloseTo(0.3, 1);
    expect(independent.bothWrong).toBeCloseTo(0.09, 1);
    const correlated = rates(script({ wrongRate: 0.3, errorModel: 'correlated' }));
    expect(correlated.wrong).toBeCloseTo(0.3, 1);
    expect(correlated.sameWrong).toBeCloseTo(correlated.wrong, 5);
    const mixed = rates(script({ wrongRate: 0.3, errorModel: 'mixed', sharedErrorShare: 0.5 }));
    expect(mixed.wrong).toBeCloseTo(0.3, 1);
    expect(mixed.sameWrong).toBeGreaterThan(0.15);
    expect(mixed.sameWrong).toBeLessThan(0.2);
  });

  it('answers the same question the same way every time, and makes the scripted mistake when told', () => {
    const s = script({ wrongRate: 1, confusions: new Map([[texts[1], 'negative']]) });
    expect(answerFor(s, texts[1], 'p')).toEqual(answerFor(s, texts[1], 'p'));
    expect(answerFor(s, texts[1], 'p').label).toBe('negative');
  });
});

describe('the stand-in app', () => {
  const ask = (app: ReturnType<typeof createLlmApp>, batch: string[], headers: Record<string, string> = {}) =>
    app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'scripted', messages: buildMessages(PROMPT_VERSIONS[0], batch.map((text, i) => ({ id: i + 1, text }))), max_tokens: 500 }),
    });

  it('answers a labelling request in the strict format, with usage, and counts what it was asked', async () => {
    const stats = newStats();
    const response = await ask(createLlmApp(script(), stats), texts.slice(0, 3));
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }>; usage: { prompt_tokens: number } };
    const parsed = parseAnswer(body.choices[0].message.content, [1, 2, 3]);
    expect(parsed.ok && [...parsed.answers.values()].map((a) => a.label)).toEqual(['negative', 'neutral', 'positive']);
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
    expect(stats).toMatchObject({ requests: 1, answered: 3 });
    expect(stats.asked.size).toBe(3);
  });

  it('answers 429 with Retry-After and 503 on schedule, needs the key when it has one, and breaks JSON at the set rate', async () => {
    const limited = createLlmApp(script({ rateLimitEvery: 2, retryAfterSeconds: 7 }));
    expect((await ask(limited, texts.slice(0, 1))).status).toBe(200);
    const second = await ask(limited, texts.slice(0, 1));
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await ask(createLlmApp(script({ serverErrorEvery: 1 })), texts.slice(0, 1))).status).toBe(503);
    const locked = createLlmApp(script({ apiKey: 'k' }));
    expect((await ask(locked, texts.slice(0, 1))).status).toBe(401);
    expect((await ask(locked, texts.slice(0, 1), { authorization: 'Bearer k' })).status).toBe(200);
    const stats = newStats();
    const broken = createLlmApp(script({ brokenJsonRate: 1 }), stats);
    const content = ((await (await ask(broken, texts.slice(0, 2))).json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
    expect(parseAnswer(content, [1, 2]).ok).toBe(false);
    expect(stats.broken).toBe(1);
  });
});
