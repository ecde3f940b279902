/**
 * Shared by the retrain tests: small real data (slices of TweetEval from datasets/), a small
 * production model published to a local Hub, and feedback shards written straight into the
 * dataset repo the way the worker's flusher writes them.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commit, createRepo } from '@huggingface/hub';
import { newFeedbackRecord, shardPath, type FeedbackRecord, type LowConfidenceRecord } from '../../shared/feedback-record';
import { LABELS, type Label } from '../../shared/labels';
import { readLabelledCsv, writeLabelledCsv, type LabelledRow } from '../data/csv';
import { publishFiles, readPublishedState } from '../hub/model-repo';
import { releaseFiles } from '../hub/release';
import { trainCandidate } from '../model/train-candidate';
import { parseTrainingConfig } from '../model/training-config';
import { loadModelBytes } from '../onnx/load-model';
import { retrainConfigSchema, type RetrainConfig } from './retrain-config';
import { type HubSettings } from '../../shared/settings';

const TRAIN_CSV = new URL('../../datasets/tweeteval/train.csv', import.meta.url).pathname;
const VAL_CSV = new URL('../../datasets/tweeteval/val.csv', import.meta.url).pathname;

/** The whole TweetEval train split, read once per test file. */
let trainRows: Promise<LabelledRow[]> | null = null;
export const tweetEvalTrain = () => (trainRows ??= readLabelledCsv(TRAIN_CSV));

/** A retrain config over a small base (the first `baseRows` train rows) and the full validation split. */
export async function smallBaseConfig(dir: string, baseRows: number): Promise<RetrainConfig> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, 'base-train.csv');
  await writeFile(base, writeLabelledCsv((await tweetEvalTrain()).slice(0, baseRows)));
  const gate = retrainConfigSchema.parse({}).gate;
  return retrainConfigSchema.parse({
    training_config: 'trainer/configs/default.json',
    base: { train: base, holdout: VAL_CSV },
    // A model trained on 1,500 rows swings by ±10 of the 218 canaries with a few hundred more rows
    // (the full-size models of bench:loop move by 1-3): the canary margin is for full-size models.
    gate: { ...gate, canaries: { max_extra_failures: 20 } },
  });
}

/** Trains a model on the config's base rows and publishes it as the repo's next version (v1 first). */
export async function publishBaseModel(repo: string, hub: HubSettings, config: RetrainConfig): Promise<{ sha: string; onnx: Uint8Array }> {
  const rows = await readLabelledCsv(config.base.train);
  const candidate = await trainCandidate(rows, parseTrainingConfig(JSON.parse(await readFile(config.training_config, 'utf8'))), { version: 'v1', parentVersion: null, source: config.base.train, revision: null, holdout: { name: 'val', rows: await readLabelledCsv(VAL_CSV) } }, () => {});
  const published = await readPublishedState({ ...hub, repo });
  const files = releaseFiles(repo, candidate.onnx, candidate.manifest, published, { reason: 'test fixture' });
  return { sha: await publishFiles({ ...hub, repo, files, parentCommit: published.sha }), onnx: files.model };
}

/** The first `count` rows the model labels wrongly: what users send corrections for. */
export async function mistakesOf(onnx: Uint8Array, rows: readonly LabelledRow[], count: number): Promise<LabelledRow[]> {
  const model = await loadModelBytes(onnx);
  try {
    const predictions = await model.predict(rows.map((row) => row.text));
    const wrong = rows.filter((row, i) => predictions[i].label !== row.label).slice(0, count);
    if (wrong.length < count) throw new Error(`only ${wrong.length} of ${rows.length} rows are mistakes; pass more rows`);
    return wrong;
  } finally {
    await model.release();
  }
}

/** Corrections saying each row's label is right (gold labels), or a seeded random label (poison). */
export function corrections(rows: readonly LabelledRow[], labelOf: (row: LabelledRow, i: number) => Label = (row) => row.label, now = new Date()): FeedbackRecord[] {
  return rows.map((row, i) => newFeedbackRecord({ text: row.text, model_label: 'neutral', correct_label: labelOf(row, i), confidence: 0.5, model_version: 'v1' }, now));
}

/** A deterministic "random" label: the same poison every run. */
export function randomLabel(_row: LabelledRow, i: number): Label {
  const x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
  return LABELS[Math.floor((x - Math.floor(x)) * 3)];
}

/** Writes records as one shard (one commit), the way the worker's flusher writes them, creating the dataset repo if needed. */
export async function writeShard(repo: string, hub: HubSettings, kind: 'feedback' | 'low_confidence', records: ReadonlyArray<FeedbackRecord | LowConfidenceRecord>, flushId = `test${Date.now()}`): Promise<void> {
  const designation = { type: 'dataset' as const, name: repo };
  await createRepo({ repo: designation, hubUrl: hub.hubUrl, accessToken: hub.accessToken!, private: true }).catch((error: { statusCode?: number }) => {
    if (error.statusCode !== 409) throw error;
  });
  const body = records.map((record) => JSON.stringify(record)).join('\n') + '\n';
  await commit({
    repo: designation,
    hubUrl: hub.hubUrl,
    accessToken: hub.accessToken!,
    title: `${kind} shard ${flushId}`,
    operations: [{ operation: 'addOrUpdate', path: shardPath(kind, new Date(), flushId), content: new Blob([body]) }],
  });
}

export interface TrainerProcess {
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Resolves once stderr contains `text` (a step starting, say). */
  waitForLog(text: string): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/** A trainer command (`retrain …`, `monitor …`) as its own process, the way the weekly workflow runs it. */
export function spawnTrainer(args: readonly string[], env: Record<string, string>): TrainerProcess {
  // One process (node with tsx's loader, no npx wrapper), so a signal reaches the trainer itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'trainer/cli.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    for (const waiter of waiters.filter((w) => stderr.includes(w.text))) waiter.resolve();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    done,
    waitForLog: (text) => (stderr.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve }))),
    kill: (signal) => child.kill(signal),
  };
}
