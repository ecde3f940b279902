/**
 * The model repo on the Hub (layout: shared/hub-repos.ts): model.onnx, manifest.json, README.md
 * (model card) and metrics/history.jsonl (one line per trained candidate). Every promotion is one
 * commit. Each call takes @huggingface/hub's own fields ({ repo, hubUrl, accessToken, fetch }).
 */
import { commit, createRepo, downloadFile, modelInfo, type RepoDesignation } from '@huggingface/hub';
import { MODEL_REPO_FILES, type HubRepoParams } from '../../shared/hub-repos';
import { manifestSchema, type Manifest } from '../../shared/manifest';

export interface PublishedState {
  /** Head commit of main; null when the repo does not exist yet. */
  sha: string | null;
  manifest: Manifest | null;
  history: string;
}

const modelRepo = (name: string): RepoDesignation => ({ type: 'model', name });

/** The repo's head and current manifest: what a new version builds on. */
export async function readPublishedState({ repo, hubUrl, accessToken, fetch }: HubRepoParams): Promise<PublishedState> {
  let sha: string | null;
  try {
    const info = await modelInfo({ name: repo, hubUrl, accessToken, fetch, additionalFields: ['sha'] });
    sha = (info as { sha?: string }).sha ?? null;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return { sha: null, manifest: null, history: '' };
    throw error;
  }
  const read = async (path: string) => {
    const blob = await downloadFile({ repo: modelRepo(repo), path, revision: sha ?? 'main', hubUrl, accessToken, fetch });
    return blob ? await blob.text() : null;
  };
  const manifestText = await read(MODEL_REPO_FILES.manifest);
  return {
    sha,
    manifest: manifestText ? manifestSchema.parse(JSON.parse(manifestText)) : null,
    history: (await read(MODEL_REPO_FILES.history)) ?? '',
  };
}

export interface PublishFiles {
  model: Uint8Array;
  manifest: Manifest;
  card: string;
  history: string;
}

/** The files of one release exactly as they are committed (so a dry run can state their sizes). */
export function releaseContents(files: PublishFiles): Record<string, Blob> {
  const text = (content: string) => new Blob([content], { type: 'text/plain' });
  return {
    [MODEL_REPO_FILES.model]: new Blob([files.model as Uint8Array<ArrayBuffer>]),
    [MODEL_REPO_FILES.manifest]: text(JSON.stringify(files.manifest, null, 2) + '\n'),
    [MODEL_REPO_FILES.card]: text(files.card),
    [MODEL_REPO_FILES.history]: text(files.history),
  };
}

/**
 * Pushes all files as one commit on top of `parentCommit` (fails if someone published in between);
 * a null parent creates the repo first. Returns the new commit.
 */
export async function publishFiles({ repo, hubUrl, accessToken, fetch, files, parentCommit }: HubRepoParams & { files: PublishFiles; parentCommit: string | null }): Promise<string> {
  if (!accessToken) throw new Error('HF_TOKEN is not set: publishing needs a Hugging Face token with write access (hf_…)');
  if (!parentCommit) await createRepo({ repo: modelRepo(repo), hubUrl, accessToken, fetch });
  const result = await commit({
    repo: modelRepo(repo),
    hubUrl,
    accessToken,
    fetch,
    title: `Publish ${files.manifest.version}`,
    description: `macro-recall ${files.manifest.metrics?.macro_recall ?? 'n/a'} on ${files.manifest.metrics?.dataset ?? 'no holdout'}; parent ${files.manifest.parent_version ?? 'none'}`,
    parentCommit: parentCommit ?? undefined,
    operations: Object.entries(releaseContents(files)).map(([path, content]) => ({ operation: 'addOrUpdate' as const, path, content })),
  });
  if (!result?.commit.oid) throw new Error('the Hub did not return a commit');
  return result.commit.oid;
}

/** model.onnx at a commit (the model production serves). */
export async function downloadModel({ repo, hubUrl, accessToken, fetch, revision }: HubRepoParams & { revision: string }): Promise<Uint8Array> {
  const blob = await downloadFile({ repo: modelRepo(repo), path: MODEL_REPO_FILES.model, revision, hubUrl, accessToken, fetch });
  if (!blob) throw new Error(`${repo}@${revision.slice(0, 12)} has a manifest but no ${MODEL_REPO_FILES.model}`);
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * Records a candidate that was not promoted: one commit that only touches metrics/history.jsonl.
 * Workers see the same manifest at the new head, so nothing reloads.
 */
export async function commitHistory({ repo, hubUrl, accessToken, fetch, history, parentCommit, title }: HubRepoParams & { history: string; parentCommit: string; title: string }): Promise<string> {
  if (!accessToken) throw new Error('HF_TOKEN is not set: recording history needs a Hugging Face token with write access (hf_…)');
  const result = await commit({
    repo: modelRepo(repo),
    hubUrl,
    accessToken,
    fetch,
    title,
    parentCommit,
    operations: [{ operation: 'addOrUpdate', path: MODEL_REPO_FILES.history, content: new Blob([history], { type: 'text/plain' }) }],
  });
  if (!result?.commit.oid) throw new Error('the Hub did not return a commit');
  return result.commit.oid;
}
