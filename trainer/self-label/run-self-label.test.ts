/**
 * The self-labeller against the local OpenAI-compatible stand-in and the local Hub, through the
 * real clients: answering correctly, wrongly, slowly, with 429s and with broken JSON. In every
 * case nothing crashes, everything written reads back as valid records, the budget holds (as
 * counted by the stand-in itself), and a rerun pays for nothing twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS, type Label } from '../../shared/labels';
import { textKey } from '../data/clean';
import { readLabelledCsv, type LabelledRow } from '../data/csv';
import { startLocalLlm, type LocalLlm } from '../local-llm/server';
import type { Script } from '../local-llm/behaviour';
import { TOKEN, useTestHub } from '../local-hub/local-hub.test-helpers';
import { runSelfLabel, type SelfLabelSummary } from './run-self-label';
import { resolveEndpoint, type SelfLabelConfig } from './settings';
import { lowConfidence, readBack, testConfig } from './self-label.test-helpers';
import { newFeedbackRecord } from '../../shared/feedback-record';
import { spawnTrainer, writeShard } from '../retrain/retrain.test-helpers';
import { writeFile } from 'node:fs/promises';

const llmUrl = 'http://127.0.0.1:1/v1';
const VAL_CSV = new URL('../../datasets/tweeteval/val.csv', import.meta.url).pathname;

const hub = useTestHub();
let dir: string;
let rows: LabelledRow[];
let truth: Map<string, Label>;
const settings = () => ({ hubUrl: hub.url, accessToken: TOKEN });
let serial = 0;
const servers: LocalLlm[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'self-label-'));
  rows = (await readLabelledCsv(VAL_CSV)).slice(0, 60);
  truth = new Map(rows.map((r) => [textKey(r.text), r.label]));
}, 30_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

/** A dataset repo holding 60 low-confidence texts, a stand-in with `script`, and a run function. */
async function scenario(script: Partial<Script>, overrides: Record<string, unknown> = {}) {
  const id = ++serial;
  const repo = `team/data-${id}`;
  await writeShard(repo, settings(), 'low_confidence', lowConfidence(rows));
  const llm = await startLocalLlm({ truth, ...script });
  servers.push(llm);
  const config: SelfLabelConfig = testConfig(join(dir, `s${id}`), llm.baseUrl, { heuristics: { ...testConfig(dir, llm.baseUrl).heuristics, per_label_cap: { enabled: false, max_share: 1, min_count: 0 } }, ...overrides });
  const waits: number[] = [];
  const run = (extra: Partial<SelfLabelConfig> = {}) =>
    runSelfLabel({
      datasetRepo: repo,
      hub: settings(),
      config: { ...config, ...extra },
      endpoint: resolveEndpoint({ ...config, ...extra }),
      workDir: join(dir, `work-${id}`),
      sleep: async (ms) => void waits.push(ms),
      log: () => {},
    });
  return { repo, llm, config, run, waits, readBack: () => readBack(repo, settings(), join(dir, `read-${id}-${Date.now()}`)) };
}

/** What holds whatever the stand-in does: valid records only, within budget by the stand-in's own count. */
async function expectSound(s: Awaited<ReturnType<typeof scenario>>, summary: SelfLabelSummary) {
  const records = await s.readBack();
  expect(records.invalid).toEqual([]);
  for (const record of records.selfLabeled) {
    expect(LABELS).toContain(record.label);
    expect(record.provenance!.answers.map((a) => a.prompt)).toEqual(summary.prompts);
    expect(record.provenance!.answers.every((a) => a.label === record.label)).toBe(true);
  }
  expect(s.llm.stats.requests).toBeLessThanOrEqual(s.config.budget.max_requests);
  expect(s.llm.stats.prompt_tokens + s.llm.stats.completion_tokens).toBeLessThanOrEqual(s.config.budget.max_tokens);
  expect(summary.requests.sent).toBe(s.llm.stats.requests);
  return records;
}

/** A second run sends nothing new to the stand-in and commits nothing new. */
async function expectRerunPaysNothing(s: Awaited<ReturnType<typeof scenario>>) {
  const before = s.llm.stats.requests;
  const again = await s.run();
  expect(s.llm.stats.requests).toBe(before);
  expect([...s.llm.stats.asked.values()].every((n) => n === 1)).toBe(true);
  return again;
}

describe('self-label against the local stand-in', () => {
  it('correct answers: labels every text right, in one commit, with provenance; a rerun pays nothing', async () => {
    const s = await scenario({});
    const summary = await s.run();
    expect(summary.status).toBe('labelled');
    expect(summary.kept).toBe(60);
    expect(summary.files).toHaveLength(2);
    const records = await expectSound(s, summary);
    expect(records.selfLabeled).toHaveLength(60);
    expect(records.selfLabeled.every((r) => r.label === truth.get(textKey(r.text)))).toBe(true);
    expect(records.selfLabeled[0]).toMatchObject({ labeler: 'local:scripted', source: 'llm', provenance: { provider: 'local', model: 'scripted', run_id: summary.run_id } });
    expect(hub.requests.count({ route: 'commit', method: 'POST' })).toBeGreaterThan(0);

    const again = await expectRerunPaysNothing(s);
    expect(again.selection).toMatchObject({ already_self_labeled: 60, new: 0 });
    expect(again.commit).toBeNull();
  }, 60_000);

  it('wrong answers (30%, independent per prompt): disagreements are dropped; what is kept is valid', async () => {
    const s = await scenario({ wrongRate: 0.3, errorModel: 'independent' }, { heuristics: { ...testConfig(dir, llmUrl).heuristics, model_agrees: { enabled: false, min_probability: 0 }, per_label_cap: { enabled: false, max_share: 1, min_count: 0 } } });
    const summary = await s.run();
    const records = await expectSound(s, summary);
    expect(summary.heuristics.prompts_agree.rejected).toBeGreaterThan(0);
    expect(records.selfLabeled.length).toBe(summary.kept);
    // 60 texts are too few to measure precision (the benchmark does); agreement must still beat a single answer.
    const right = records.selfLabeled.filter((r) => r.label === truth.get(textKey(r.text))).length;
    expect(right / records.selfLabeled.length).toBeGreaterThan(0.8);
    await expectRerunPaysNothing(s);
  }, 60_000);

  it('slow answers past the timeout: every batch fails, nothing is written, the run ends normally; the next run asks again', async () => {
    const s = await scenario({ delayMs: 400 }, { request: { ...testConfig(dir, llmUrl).request, timeout_s: 0.1, max_retries: 1 } });
    const summary = await s.run();
    expect(summary.status).toBe('nothing_new');
    expect(summary.llm.batches_failed.timeout).toBe(6);
    expect(summary.commit).toBeNull();
    await expectSound(s, summary);
    // A timed-out attempt may be billed: it stays on the budget at its worst case.
    expect(summary.tokens.spent).toBeGreaterThan(0);
    expect(summary.tokens.prompt_reported).toBe(0);

    s.llm.script.delayMs = 0;
    expect((await s.run()).kept).toBe(60);
  }, 60_000);

  it('429s with Retry-After: waits at least as asked, then labels everything', async () => {
    const s = await scenario({ rateLimitEvery: 3, retryAfterSeconds: 2 });
    const summary = await s.run();
    expect(s.llm.stats.statuses[429]).toBeGreaterThan(0);
    expect(s.waits.filter((ms) => ms >= 2000).length).toBe(s.llm.stats.statuses[429]);
    expect(summary.llm.retries).toBe(s.llm.stats.statuses[429]);
    expect(summary.kept).toBe(60);
    await expectSound(s, summary);
    await expectRerunPaysNothing(s);
  }, 60_000);

  it('broken JSON: malformed answers are counted and skipped, never written, and not cached: the next run asks for exactly those texts again', async () => {
    const s = await scenario({ brokenJsonRate: 0.5, seed: 'broken' });
    const summary = await s.run();
    expect(summary.llm.batches_malformed).toBeGreaterThan(0);
    expect(summary.llm.batches_malformed).toBe(s.llm.stats.broken);
    expect(summary.heuristics.answered.rejected).toBeGreaterThan(0);
    const records = await expectSound(s, summary);
    expect(records.selfLabeled.every((r) => r.label === truth.get(textKey(r.text)))).toBe(true);

    const askedOnce = new Set(s.llm.stats.asked.keys());
    const again = await s.run();
    const askedTwice = [...s.llm.stats.asked].filter(([, n]) => n > 1).map(([pair]) => pair);
    // Only pairs answered malformed are asked again (a well-formed answer is never paid for twice)…
    expect(askedTwice.length).toBeGreaterThan(0);
    expect(askedTwice.length).toBeLessThanOrEqual(summary.llm.texts_malformed);
    expect(askedTwice.every((pair) => askedOnce.has(pair))).toBe(true);
    // …and the retried texts that are answered this time get their labels.
    expect(again.kept).toBeGreaterThan(0);
    const after = await s.readBack();
    expect(after.invalid).toEqual([]);
    expect(after.selfLabeled.every((r) => r.label === truth.get(textKey(r.text)))).toBe(true);
    expect(after.selfLabeled.length).toBe(records.selfLabeled.length + again.kept);
  }, 60_000);

  it('a hard budget: stops before it would go over, by the stand-in\'s own count; the next run finishes without asking twice', async () => {
    const s = await scenario({}, { budget: { max_requests: 4, max_tokens: 1_000_000 } });
    const first = await s.run();
    expect(s.llm.stats.requests).toBe(4);
    expect(first.llm.stopped).toMatch(/budget/);
    await expectSound(s, first);
    const tight = await scenario({}, { budget: { max_requests: 100, max_tokens: 2_500 } });
    const second = await tight.run();
    expect(second.requests.refused_by_budget).toBeGreaterThan(0);
    await expectSound(tight, second);

    const rest = await s.run({ budget: { max_requests: 100, max_tokens: 1_000_000 } });
    expect(rest.kept + first.kept).toBe(60);
    expect([...s.llm.stats.asked.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('a run whose kept labels disagree with users\' corrections is discarded, and its answers are still never paid for twice', async () => {
    const s = await scenario({ wrongRate: 0.6, errorModel: 'correlated' }, { heuristics: { ...testConfig(dir, llmUrl).heuristics, model_agrees: { enabled: false, min_probability: 0 }, human_agreement: { enabled: true, audit_texts: 20, min_samples: 5, min_agreement: 0.8 } } });
    const audited = (await readLabelledCsv(VAL_CSV)).slice(100, 120);
    for (const row of audited) truth.set(textKey(row.text), row.label);
    await writeShard(s.repo, settings(), 'feedback', audited.map((row) => newFeedbackRecord({ text: row.text, model_label: 'neutral', correct_label: row.label })));
    const summary = await s.run();
    expect(summary.status).toBe('discarded');
    expect(summary.human_agreement.passed).toBe(false);
    expect(summary.human_agreement.samples).toBeGreaterThanOrEqual(5);
    const records = await expectSound(s, summary);
    expect(records.selfLabeled).toHaveLength(0);
    expect(summary.files).toEqual([expect.stringMatching(/^self_label_answers\//)]);
    await expectRerunPaysNothing(s);
  }, 60_000);

  it('a dry run sends nothing and writes nothing, and estimates the requests', async () => {
    const s = await scenario({});
    const printed: string[] = [];
    const summary = await runSelfLabel({ datasetRepo: s.repo, hub: settings(), config: s.config, endpoint: resolveEndpoint(s.config), workDir: join(dir, 'dry'), dryRun: true, showPrompts: true, print: (t) => printed.push(t), log: () => {} });
    expect(summary.status).toBe('dry_run');
    expect(summary.cost.requests).toBe(12);
    expect(s.llm.stats.requests).toBe(0);
    expect(printed.join('\n')).toContain(rows[0].text.trim().slice(0, 20).replace(/"/g, ''));
    expect((await s.readBack()).selfLabeled).toHaveLength(0);
  }, 60_000);

  it('the CLI: --dry-run prints the prompts and the estimate; a real run without the provider key says which variable to set', async () => {
    const s = await scenario({});
    const configPath = join(dir, 'cli-self-label.json');
    await writeFile(configPath, JSON.stringify({ ...s.config, provider: 'openai', base_url: s.llm.baseUrl }));
    const args = ['self-label', '--config', configPath, '--dataset-repo', s.repo, '--hub-url', hub.url, '--work-dir', join(dir, 'cli')];
    const dry = await spawnTrainer([...args, '--dry-run'], { HF_TOKEN: TOKEN, OPENAI_API_KEY: '' }).done;
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('=== direct-v1: request 1 of 6 ===');
    expect(dry.stdout).toContain('=== author-feeling-v1: request 1 of 6 ===');
    expect(dry.stderr).toMatch(/dry run: 60 texts × 2 prompts ≈ 12 requests, \d+ tokens, \$0\.\d+ \(gpt-4o-mini list price\)/);
    expect(s.llm.stats.requests).toBe(0);
    const noKey = await spawnTrainer(args, { HF_TOKEN: TOKEN, OPENAI_API_KEY: '' }).done;
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('OPENAI_API_KEY is not set');
    const run = await spawnTrainer(args, { HF_TOKEN: TOKEN, OPENAI_API_KEY: 'sk-test-secret' }).done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('**labelled**, kept 60 of 60');
    expect(run.stdout + run.stderr).not.toContain('sk-test-secret');
  }, 60_000);
});
