/**
 * `pull`: copies the dataset repo's record shards (feedback/, low_confidence/, self_labeled/) at
 * its current head into a local folder, and records which revision that was. Shards are
 * append-only and never rewritten, so a shard already on disk is not downloaded again. The base
 * dataset (`base/train.csv`, `base/validation.csv`, see push-base.ts), when the repo has it, is
 * fetched at the same revision whenever its content changed.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { datasetInfo, downloadFile, listFiles, type RepoDesignation } from '@huggingface/hub';
import { z } from 'zod';
import { DATASET_REPO_FILES, type HubAccess, type HubRepoParams } from '../../shared/hub-repos';

const BASE_FILES = DATASET_REPO_FILES.base;

export const PULL_MANIFEST = 'revision.json';

export const pulledDatasetSchema = z.object({
  repo: z.string(),
  /** Head commit the shards were read at; null when the repo does not exist yet (no feedback so far). */
  revision: z.string().nullable(),
  pulled_at: z.string(),
  files: z.array(z.string()),
  /** Local paths (inside the pull folder) of the repo's base dataset at `revision`; null when the repo has none. */
  base: z.object({ train: z.string(), validation: z.string() }).nullable().default(null),
});
export type PulledDataset = z.infer<typeof pulledDatasetSchema>;

const DOWNLOAD_CONCURRENCY = 8;

/** Where `retrain` and `monitor` keep a dataset repo's shards between runs. */
export const datasetCacheDir = (workDir: string, repo: string) => join(workDir, 'dataset', repo.replace('/', '__'));

export interface PullParams extends HubRepoParams {
  /** Local folder the shards are copied into. */
  dir: string;
  log: (message: string) => void;
  /** Which top-level folders' JSONL files to copy (the record shards by default). */
  folders?: readonly string[];
}

export async function pullDataset({ repo, dir, log, folders = DATASET_REPO_FILES.recordFolders, ...access }: PullParams): Promise<PulledDataset> {
  const designation: RepoDesignation = { type: 'dataset', name: repo };
  const { hubUrl, accessToken, fetch } = access;
  const revision = await headRevision(repo, access);
  const files: string[] = [];
  const baseOids = new Map<string, string>();
  if (revision) {
    for await (const entry of listFiles({ repo: designation, revision, recursive: true, hubUrl, accessToken, fetch })) {
      if (entry.type !== 'file') continue;
      if (folders.includes(entry.path.split('/')[0]) && entry.path.endsWith('.jsonl')) files.push(entry.path);
      else if (entry.path === BASE_FILES.train || entry.path === BASE_FILES.validation) baseOids.set(entry.path, entry.oid ?? revision);
    }
    files.sort();
  }
  log(revision ? `${repo}@${revision.slice(0, 12)}: ${files.length} shards` : `${repo} does not exist yet: no feedback to pull`);

  const download = async (path: string, target: string) => {
    const blob = await downloadFile({ repo: designation, path, revision: revision!, hubUrl, accessToken, fetch });
    if (!blob) throw new Error(`${path} is listed at ${revision} but could not be downloaded`);
    await mkdir(dirname(target), { recursive: true });
    // Written under a temporary name first: an interrupted pull never leaves half a file.
    await writeFile(`${target}.partial`, new Uint8Array(await blob.arrayBuffer()));
    await rename(`${target}.partial`, target);
  };
  const missing = files.filter((path) => !existsSync(join(dir, path)));
  let done = 0;
  const next = missing.values();
  const worker = async () => {
    for (let path = next.next(); !path.done; path = next.next()) {
      await download(path.value, join(dir, path.value));
      if (++done % 100 === 0 || done === missing.length) log(`downloaded ${done}/${missing.length} new shards`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DOWNLOAD_CONCURRENCY, missing.length) }, worker));
  if (files.length > 0 && missing.length === 0) log('all shards were already on disk');

  // The base can be pushed again, so its files are kept by content (git oid), not by path.
  let base: PulledDataset['base'] = null;
  if (baseOids.size === 2) {
    const local = (path: string) => join('base', `${baseOids.get(path)}-${path.split('/').pop()}`);
    base = { train: local(BASE_FILES.train), validation: local(BASE_FILES.validation) };
    for (const path of [BASE_FILES.train, BASE_FILES.validation]) if (!existsSync(join(dir, local(path)))) await download(path, join(dir, local(path)));
    log(`base dataset from the repo: ${BASE_FILES.train}, ${BASE_FILES.validation}`);
  } else if (baseOids.size === 1) {
    log(`${repo} has only one of ${BASE_FILES.train} and ${BASE_FILES.validation}: not using either (run push-base again)`);
  }

  const pulled: PulledDataset = { repo, revision, pulled_at: new Date().toISOString(), files, base };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, PULL_MANIFEST), JSON.stringify(pulled, null, 2) + '\n');
  return pulled;
}

export async function readPullManifest(dir: string): Promise<PulledDataset> {
  const path = join(dir, PULL_MANIFEST);
  if (!existsSync(path)) throw new Error(`${path} not found: run \`trainer pull\` first`);
  return pulledDatasetSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}

async function headRevision(repo: string, { hubUrl, accessToken, fetch }: HubAccess): Promise<string | null> {
  try {
    const info = await datasetInfo({ name: repo, hubUrl, accessToken, fetch, additionalFields: ['sha'] });
    const sha = (info as { sha?: string }).sha;
    if (!sha) throw new Error(`the Hub did not say which commit ${repo} is at`);
    return sha;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}
