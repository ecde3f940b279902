/**
 * Self-labelling end to end, offline: the Node server logs its low-confidence predictions to the
 * dataset repo on the local Hub; `trainer retrain --self-label` runs as its own process, asks the
 * local stand-in (right 70% of the time, errors half shared by both prompts) for labels, commits
 * them, and trains on them at their reduced weight; the gate decides as usual. Whatever it
 * decides, a promoted candidate is never worse than production on the holdout, and no
 * self-labelled text is in the holdout.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../shared/test/temp-dir.test-helpers';
import { startCapturingServer, type CapturingServer } from '../worker/adapter/node/capturing-server.test-helpers';
import { textKey } from '../trainer/data/clean';
import { parseLabelledCsv, type LabelledRow } from '../trainer/data/csv';
import { startLocalLlm, type LocalLlm } from '../trainer/local-llm/server';
import { TOKEN, useTestHub } from '../trainer/local-hub/local-hub.test-helpers';
import type { RetrainConfig } from '../trainer/retrain/retrain-config';
import type { RetrainResult } from '../trainer/retrain/run-retrain';
import { publishBaseModel, smallBaseConfig, spawnTrainer, tweetEvalTrain } from '../trainer/retrain/retrain.test-helpers';
import { selfLabelConfigSchema } from '../trainer/self-label/settings';

const MODEL_REPO = 'team/sentiment';
const DATASET_REPO = 'team/sentiment-feedback';

const hub = useTestHub();
let llm: LocalLlm;
const tmp = useTempDir('self-label-e2e-');
let config: RetrainConfig;
let node: CapturingServer;
let texts: LabelledRow[];

beforeAll(async () => {
  config = await smallBaseConfig(tmp.path, 1500);
  await publishBaseModel(MODEL_REPO, { hubUrl: hub.url, accessToken: TOKEN }, config);
  texts = (await tweetEvalTrain()).slice(1500, 2700);
  llm = await startLocalLlm({ truth: new Map(texts.map((r) => [textKey(r.text), r.label])), wrongRate: 0.3, errorModel: 'mixed', seed: 'e2e' });

  node = await startCapturingServer({ hubUrl: hub.url, token: TOKEN, capturePath: join(tmp.path, 'capture.sqlite'), datasetRepo: DATASET_REPO, intake: { lowConfidenceMaxPerMinute: 0 } });
}, 120_000);

afterAll(async () => {
  await node?.close();
  await llm?.close();
});

/** A retrain config file with self-labelling on, through the stand-in, with these heuristics. */
async function retrainConfigFile(name: string, heuristics?: Record<string, unknown>): Promise<string> {
  const selfLabelPath = join(tmp.path, `${name}-self-label.json`);
  const selfLabel = selfLabelConfigSchema.parse({ provider: 'local', base_url: llm.baseUrl, cache_file: join(tmp.path, `${name}-answers.jsonl`), ...(heuristics ? { heuristics } : {}) });
  await writeFile(selfLabelPath, JSON.stringify(selfLabel));
  const path = join(tmp.path, `${name}-retrain.json`);
  await writeFile(path, JSON.stringify({ ...config, self_label: { enabled: false, config: selfLabelPath, training_weight: 0.5 } }));
  return path;
}

async function retrain(name: string, configPath: string): Promise<{ stdout: string; result: RetrainResult; holdout: LabelledRow[] }> {
  const run = await spawnTrainer(['retrain', '--self-label', '--config', configPath, '--work-dir', join(tmp.path, name), '--model-repo', MODEL_REPO, '--dataset-repo', DATASET_REPO, '--hub-url', hub.url], { HF_TOKEN: TOKEN }).done;
  expect(run.code, run.stderr).toBe(0);
  const runDir = run.stdout.match(/Files: `([^`]+)`/)![1];
  const result = JSON.parse(await readFile(join(runDir, 'result.json'), 'utf8')) as RetrainResult;
  return { stdout: run.stdout, result, holdout: parseLabelledCsv(await readFile(join(runDir, 'holdout.csv'), 'utf8')) };
}

/** What the gate promises: a promoted candidate passed every blocking rule (feedback gain, base non-inferior, canaries). */
function expectNeverWorsePromoted(result: RetrainResult) {
  expect(result.decision).not.toBeNull();
  if (result.status !== 'promoted') return;
  expect(result.decision!.checks.filter((check) => check.blocking && !check.passed)).toEqual([]);
  const base = result.slices!.find((slice) => slice.slice === 'base')!;
  expect(base.candidate.macro_recall).toBeGreaterThanOrEqual(base.production.macro_recall - config.gate.base.max_macro_recall_drop);
}

describe('end to end: captured low-confidence texts → self-label → retrain', () => {
  it('labels what the server logged, trains on it, and the gate decides as usual', async () => {
    for (let i = 0; i < texts.length; i += 100) {
      await Promise.all(
        texts.slice(i, i + 100).map(async ({ text }) => {
          expect((await node.post('/v1/sentiment', { text })).status).toBe(200);
        }),
      );
    }
    expect(await node.flushAll()).toBe(0);

    // Default heuristics.
    const { stdout, result, holdout } = await retrain('defaults', await retrainConfigFile('defaults'));
    console.log(stdout);
    const selfLabel = result.self_label!;
    expect(selfLabel.status).toBe('labelled');
    expect(selfLabel.selection.low_confidence_texts).toBeGreaterThan(100);
    expect(selfLabel.kept).toBeGreaterThan(0);
    expect(result.merge!.self_labeled.used).toBe(selfLabel.kept);
    expect(result.merge!.train.per_source.self_labeled).toBe(selfLabel.kept);
    expect(stdout).toContain('### Self-labelling');
    expect(stdout).toMatch(/\| self-labelled \| \d+ \| \d+ \| 0 \|.*training weight 0\.5/);
    const holdoutKeys = new Set(holdout.map((r) => textKey(r.text)));
    expect(texts.some((r) => holdoutKeys.has(textKey(r.text)))).toBe(false);
    expectNeverWorsePromoted(result);

    // Every check off: all the remaining 70%-right labels (about 30% wrong) go into training, on top
    // of the first run's; no text is asked twice under a prompt; the gate still holds.
    const off = { prompts_agree: false, no_correction_conflict: false, confidence_floor: { enabled: false, min: 0 }, model_agrees: { enabled: false, min_probability: 0 }, per_label_cap: { enabled: false, max_share: 1, min_count: 0 }, human_agreement: { enabled: false, audit_texts: 0, min_samples: 1, min_agreement: 0 } };
    const unchecked = await retrain('unchecked', await retrainConfigFile('unchecked', off));
    console.log(unchecked.stdout);
    expect(unchecked.result.self_label!.kept).toBe(unchecked.result.self_label!.judged);
    expect(unchecked.result.self_label!.selection.already_self_labeled).toBe(selfLabel.kept);
    expect(unchecked.result.merge!.self_labeled.used).toBe(selfLabel.kept + unchecked.result.self_label!.kept);
    expect([...llm.stats.asked.values()].every((n) => n === 1)).toBe(true);
    expectNeverWorsePromoted(unchecked.result);
    console.log(
      `kept ${selfLabel.kept}/${selfLabel.judged} with the default checks, ${unchecked.result.self_label!.kept}/${unchecked.result.self_label!.judged} with none; ` +
        `decisions: ${result.status} (macro-recall ${result.production_scores!.macro_recall.toFixed(4)} → ${result.candidate!.macro_recall.toFixed(4)}), ` +
        `${unchecked.result.status} (→ ${unchecked.result.candidate!.macro_recall.toFixed(4)})`,
    );
  }, 300_000);
});
