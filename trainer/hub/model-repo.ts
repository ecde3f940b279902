/**
 * The model repo on the Hub: model.onnx, manifest.json, README.md (model card) and
 * metrics/history.jsonl (one line per trained candidate). Every promotion is one commit.
 */
import { commit, createRepo, downloadFile, modelInfo, type RepoDesignation } from '@huggingface/hub';
import { manifestSchema, type Manifest } from '../../shared/manifest';
import { type HubSettings } from '../../shared/settings';

export const MODEL_FILES = {
  model: 'model.onnx',
  manifest: 'manifest.json',
  card: 'README.md',
  history: 'metrics/history.jsonl',
} as const;

export interface PublishedState {
  /** Head commit of main; null when the repo does not exist yet. */
  sha: string | null;
  manifest: Manifest | null;
  history: string;
}

const modelRepo = (name: string): RepoDesignation => ({ type: 'model', name });

/** The repo's head and current manifest: what a new version builds on. */
export async function readPublishedState(repo: string, hub: HubSettings): Promise<PublishedState> {
  let sha: string | null;
  try {
    const info = await modelInfo({ name: repo, hubUrl: hub.hubUrl, accessToken: hub.accessToken, additionalFields: ['sha'] });
    sha = (info as { sha?: string }).sha ?? null;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return { sha: null, manifest: null, history: '' };
    throw error;
  }
  const read = async (path: string) => {
    const blob = await downloadFile({ repo: modelRepo(repo), path, revision: sha ?? 'main', hubUrl: hub.hubUrl, accessToken: hub.accessToken });
    return blob ? await blob.text() : null;
  };
  const manifestText = await read(MODEL_FILES.manifest);
  return {
    sha,
    manifest: manifestText ? manifestSchema.parse(JSON.parse(manifestText)) : null,
    history: (await read(MODEL_FILES.history)) ?? '',
  };
}

export interface PublishFiles {
  model: Uint8Array;
  manifest: Manifest;
  card: string;
  history: string;
}

/** Pushes all files as one commit on top of `parentSha` (fails if someone published in between). */
/** The files of one release exactly as they are committed (so a dry run can state their sizes). */
export function releaseContents(files: PublishFiles): Record<string, Blob> {
  const text = (content: string) => new Blob([content], { type: 'text/plain' });
  return {
    [MODEL_FILES.model]: new Blob([files.model as Uint8Array<ArrayBuffer>]),
    [MODEL_FILES.manifest]: text(JSON.stringify(files.manifest, null, 2) + '\n'),
    [MODEL_FILES.card]: text(files.card),
    [MODEL_FILES.history]: text(files.history),
  };
}

export async function publishFiles(repo: string, hub: HubSettings, files: PublishFiles, parentSha: string | null): Promise<string> {
  const accessToken = hub.accessToken;
  if (!accessToken) throw new Error('HF_TOKEN is not set: publishing needs a Hugging Face token with write access (hf_…)');
  if (!parentSha) await createRepo({ repo: modelRepo(repo), hubUrl: hub.hubUrl, accessToken });
  const result = await commit({
    repo: modelRepo(repo),
    hubUrl: hub.hubUrl,
    accessToken,
    title: `Publish ${files.manifest.version}`,
    description: `macro-recall ${files.manifest.metrics?.macro_recall ?? 'n/a'} on ${files.manifest.metrics?.dataset ?? 'no holdout'}; parent ${files.manifest.parent_version ?? 'none'}`,
    parentCommit: parentSha ?? undefined,
    operations: Object.entries(releaseContents(files)).map(([path, content]) => ({ operation: 'addOrUpdate' as const, path, content })),
  });
  if (!result?.commit.oid) throw new Error('the Hub did not return a commit');
  return result.commit.oid;
}

/** model.onnx at a commit (the model production serves). */
export async function downloadModel(repo: string, hub: HubSettings, sha: string): Promise<Uint8Array> {
  const blob = await downloadFile({ repo: modelRepo(repo), path: MODEL_FILES.model, revision: sha, hubUrl: hub.hubUrl, accessToken: hub.accessToken });
  if (!blob) throw new Error(`${repo}@${sha.slice(0, 12)} has a manifest but no ${MODEL_FILES.model}`);
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * Records a candidate that was not promoted: one commit that only touches metrics/history.jsonl.
 * Workers see the same manifest at the new head, so nothing reloads.
 */
export async function commitHistory(repo: string, hub: HubSettings, history: string, parentSha: string, title: string): Promise<string> {
  if (!hub.accessToken) throw new Error('HF_TOKEN is not set: recording history needs a Hugging Face token with write access (hf_…)');
  const result = await commit({
    repo: modelRepo(repo),
    hubUrl: hub.hubUrl,
    accessToken: hub.accessToken,
    title,
    parentCommit: parentSha,
    operations: [{ operation: 'addOrUpdate', path: MODEL_FILES.history, content: new Blob([history], { type: 'text/plain' }) }],
  });
  if (!result?.commit.oid) throw new Error('the Hub did not return a commit');
  return result.commit.oid;
}
