/** The weekly pipeline's steps run alone from the CLI: pull, then merge; and retrain's one-line errors. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabelledCsv } from '../data/csv';
import { TOKEN, useTestHub } from '../local-hub/local-hub.test-helpers';
import { corrections, smallBaseConfig, spawnTrainer, tweetEvalTrain, writeShard } from '../retrain/retrain.test-helpers';

/** A trainer command in its own process, with no Hub settings from the environment unless given. */
const trainer = (args: string[], env: Record<string, string> = {}) => spawnTrainer(args, { HF_TOKEN: '', HF_MODEL_REPO: '', HF_DATASET_REPO: '', ...env }).done;
async function succeeds(args: string[], env?: Record<string, string>): Promise<string> {
  const run = await trainer(args, env);
  if (run.code !== 0) throw new Error(`trainer ${args[0]} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

const hub = useTestHub();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipeline-steps-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pipeline steps from the CLI', () => {
  it('pull writes the shards and their revision; merge turns them into train.csv and holdout.csv with a report', async () => {
    await writeShard('team/feedback', { hubUrl: hub.url, accessToken: TOKEN }, 'feedback', corrections((await tweetEvalTrain()).slice(2000, 2200)));
    const pulled = JSON.parse(await succeeds(['pull', '--dataset-repo', 'team/feedback', '--out', join(dir, 'dataset'), '--hub-url', hub.url], { HF_TOKEN: TOKEN }));
    expect(pulled).toMatchObject({ repo: 'team/feedback', shards: 1, feedback: 200, low_confidence: 0, invalid_lines: [] });
    expect(pulled.revision).toMatch(/^[0-9a-f]{40}$/);

    const configPath = join(dir, 'retrain.json');
    await writeFile(configPath, JSON.stringify(await smallBaseConfig(dir, 1000)));
    const report = JSON.parse(await succeeds(['merge', '--dataset-dir', join(dir, 'dataset'), '--out', join(dir, 'merged'), '--config', configPath]));
    expect(report.feedback).toMatchObject({ records: 200, texts: 200 });
    expect(report.train.rows).toBe(1000 + report.feedback.new_texts);
    const holdout = parseLabelledCsv(await readFile(join(dir, 'merged', 'holdout.csv'), 'utf8'));
    expect(holdout).toHaveLength(2000 + report.feedback.holdout);
  }, 60_000);

  it('retrain explains missing settings in one line, before doing any work', async () => {
    const noRepos = await trainer(['retrain']);
    expect(noRepos.code).toBe(2);
    expect(noRepos.stderr).toContain('error: missing --model-repo or --dataset-repo (or HF_MODEL_REPO, HF_DATASET_REPO)');

    const requests = hub.requests.count();
    const noToken = await trainer(['retrain', '--model-repo', 'team/model', '--dataset-repo', 'team/feedback', '--hub-url', hub.url]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr.trim()).toBe('error: HF_TOKEN is not set: retrain writes to the model repo at the end; set a write token (hf_…) or use --dry-run');
    expect(hub.requests.count()).toBe(requests);
  }, 60_000);
});
