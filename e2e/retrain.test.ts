/**
 * The self-improvement loop end to end (`npm run e2e`), offline, on the local Hub stand-in:
 *  1. a small model (1,500 TweetEval rows) is in production on the Hub; the Node server follows it;
 *  2. users post 600 corrections through POST /v1/feedback (the server also logs its own
 *     low-confidence predictions); the capture flusher commits them to the dataset repo;
 *  3. `trainer retrain` runs as its own process, as the weekly workflow runs it;
 *  4. a better candidate is published, and the running server serves it within one check interval.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../shared/test/temp-dir.test-helpers';
import { startCapturingServer, type CapturingServer } from '../worker/adapter/node/capturing-server.test-helpers';
import { TOKEN, useTestHub } from '../trainer/local-hub/local-hub.test-helpers';
import { readPublishedState } from '../trainer/hub/model-repo';
import type { RetrainResult } from '../trainer/retrain/run-retrain';
import { publishBaseModel, smallBaseConfig, spawnTrainer, tweetEvalTrain } from '../trainer/retrain/retrain.test-helpers';

const MODEL_REPO = 'team/sentiment';
const DATASET_REPO = 'team/sentiment-feedback';
const CHECK_INTERVAL_MS = 2_000;

const hub = useTestHub();
const tmp = useTempDir('e2e-');
let configPath: string;
let node: CapturingServer;

beforeAll(async () => {
  const config = await smallBaseConfig(tmp.path, 1500);
  configPath = join(tmp.path, 'retrain.json');
  await writeFile(configPath, JSON.stringify(config));
  await publishBaseModel(MODEL_REPO, { hubUrl: hub.url, accessToken: TOKEN }, config);

  node = await startCapturingServer({
    hubUrl: hub.url,
    token: TOKEN,
    capturePath: join(tmp.path, 'capture.sqlite'),
    datasetRepo: DATASET_REPO,
    hubModel: { repo: MODEL_REPO, hubUrl: hub.url, accessToken: TOKEN, checkIntervalMs: CHECK_INTERVAL_MS },
  });
}, 120_000);

afterAll(async () => {
  await node?.close();
});

const servingVersion = async () => ((await (await fetch(`${node.server.url}/health`)).json()) as { version: string | null }).version;
/** Polls /health until it reports `version`; returns how long that took. */
async function waitForVersion(version: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while ((await servingVersion()) !== version && Date.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 50));
  return Date.now() - started;
}

describe('end to end: feedback → retrain → a better model serves, without a restart', () => {
  it('publishes a better candidate and the running server reports it within one check interval', async () => {
    await waitForVersion('v1', 30_000);
    expect(await servingVersion()).toBe('v1');

    // Users correct the first 600 predictions that were wrong (texts the production model never saw, with their true labels).
    const texts = (await tweetEvalTrain()).slice(1500, 4500);
    let corrected = 0;
    for (let i = 0; i < texts.length && corrected < 600; i += 50) {
      await Promise.all(
        texts.slice(i, i + 50).map(async ({ text, label }) => {
          const prediction = await node.post('/v1/sentiment', { text });
          expect(prediction.status).toBe(200);
          if (prediction.body.label === label || corrected >= 600) return;
          corrected++;
          const feedback = await node.post('/v1/feedback', { text, model_label: prediction.body.label, correct_label: label, confidence: prediction.body.confidence, model_version: prediction.body.model_version, source: 'e2e-app' });
          expect(feedback.status).toBe(202);
        }),
      );
    }
    expect(await node.flushAll()).toBe(0);

    const run = await spawnTrainer(['retrain', '--config', configPath, '--work-dir', join(tmp.path, 'work'), '--model-repo', MODEL_REPO, '--dataset-repo', DATASET_REPO, '--hub-url', hub.url], {
      HF_TOKEN: TOKEN,
      GITHUB_STEP_SUMMARY: join(tmp.path, 'step-summary.md'),
    }).done;
    expect(run.code, run.stderr).toBe(0);
    console.log(run.stdout);
    expect(run.stdout).toContain('Promoted: v2 replaces v1');
    expect(await readFile(join(tmp.path, 'step-summary.md'), 'utf8')).toContain('Promoted: v2 replaces v1');
    expect(run.stderr).toMatch(/── pull[\s\S]*── merge[\s\S]*── train[\s\S]*── evaluate[\s\S]*── publish/);

    const published = await readPublishedState({ repo: MODEL_REPO, hubUrl: hub.url, accessToken: TOKEN });
    expect(published.manifest!.version).toBe('v2');
    const waited = await waitForVersion('v2', 5 * CHECK_INTERVAL_MS);
    console.log(`the server reported v2 ${waited} ms after the retrain process exited (check interval ${CHECK_INTERVAL_MS} ms)`);
    // One check interval, plus the time that check takes to download and load the new model (generous: CI machines are loaded).
    expect(waited).toBeLessThan(CHECK_INTERVAL_MS + 5_000);
    expect((await node.post('/v1/sentiment', { text: 'what a great day' })).body.model_version).toBe('v2');

    const result = JSON.parse(await readFile(join(run.stdout.match(/Files: `([^`]+)`/)![1], 'result.json'), 'utf8')) as RetrainResult;
    expect(result.merge!.feedback.records).toBe(600);
    expect(result.merge!.low_confidence.records).toBeGreaterThan(0);
    expect(result.slices!.map((slice) => slice.slice)).toEqual(['base', 'feedback', 'source:e2e-app']);
    for (const slice of result.slices!) {
      console.log(`${slice.slice} (${slice.n} texts): macro-recall ${slice.production.macro_recall.toFixed(4)} → ${slice.candidate.macro_recall.toFixed(4)} [${slice.change.macro_recall.low.toFixed(4)}, ${slice.change.macro_recall.high.toFixed(4)}]`);
    }
  }, 240_000);
});
