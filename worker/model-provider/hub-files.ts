/**
 * The model repo as the serving side sees it, through @huggingface/hub with Web APIs only:
 *  - probe(revision): ONE small request (`fileDownloadInfo` of manifest.json = a GET with
 *    `Range: bytes=0-0`) giving the manifest's ETag and the commit the revision points at
 *    (the `X-Repo-Commit` header, read through our own fetch; `modelInfo` is the fallback);
 *  - manifest(sha) / model(sha): the files AT THAT COMMIT, from the cache adapter when it has them.
 * Every request gets a timeout, so a hanging Hub cannot hold a load forever.
 */
import { downloadFile, fileDownloadInfo, modelInfo, type RepoDesignation } from '@huggingface/hub';
import { MODEL_REPO_FILES, type HubRepoParams } from '../../shared/hub-repos';
import { sha256Hex } from './load-verified-model';
import { modelFileKey, type ModelFileCache } from './model-file-cache';

const { model: MODEL_PATH, manifest: MANIFEST_PATH } = MODEL_REPO_FILES;

export interface HubFilesOptions extends HubRepoParams {
  hubUrl: string;
  /** Per request, body included. */
  timeoutMs: number;
  cache?: ModelFileCache;
  /** Cache errors are reported here and otherwise ignored. */
  onCacheError?: (error: unknown, key: string) => void;
}

export interface ManifestProbe {
  /** manifest.json's ETag (the git blob id), quotes and W/ stripped: changes exactly when the manifest does. */
  etag: string;
  /** Full commit sha the probed revision resolved to. */
  sha: string;
}

/** The Hub answered, but not with what a model repo must hold. */
export class HubRepoError extends Error {
  override name = 'HubRepoError';
}

/** The Hub's model.onnx is not the file the manifest describes: the version is unusable. */
export class ModelMismatchError extends Error {
  override name = 'ModelMismatchError';
}

/** The bytes received differ from what the Hub announced: worth retrying. */
export class TransferError extends Error {
  override name = 'TransferError';
}

export class HubFiles {
  private readonly baseFetch: typeof fetch;
  private readonly repoRef: RepoDesignation;

  constructor(private readonly options: HubFilesOptions) {
    this.baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    this.repoRef = { type: 'model', name: options.repo };
  }

  /** fetch with the per-request timeout and, if given, the caller's signal (a deadline for a whole load). */
  private fetchFor(signal?: AbortSignal): typeof fetch {
    return withTimeout(this.baseFetch, this.options.timeoutMs, signal);
  }

  get repo(): string {
    return this.options.repo;
  }

  async probe(revision: string, signal?: AbortSignal): Promise<ManifestProbe> {
    let commit: string | null = null;
    const fetchFn = this.fetchFor(signal);
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetchFn(input, init);
      commit = response.headers.get('x-repo-commit');
      return response;
    };
    const info = await fileDownloadInfo({ ...this.common(), path: MANIFEST_PATH, revision, fetch: recordingFetch });
    if (!info) throw new HubRepoError(`${this.options.repo} has no ${MANIFEST_PATH} at ${revision}`);
    const sha = commit ?? (await this.commitOf(revision, fetchFn));
    return { etag: normalizeEtag(info.etag), sha };
  }

  /** manifest.json at `sha`, as text. */
  async manifest(sha: string, signal?: AbortSignal): Promise<{ text: string; cached: boolean }> {
    const key = this.key(sha, MANIFEST_PATH);
    const hit = await this.cacheGet(key);
    if (hit) return { text: new TextDecoder().decode(hit), cached: true };
    return { text: new TextDecoder().decode(await this.download(sha, MANIFEST_PATH, this.fetchFor(signal))), cached: false };
  }

  /**
   * model.onnx at `sha`, checked against the manifest's size and sha256. Before downloading, the
   * Hub's own size and LFS ETag (the sha256 of an LFS file) are compared with the manifest: a
   * manifest naming other bytes is refused without fetching them (ModelMismatchError). Bytes
   * that arrive different from what the Hub announced are a transfer error (TransferError).
   */
  async model(sha: string, expected: { sha256: string; size: number }, signal?: AbortSignal): Promise<{ bytes: Uint8Array; cached: boolean }> {
    const fetchFn = this.fetchFor(signal);
    const key = this.key(sha, MODEL_PATH);
    const hit = await this.cacheGet(key);
    if (hit) {
      if (hit.length === expected.size && (await sha256Hex(hit)) === expected.sha256) return { bytes: hit, cached: true };
      await this.cacheDelete(key);
    }
    const info = await fileDownloadInfo({ ...this.common(), path: MODEL_PATH, revision: sha, fetch: fetchFn });
    if (!info) throw new ModelMismatchError(`${this.options.repo} has no ${MODEL_PATH} at ${sha}`);
    if (info.size !== expected.size) {
      throw new ModelMismatchError(`${MODEL_PATH} on the Hub is ${info.size} bytes, the manifest says ${expected.size}`);
    }
    const etag = normalizeEtag(info.etag);
    if (/^[0-9a-f]{64}$/.test(etag) && etag !== expected.sha256) {
      throw new ModelMismatchError(`${MODEL_PATH} on the Hub has sha256 ${etag}, the manifest says ${expected.sha256}`);
    }
    // xet: false: the plain resolve URL (the Hub redirects it to its CDN); the xet client is more
    // code and more requests for one file read whole anyway. downloadInfo saves a second probe.
    const blob = await downloadFile({ ...this.common(), path: MODEL_PATH, revision: sha, fetch: fetchFn, xet: false, downloadInfo: info });
    if (!blob) throw new ModelMismatchError(`${this.options.repo} has no ${MODEL_PATH} at ${sha}`);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    if (bytes.length !== expected.size) throw new TransferError(`downloaded ${bytes.length} bytes of ${MODEL_PATH}, expected ${expected.size}`);
    const digest = await sha256Hex(bytes);
    if (digest !== expected.sha256) throw new TransferError(`downloaded ${MODEL_PATH} has sha256 ${digest}, expected ${expected.sha256}`);
    return { bytes, cached: false };
  }

  /** A small file of the repo at `revision` (a commit, branch or tag), as text, not cached; null when the repo has no such file. */
  async text(path: string, revision: string, signal?: AbortSignal): Promise<string | null> {
    const blob = await downloadFile({ ...this.common(), path, revision, fetch: this.fetchFor(signal), xet: false });
    return blob ? blob.text() : null;
  }

  /** Store files that passed every check, for the next isolate. */
  async remember(sha: string, manifestText: string, model: Uint8Array): Promise<void> {
    if (!this.options.cache) return;
    await this.cachePut(this.key(sha, MODEL_PATH), model);
    await this.cachePut(this.key(sha, MANIFEST_PATH), new TextEncoder().encode(manifestText));
  }

  private async download(sha: string, path: string, fetchFn: typeof fetch): Promise<Uint8Array> {
    const blob = await downloadFile({ ...this.common(), path, revision: sha, fetch: fetchFn, xet: false });
    if (!blob) throw new HubRepoError(`${this.options.repo} has no ${path} at ${sha}`);
    return new Uint8Array(await blob.arrayBuffer());
  }

  private async commitOf(revision: string, fetchFn: typeof fetch): Promise<string> {
    const info = await modelInfo({ ...this.common(), name: this.options.repo, revision, additionalFields: ['sha'], fetch: fetchFn });
    const sha = (info as { sha?: string }).sha;
    if (!sha) throw new HubRepoError(`the Hub did not say which commit ${revision} of ${this.options.repo} is`);
    return sha;
  }

  private common() {
    return { repo: this.repoRef, hubUrl: this.options.hubUrl, accessToken: this.options.accessToken };
  }

  private key(sha: string, path: string): string {
    return modelFileKey(this.options.hubUrl, this.options.repo, sha, path);
  }

  private async cacheGet(key: string): Promise<Uint8Array | null> {
    if (!this.options.cache) return null;
    try {
      return await this.options.cache.get(key);
    } catch (error) {
      this.options.onCacheError?.(error, key);
      return null;
    }
  }

  private async cachePut(key: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.options.cache?.put(key, bytes);
    } catch (error) {
      this.options.onCacheError?.(error, key);
    }
  }

  private async cacheDelete(key: string): Promise<void> {
    try {
      await this.options.cache?.delete(key);
    } catch (error) {
      this.options.onCacheError?.(error, key);
    }
  }
}

export function normalizeEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Aborts a request (and the reading of its body) after `ms`, or when `outer` aborts. */
export function withTimeout(base: typeof fetch, ms: number, outer?: AbortSignal): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const signals = [AbortSignal.timeout(ms), ...(outer ? [outer] : []), ...(init?.signal ? [init.signal] : [])];
    return base(input, { ...init, signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) });
  }) as typeof fetch;
}
