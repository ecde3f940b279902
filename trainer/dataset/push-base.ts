/**
 * `push-base`: uploads the base dataset (train and validation CSVs) to the dataset repo under
 * `base/`, with the dataset card as README.md, in one commit. `retrain` then reads the base from
 * the repo (at the revision it pulls) instead of from `datasets/`.
 */
import { readFile } from 'node:fs/promises';
import { commit, createRepo, type RepoDesignation } from '@huggingface/hub';
import { parseLabelledCsv } from '../data/csv';
import { DATASET_REPO_FILES, type HubRepoParams } from '../../shared/hub-repos';
import { renderDatasetCard } from './dataset-card';

const BASE_FILES = DATASET_REPO_FILES.base;

export interface PushBaseOptions extends HubRepoParams {
  /** Local CSVs (text,label). */
  train: string;
  validation: string;
  /** One line on where the base comes from, for the card. */
  source?: string;
  log?: (message: string) => void;
}

export async function pushBase({ repo, hubUrl, accessToken, fetch, train, validation, source = 'TweetEval sentiment (SemEval-2017 Task 4A, English tweets)', log = () => {} }: PushBaseOptions): Promise<{ commit: string; rows: { train: number; validation: number } }> {
  if (!accessToken) throw new Error('HF_TOKEN is not set: push-base writes to the dataset repo; set a write token (hf_…)');
  const [trainText, validationText] = await Promise.all([readFile(train, 'utf8'), readFile(validation, 'utf8')]);
  // Parsed first: a file that would not load at retrain time is refused now.
  const rows = { train: parseLabelledCsv(trainText, train).length, validation: parseLabelledCsv(validationText, validation).length };
  const designation: RepoDesignation = { type: 'dataset', name: repo };
  await createRepo({ repo: designation, hubUrl, accessToken, fetch, private: true }).catch((error: { statusCode?: number }) => {
    if (error.statusCode !== 409) throw error;
  });
  const card = renderDatasetCard({ repo, base: { train: { path: BASE_FILES.train, rows: rows.train }, validation: { path: BASE_FILES.validation, rows: rows.validation }, source } });
  log(`uploading ${BASE_FILES.train} (${rows.train} rows), ${BASE_FILES.validation} (${rows.validation} rows) and README.md to ${repo}`);
  const result = await commit({
    repo: designation,
    hubUrl,
    accessToken,
    fetch,
    title: `Base dataset: ${rows.train} train, ${rows.validation} validation rows`,
    operations: [
      { operation: 'addOrUpdate', path: BASE_FILES.train, content: new Blob([trainText]) },
      { operation: 'addOrUpdate', path: BASE_FILES.validation, content: new Blob([validationText]) },
      { operation: 'addOrUpdate', path: DATASET_REPO_FILES.card, content: new Blob([card]) },
    ],
  });
  const sha = result?.commit.oid;
  if (!sha) throw new Error(`the Hub did not return a commit for ${repo}`);
  log(`committed ${sha}`);
  return { commit: sha, rows };
}
