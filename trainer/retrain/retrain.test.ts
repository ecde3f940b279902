/**
 * The weekly pipeline against the local Hub stand-in, through the real @huggingface/hub client,
 * on real data: a small production model (trained on 1,500 TweetEval rows) and feedback shards.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN, useTestHub } from '../local-hub/local-hub.test-helpers';
import { parseHistory } from '../hub/history';
import { readPublishedState } from '../hub/model-repo';
import type { RetrainConfig } from './retrain-config';
import { runRetrain, type RetrainOptions } from './run-retrain';
import { renderSummary } from './summary';
import { corrections, mistakesOf, publishBaseModel, randomLabel, smallBaseConfig, spawnTrainer, tweetEvalTrain, writeShard } from './retrain.test-helpers';

const hub = useTestHub();
let dir: string;
let config: RetrainConfig;
/** 600 corrections of texts the small production model gets wrong (the same model every scenario: training is deterministic). */
let goodCorrections: () => ReturnType<typeof corrections>;
const settings = () => ({ hubUrl: hub.url, accessToken: TOKEN });
let serial = 0;

/** A fresh model repo with a small v1 in production, and an empty dataset repo name. */
async function scenario() {
  const id = ++serial;
  const modelRepo = `team/model-${id}`;
  const datasetRepo = `team/feedback-${id}`;
  const { onnx } = await publishBaseModel(modelRepo, settings(), config);
  if (!goodCorrections) {
    const rows = await mistakesOf(onnx, (await tweetEvalTrain()).slice(1500, 4500), 600);
    goodCorrections = () => corrections(rows);
  }
  const options: RetrainOptions = { modelRepo, datasetRepo, hub: settings(), config, workDir: join(dir, `work-${id}`), log: () => {} };
  const head = async () => (await readPublishedState({ ...settings(), repo: modelRepo })).sha;
  return { modelRepo, datasetRepo, options, head };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retrain-'));
  config = await smallBaseConfig(dir, 1500);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('retrain', () => {
  it('promotes a candidate that learned from good corrections, and publishes it as the next version in one commit', async () => {
    const s = await scenario();
    await writeShard(s.datasetRepo, settings(), 'feedback', goodCorrections());
    const before = await s.head();

    const result = await runRetrain(s.options);

    expect(result.status).toBe('promoted');
    expect(result.merge!.feedback).toMatchObject({ records: 600, texts: 600 });
    expect(result.merge!.feedback.holdout + result.merge!.feedback.train).toBe(600);
    expect(result.decision).toMatchObject({ promote: true, rule: 'feedback-gain' });
    const feedback = result.slices!.find((slice) => slice.slice === 'feedback')!;
    expect(feedback.change.macro_recall.low).toBeGreaterThan(0);
    expect(result.slices!.map((slice) => slice.slice)).toEqual(['base', 'feedback']);
    expect(result.canaries!.candidate.total).toBe(218);
    const published = await readPublishedState({ ...settings(), repo: s.modelRepo });
    expect(published.sha).not.toBe(before);
    expect(published.manifest).toMatchObject({ version: 'v2', parent_version: 'v1', training_data: { revision: result.dataset.revision } });
    expect(result.published).toEqual({ version: 'v2', commit: published.sha });
    // The manifest and the card record the decision, slice by slice, with intervals.
    expect(published.manifest!.promotion).toMatchObject({ rule: 'feedback-gain', replaced: 'v1', confidence: 0.95, reason: result.decision!.reason });
    expect(published.manifest!.promotion!.slices.map((s) => [s.slice, s.n])).toEqual(result.slices!.map((s) => [s.slice, s.n]));
    expect(published.manifest!.promotion!.slices[1].macro_recall.change).toEqual(feedback.change.macro_recall);
    const card = await (await downloadFile({ repo: { type: 'model', name: s.modelRepo }, path: 'README.md', hubUrl: hub.url, accessToken: TOKEN }))!.text();
    expect(card).toContain('## Why this version was promoted');
    expect(card).toMatch(/\| feedback \| \d+ \| \d+\.\d \| \d+\.\d \| \+\d+\.\d \[\+\d+\.\d, \+\d+\.\d\] \|/);
    const history = parseHistory(published.history);
    expect(history.map((h) => [h.version, h.promoted])).toEqual([['v1', true], ['v2', true]]);
    expect(hub.requests.count({ route: 'commit', method: 'POST' })).toBeGreaterThan(0);
    expect(renderSummary(result)).toContain('Promoted: v2 replaces v1');
  }, 120_000);

  it('does not promote a candidate trained on thousands of random corrections, and says which rule blocked it', async () => {
    const s = await scenario();
    const train = await tweetEvalTrain();
    await writeShard(s.datasetRepo, settings(), 'feedback', corrections(train.slice(5000, 8000), randomLabel));
    const before = await s.head();

    const result = await runRetrain(s.options);

    expect(result.status).toBe('not_promoted');
    expect(result.decision!.rule).toBe('feedback-gain');
    expect(result.decision!.reason).toMatch(/^not promoted: rule feedback-gain: feedback slice \(\d+ texts\) macro-recall 0\.\d{4} vs 0\.\d{4}, change [+−]0\.\d{4} \[−0\.\d{4}, [+−]0\.\d{4}\] \(95% CI\); its lower bound must be above \+0\.0000$/);
    expect(renderSummary(result)).toContain('**blocked**');
    const published = await readPublishedState({ ...settings(), repo: s.modelRepo });
    expect(published.manifest!.version).toBe('v1');
    // Only metrics/history.jsonl changed: the candidate is on record, production is not.
    expect(published.sha).toBe(result.history_commit);
    expect(published.sha).not.toBe(before);
    expect(parseHistory(published.history).at(-1)).toMatchObject({ version: null, promoted: false, parent_version: 'v1' });
  }, 120_000);

  it('re-running on an unchanged dataset decides nothing and writes nothing; --force trains again', async () => {
    const s = await scenario();
    await writeShard(s.datasetRepo, settings(), 'feedback', corrections((await tweetEvalTrain()).slice(9000, 9100), randomLabel));
    const first = await runRetrain(s.options);
    expect(first.status).toBe('not_promoted');
    const head = await s.head();
    const commits = hub.requests.count({ route: 'commit' });

    const second = await runRetrain(s.options);
    expect(second.status).toBe('unchanged');
    expect(second.candidate).toBeNull();
    expect(await s.head()).toBe(head);
    expect(hub.requests.count({ route: 'commit' })).toBe(commits);
    expect(renderSummary(second)).toContain('Nothing changed since the last run');

    const forced = await runRetrain({ ...s.options, force: true, dryRun: true });
    expect(forced.status).toBe('not_promoted');
    expect(forced.candidate!.macro_recall).toBe(first.candidate!.macro_recall); // training is deterministic
    expect(forced.slices).toEqual(first.slices); // …and so is the bootstrap
    expect(await s.head()).toBe(head);
  }, 120_000);

  it('a dry run decides but writes nothing to the Hub', async () => {
    const s = await scenario();
    await writeShard(s.datasetRepo, settings(), 'feedback', goodCorrections());
    const head = await s.head();
    const result = await runRetrain({ ...s.options, dryRun: true });
    expect(result.status).toBe('promoted');
    expect(result.published).toBeNull();
    expect(await s.head()).toBe(head);
    expect(renderSummary(result)).toContain('dry run: nothing published');
  }, 120_000);

  it('a run that fails while publishing leaves the Hub as it was, and the next run succeeds', async () => {
    const s = await scenario();
    await writeShard(s.datasetRepo, settings(), 'feedback', goodCorrections());
    const head = await s.head();
    hub.faults.inject({ route: 'commit', status: 503, count: 1 });
    hub.faults.inject({ route: 'lfs-upload', mode: 'drop', count: 10 });
    await expect(runRetrain(s.options)).rejects.toThrow();
    hub.faults.clear();
    expect(await s.head()).toBe(head);
    expect((await readPublishedState({ ...settings(), repo: s.modelRepo })).manifest!.version).toBe('v1');

    const retry = await runRetrain(s.options);
    expect(retry.published?.version).toBe('v2');
  }, 180_000);

  it('a run killed halfway (SIGKILL while training) leaves the Hub as it was', async () => {
    const s = await scenario();
    await writeShard(s.datasetRepo, settings(), 'feedback', goodCorrections());
    const head = await s.head();
    const configPath = join(dir, `retrain-${serial}.json`);
    await writeFile(configPath, JSON.stringify(config));
    const args = ['--config', configPath, '--work-dir', s.options.workDir, '--model-repo', s.modelRepo, '--dataset-repo', s.datasetRepo, '--hub-url', hub.url];

    const run = spawnTrainer(['retrain', ...args], { HF_TOKEN: TOKEN });
    await run.waitForLog('── train');
    run.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stderr).not.toContain('── publish');
    expect(await s.head()).toBe(head);

    const rerun = await spawnTrainer(['retrain', ...args], { HF_TOKEN: TOKEN }).done;
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('Promoted: v2 replaces v1');
  }, 180_000);

  it('monitor fails with a clear message when production is mostly wrong on the newest week of corrections', async () => {
    const s = await scenario();
    await writeShard(s.datasetRepo, settings(), 'feedback', corrections((await tweetEvalTrain()).slice(3000, 3100), randomLabel));
    const configPath = join(dir, `monitor-${serial}.json`);
    await writeFile(configPath, JSON.stringify(config));
    const args = ['monitor', '--config', configPath, '--work-dir', s.options.workDir, '--model-repo', s.modelRepo, '--dataset-repo', s.datasetRepo, '--hub-url', hub.url];

    const run = await spawnTrainer(args, { HF_TOKEN: TOKEN, GITHUB_ACTIONS: 'true' }).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/🚨 \*\*ALERT\*\*: production v1 is right on only \d+\.\d% of 100 feedback since/);
    expect(run.stderr).toMatch(/::error title=correction_accuracy::production v1 is right on only/);
  }, 120_000);
});
