/**
 * Where routes get the model from. A provider either starts with a model loaded before the first
 * request (workerd's global scope, the Node server before it listens) or loads it on first use,
 * sharing one load between concurrent callers. The Hub provider (hub-model-provider.ts) swaps in
 * newer versions; routes keep calling `current()`.
 */
import type { Manifest } from '../../shared/manifest';
import type { OrtRuntime, SentimentModel } from '../../shared/sentiment-model';
import { loadVerifiedModel, type ModelFiles } from './load-verified-model';

export interface LoadedModel {
  model: SentimentModel;
  manifest: Manifest;
  /** Where the files came from, e.g. "bundled" or a Hub revision. */
  source: string;
  loadedAt: Date;
}

export interface ModelStatus {
  state: 'idle' | 'loading' | 'ready' | 'failed';
  source: string;
  version: string | null;
  loadedAt: string | null;
  error: string | null;
  /** Only providers that follow a Hub model repo (hub-model-provider.ts) report this. */
  hub?: HubCheckStatus;
}

/**
 * The Hub version check, JSON-ready (snake_case, ISO times) so /health can return it as is.
 * A failed check never changes the model being served; it shows up here.
 */
export interface HubCheckStatus {
  repo: string;
  /** MODEL_REVISION when pinned: the provider then never looks for newer versions. */
  pinned_revision: string | null;
  /** Commit the served model came from; null while the bundled model serves. */
  sha: string | null;
  checking: boolean;
  checks: number;
  last_check_at: string | null;
  /** null when pinned and loaded (no further checks). */
  next_check_at: string | null;
  /** Why the last check or load failed; null after a successful one. */
  last_error: string | null;
  consecutive_failures: number;
  /** The last version refused by verification or the smoke test (not re-downloaded until the manifest changes). */
  rejected: { version: string | null; sha: string; reason: string } | null;
}

/** current() could not produce a model (bad files, contract mismatch, ORT failure): a 503, not a 500. */
export class ModelUnavailableError extends Error {
  override name = 'ModelUnavailableError';
}

export interface ModelProvider {
  /** The model to serve now; loads it on first use. Rejects while no model can be loaded. */
  current(): Promise<LoadedModel>;
  /** What /health reports; never triggers a load. */
  status(): ModelStatus;
}

export interface StaticModelProviderOptions {
  ort: OrtRuntime;
  source: string;
  /** Reads the model's bytes and manifest, e.g. from the bundle or the file system. */
  files: () => Promise<ModelFiles>;
  /** The model, already loaded (workerd creates it while the global scope runs): `files` is then never read. */
  initial?: LoadedModel;
}

/** Serves one fixed model (the one shipped in worker/model). A failed load is retried on the next call. */
export function createStaticModelProvider({ ort, source, files, initial }: StaticModelProviderOptions): ModelProvider {
  let loading: Promise<LoadedModel> | undefined;
  let loaded: LoadedModel | undefined = initial;
  let error: string | null = null;

  return {
    current() {
      if (loaded) return Promise.resolve(loaded);
      loading ??= (async () => {
        const { model, manifest } = await loadVerifiedModel(ort, await files());
        return { model, manifest, source, loadedAt: new Date() };
      })().then(
        (result) => {
          loaded = result;
          error = null;
          return result;
        },
        (failure: unknown) => {
          loading = undefined;
          error = failure instanceof Error ? failure.message : String(failure);
          throw new ModelUnavailableError(`model from ${source} failed to load: ${error}`, { cause: failure });
        },
      );
      return loading;
    },
    status() {
      return {
        state: loaded ? 'ready' : loading ? 'loading' : error ? 'failed' : 'idle',
        source,
        version: loaded?.manifest.version ?? null,
        loadedAt: loaded?.loadedAt.toISOString() ?? null,
        error,
      };
    },
  };
}
