/**
 * `npm run bench:train`: wall time and peak memory of training the default model on the full
 * TweetEval train split, with the default config's featurizer and with featurizer v1 (the
 * previous model's) in the same run, and the same for scikit-learn side by side when python3 has
 * it (Debian: apt-get install python3-sklearn). Writes trainer/bench/results/train.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { cleanRows } from '../data/clean';
import { readLabelledCsv } from '../data/csv';
import { exportOnnxModel } from '../export/onnx-model';
import { predictTexts, trainModel } from '../model/train-model';
import { parseTrainingConfig } from '../model/training-config';
import { computeMetrics } from '../evaluate/metrics';
import { labelIndex } from '../../shared/labels';
import type { FeaturizerVersion } from '../../shared/featurizer/index';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: npm run bench:train [-- --no-baseline]

Trains the default model (trainer/configs/default.json) on datasets/tweeteval/train.csv with its
featurizer and with featurizer v1, then scikit-learn on the same split (python3-sklearn from Debian;
--no-baseline skips it). Prints and writes trainer/bench/results/train.json.`);
  process.exit(0);
}

const TRAIN = 'datasets/tweeteval/train.csv';
const VALIDATION = 'datasets/tweeteval/val.csv';
const CONFIG = 'trainer/configs/default.json';
const OUT = 'trainer/bench/results/train.json';

async function benchOurs(featurizerVersion?: FeaturizerVersion) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const file = JSON.parse(await readFile(CONFIG, 'utf8'));
  const config = parseTrainingConfig(featurizerVersion ? { ...file, featurizer: { ...file.featurizer, version: featurizerVersion } } : file);
  const { rows } = cleanRows(await readLabelledCsv(TRAIN));
  const { model, stats } = trainModel(rows, config, (message) => console.error(`  ${message}`));
  const onnx = exportOnnxModel(model, { modelVersion: 'v1', createdAt: new Date().toISOString() });
  const totalSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);

  const validation = await readLabelledCsv(VALIDATION);
  const probabilities = predictTexts(model, validation.map((row) => row.text));
  const metrics = computeMetrics(validation.map((row) => labelIndex(row.label)), probabilities);
  return {
    implementation: `edge-sentiment (TypeScript), featurizer v${config.featurizer.version}`,
    total_seconds: totalSeconds,
    // CPU time of all threads: steadier than wall time when other processes share the machine.
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    vectorize_seconds: stats.vectorizeSeconds,
    solve_seconds: stats.solveSeconds,
    iterations: stats.iterations,
    peak_rss_mib: process.resourceUsage().maxRSS / 1024, // of the process so far: the second run's includes the first's
    features: stats.vocabularySize,
    onnx_mib: onnx.length / 2 ** 20,
    validation: { macro_recall: metrics.macro_recall, macro_f1: metrics.macro_f1, accuracy: metrics.accuracy },
  };
}

function benchScikitLearn(): Record<string, unknown> | null {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' });
  } catch {
    console.error('scikit-learn not found for /usr/bin/python3 (apt-get install python3-sklearn): baseline skipped');
    return null;
  }
  console.error('training the scikit-learn baseline on the same split…');
  const output = execFileSync('/usr/bin/python3', ['trainer/bench/sklearn_train.py', TRAIN, VALIDATION], { encoding: 'utf8' });
  return JSON.parse(output);
}

console.error(`training the default model (${CONFIG}) on ${TRAIN}…`);
const ours = await benchOurs();
console.error('training the same config with featurizer v1…');
const oursV1 = await benchOurs(1);
// --no-baseline: skip scikit-learn (about a minute alone), e.g. when only the featurizer changed.
const baseline = process.argv.includes('--no-baseline') ? null : benchScikitLearn();
const result = {
  machine: { cpus: availableParallelism(), node: process.version },
  ours,
  ours_featurizer_v1: oursV1,
  baseline,
  ratio_time_vs_featurizer_v1: ours.total_seconds / oursV1.total_seconds,
  ratio_cpu_vs_featurizer_v1: ours.cpu_seconds / oursV1.cpu_seconds,
  ratio_time_vs_baseline: baseline ? ours.total_seconds / (baseline.total_seconds as number) : null,
};
await mkdir('trainer/bench/results', { recursive: true });
await writeFile(OUT, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
