/**
 * The two Hub repos the product reads and writes, and how a Hub call is addressed. The trainer
 * publishes into the model repo and the worker serves from it; the worker captures into the
 * dataset repo and the trainer pulls from it: both sides name the files through this module.
 */
import { DATASET_RECORD_KINDS } from './feedback-record';

/** How every Hub call is made: the same fields @huggingface/hub's functions take. */
export interface HubAccess {
  /** HF_ENDPOINT; @huggingface/hub's default (the public Hub) when absent. */
  hubUrl?: string;
  /** HF_TOKEN; anonymous when absent (public repos only, read only). */
  accessToken?: string;
  /** Default: the global fetch. Tests and runtimes pass their own (timeouts, fault injection). */
  fetch?: typeof fetch;
}

/** A Hub call on one repo, by name (`owner/name`). */
export interface HubRepoParams extends HubAccess {
  repo: string;
}

/** The model repo: every published version is one commit of these files. */
export const MODEL_REPO_FILES = {
  model: 'model.onnx',
  manifest: 'manifest.json',
  card: 'README.md',
  /** One JSON line per trained candidate, promoted or not. */
  history: 'metrics/history.jsonl',
} as const;

/** The dataset repo: a base dataset (push-base) and append-only JSONL record shards (shardPath). */
export const DATASET_REPO_FILES = {
  card: 'README.md',
  base: { train: 'base/train.csv', validation: 'base/validation.csv' },
  /** Top-level folders of record shards, one per record kind. */
  recordFolders: DATASET_RECORD_KINDS,
} as const;
