/**
 * The model that serves, and how a newer version replaces it: probe → verify → canary → swap.
 *
 *  - probe: manifest.json's ETag and the commit `revision` points at (HubFiles.probe, one request);
 *  - verify: manifest + model.onnx at that exact commit; size and sha256 (HubFiles.model), then
 *    version and featurizer against the ONNX metadata, read once (verifyModelFiles), all before a
 *    session exists;
 *  - canary: a smoke test (finite probabilities) and the behavioural canaries on the new session;
 *  - swap: one assignment; the replaced session goes to the retire queue.
 *
 * A version refused for its content is remembered by its manifest ETag and not downloaded again
 * while the manifest stays the same (rejected), until a newer version is swapped in.
 */
import { manifestSchema, type Manifest } from '../../shared/manifest';
import { SentimentModel, type OrtRuntime } from '../../shared/sentiment-model';
import { checkCanaries } from './canary-check';
import { ModelMismatchError, type HubFiles, type ManifestProbe } from './hub-files';
import { loadVerifiedModel, verifyModelFiles, type ModelFiles } from './load-verified-model';
import type { LoadedModel } from './model-provider';
import type { RetireQueue } from './retire-queue';
import { smokeTest } from './smoke-test';

export type ProviderLogger = (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>) => void;

/** A version the provider refused for its content (not for a network problem): not retried as such. */
export class RejectedVersionError extends Error {
  override name = 'RejectedVersionError';
  constructor(
    readonly version: string | null,
    readonly sha: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${version ?? 'model'} at ${sha.slice(0, 12)} rejected: ${reason}`, options);
  }
}

export interface Served {
  loaded: LoadedModel;
  /** Manifest ETag and commit, for Hub models; null for the bundled one. */
  etag: string | null;
  sha: string | null;
  pinned: boolean;
}

export interface VersionLoaderOptions {
  ort: OrtRuntime;
  /** The model repo; null when the provider only serves the bundled model. */
  hub: HubFiles | null;
  /** MODEL_REVISION: a pinned commit. */
  revision?: string;
  retired: RetireQueue;
  log: ProviderLogger;
  now: () => number;
  smokeTexts?: readonly string[];
  /** A model already loaded, serving from the start. */
  initial?: LoadedModel;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class VersionLoader {
  /** What current() hands out; undefined until the first load (or after close). */
  served: Served | undefined;
  private rejected: { etag: string; error: RejectedVersionError } | null = null;

  constructor(private readonly options: VersionLoaderOptions) {
    this.served = options.initial && { loaded: options.initial, etag: null, sha: null, pinned: false };
  }

  /** The last version refused for its content, until a newer one is swapped in. */
  get rejection(): RejectedVersionError | null {
    return this.rejected?.error ?? null;
  }

  /**
   * Downloads, verifies and canary-checks the version `probe` names. Returns null if it is what
   * already serves. Throws RejectedVersionError for a version refused for its content; any other
   * error is the Hub's (network, HTTP, transfer) and worth retrying.
   */
  async fromHub(hub: HubFiles, probe: ManifestProbe, signal?: AbortSignal): Promise<Served | null> {
    if (this.rejected?.etag === probe.etag) throw this.rejected.error;
    const manifestFile = await hub.manifest(probe.sha, signal);
    let manifest: Manifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(manifestFile.text));
    } catch (error) {
      return this.reject(probe, null, `invalid manifest.json: ${message(error)}`, error);
    }
    const pinned = Boolean(this.options.revision);
    const current = this.served?.loaded;
    if (current && current.manifest.sha256 === manifest.sha256 && current.manifest.version === manifest.version) {
      // Same model (e.g. bundled = published v1, or a commit that only touched the card): relabel, no new session.
      return { loaded: { ...current, source: this.sourceOf(probe.sha) }, etag: probe.etag, sha: probe.sha, pinned };
    }
    let modelFile: { bytes: Uint8Array; cached: boolean };
    try {
      modelFile = await hub.model(probe.sha, { sha256: manifest.sha256, size: manifest.size_bytes }, signal);
    } catch (error) {
      if (error instanceof ModelMismatchError) return this.reject(probe, manifest.version, message(error), error);
      throw error; // network, HTTP or transfer trouble: retried with backoff
    }
    const bytes = modelFile.bytes;
    let model: SentimentModel;
    try {
      // hub.model() has checked size and sha256 already.
      const { contract } = await verifyModelFiles({ bytes, manifest });
      model = await SentimentModel.load(this.options.ort, bytes, contract);
    } catch (error) {
      return this.reject(probe, manifest.version, message(error), error);
    }
    try {
      await smokeTest(model, this.options.smokeTexts);
      await checkCanaries(model);
    } catch (error) {
      await model.release().catch(() => {});
      return this.reject(probe, manifest.version, message(error), error);
    }
    if (!modelFile.cached || !manifestFile.cached) await hub.remember(probe.sha, manifestFile.text, bytes);
    this.options.log('info', { msg: 'model loaded from the Hub', repo: hub.repo, version: manifest.version, sha: probe.sha, from_cache: modelFile.cached });
    return { loaded: { model, manifest, source: this.sourceOf(probe.sha), loadedAt: new Date(this.options.now()) }, etag: probe.etag, sha: probe.sha, pinned };
  }

  /** The bundled model's files, loaded and verified. */
  async bundled(files: ModelFiles): Promise<Served> {
    const { model, manifest } = await loadVerifiedModel(this.options.ort, files);
    return { loaded: { model, manifest, source: 'bundled', loadedAt: new Date(this.options.now()) }, etag: null, sha: null, pinned: false };
  }

  /** The swap: current() hands out `next` from here on; the replaced session is retired. */
  swap(next: Served): void {
    const old = this.served;
    this.served = next;
    if (next.etag !== null) this.rejected = null; // a newer version than the refused one is accepted
    if (old && old.loaded.model !== next.loaded.model) this.options.retired.retire(old.loaded.model);
    if (old && old.loaded.manifest.version !== next.loaded.manifest.version) {
      this.options.log('info', { msg: 'model swapped', from: old.loaded.manifest.version, to: next.loaded.manifest.version, source: next.loaded.source });
    }
    this.options.retired.sweep();
  }

  /** A model loaded that will never serve (the provider closed, or a newer job took over). */
  async discard(next: Served): Promise<void> {
    if (next.loaded.model !== this.served?.loaded.model) await next.loaded.model.release().catch(() => {});
  }

  private sourceOf(sha: string): string {
    return this.options.revision ? `pinned:${sha}` : `hub:${this.options.hub?.repo}@${sha}`;
  }

  private reject(probe: ManifestProbe, version: string | null, reason: string, cause?: unknown): never {
    const error = new RejectedVersionError(version, probe.sha, reason, { cause });
    this.rejected = { etag: probe.etag, error };
    this.options.log('warn', { msg: 'model version rejected; keeping the current model and checking for the next one', repo: this.options.hub?.repo, version, sha: probe.sha, reason });
    throw error;
  }
}
