/**
 * `npm run bench:retrain [-- --feedback <csv>] [--rows 5000]`: wall time and peak memory of one full
 * `retrain` (pull, merge, train, evaluate, publish) on the whole base dataset plus N feedback rows,
 * against the local Hub stand-in. Production is the bundled default model, published as v1 first.
 *
 * The feedback defaults to the first N rows of SST-3's train split from the team's data folder
 * beside the repo (movie reviews: a domain the base model was not trained on); any `text,label`
 * CSV works. They are written as 50 shards, the way the worker's flusher writes them.
 * Writes trainer/bench/results/retrain.json.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLabelledCsv } from '../data/csv';
import { publishFiles, readPublishedState } from '../hub/model-repo';
import { releaseFiles } from '../hub/release';
import { startLocalHub } from '../local-hub/server';
import { bundledModel } from '../retrain/production-model';
import { readRetrainConfig } from '../retrain/retrain-config';
import { runRetrain } from '../retrain/run-retrain';
import { renderSummary } from '../retrain/summary';
import { corrections, writeShard } from '../retrain/retrain.test-helpers';

/** The bench's own local Hub accepts only this token. */
const TOKEN = 'hf_local_bench_token';

const OUT = 'trainer/bench/results/retrain.json';
const { values } = parseArgs({ options: { feedback: { type: 'string', default: '../shared/data/sst3/train.csv' }, rows: { type: 'string', default: '5000' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(`usage: npm run bench:retrain [-- --feedback <text,label CSV>] [--rows 5000]

One full retrain (pull, merge, train, evaluate, publish) against the local Hub stand-in, on the base
dataset plus --rows feedback rows from --feedback (default ../shared/data/sst3/train.csv).
Writes ${OUT}.`);
  process.exit(0);
}
const rows = Number(values.rows);

const feedbackRows = (await readLabelledCsv(values.feedback!).catch((error) => {
  console.error(`cannot read ${values.feedback} (${error.message}): pass --feedback <a text,label CSV>`);
  process.exit(2);
})).slice(0, rows);
if (feedbackRows.length < rows) console.error(`note: ${values.feedback} has only ${feedbackRows.length} rows`);

const dir = await mkdtemp(join(tmpdir(), 'bench-retrain-'));
const hub = await startLocalHub({ token: TOKEN, dir: join(dir, 'hub') });
const settings = { hubUrl: hub.url, accessToken: TOKEN };
try {
  // Production: the bundled default model, as the Hub's v1.
  const { bytes, manifest } = await bundledModel();
  const files = releaseFiles('bench/model', bytes, manifest, await readPublishedState({ ...settings, repo: 'bench/model' }), { reason: 'benchmark fixture' });
  await publishFiles({ ...settings, repo: 'bench/model', files, parentCommit: null });

  const records = corrections(feedbackRows);
  for (let shard = 0; shard < 50; shard++) {
    const size = Math.ceil(records.length / 50);
    await writeShard('bench/feedback', settings, 'feedback', records.slice(shard * size, (shard + 1) * size), `bench${shard}`);
  }
  console.error(`production v1 = bundled model; ${records.length} feedback rows from ${values.feedback} in 50 shards; retraining…`);

  const started = performance.now();
  const result = await runRetrain({
    modelRepo: 'bench/model',
    datasetRepo: 'bench/feedback',
    hub: settings,
    config: await readRetrainConfig(),
    workDir: join(dir, 'work'),
    log: (message) => console.error(`  ${message}`),
  });
  const wallSeconds = (performance.now() - started) / 1000;
  console.error(renderSummary(result));

  const pick = (m: { macro_recall: number; macro_f1: number; accuracy: number; n: number } | undefined) => (m ? { n: m.n, macro_recall: m.macro_recall, macro_f1: m.macro_f1, accuracy: m.accuracy } : null);
  const report = {
    machine: { cpus: availableParallelism(), node: process.version },
    feedback: { source: values.feedback, rows: records.length },
    wall_seconds: wallSeconds,
    steps_seconds: result.timings,
    peak_rss_mib: process.resourceUsage().maxRSS / 1024,
    train_rows: result.merge?.train.rows,
    holdout_rows: result.merge?.holdout.rows,
    status: result.status,
    decision: result.decision?.reason,
    holdout: {
      production: { all: pick(result.production_scores ?? undefined), ...Object.fromEntries((result.slices ?? []).map((s) => [s.slice, pick(s.production)])) },
      candidate: { all: pick(result.candidate ?? undefined), ...Object.fromEntries((result.slices ?? []).map((s) => [s.slice, pick(s.candidate)])) },
    },
    // Everything but training itself: pulling, merging, evaluating both models, publishing.
    ratio_wall_vs_train_step: result.timings.train ? wallSeconds / result.timings.train : null,
  };
  await mkdir('trainer/bench/results', { recursive: true });
  await writeFile(OUT, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
} finally {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
}
