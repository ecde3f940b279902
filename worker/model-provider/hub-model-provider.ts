/**
 * A ModelProvider that follows a Hugging Face model repo and hot-swaps newer versions.
 *
 * Where the model comes from, in order:
 *   1. `revision` (MODEL_REVISION) if set: that commit, and never a check for newer ones;
 *   2. otherwise the head of `main` in `repo` (HF_MODEL_REPO);
 *   3. otherwise, or while the Hub is unreachable (or serves something invalid) at cold start,
 *      the bundled model.
 *
 * The version check (`maybeCheck()`, which the runtime calls off the request path: ctx.waitUntil
 * on workerd, a timer on Node) is a no-op until `checkIntervalMs` has passed since the last one.
 * Then it asks the Hub for manifest.json's ETag on main: ONE small request. Only when that
 * changed does it download manifest + model at the exact commit the probe named, verify them
 * (sha256, size, version, featurizer: loadVerifiedModel), smoke-test the new session and check its
 * behavioural canaries (canary-check.ts), then swap with one assignment. Requests keep the
 * LoadedModel `current()` gave them; the replaced session is released `releaseGraceMs` later (0,
 * the default: at once), once the predictions already started on it have finished: two sessions
 * live side by side no longer than that, which keeps a swap inside the isolate's memory budget.
 *
 * A failure to reach or read the Hub keeps the current model and is reported by status().hub; the
 * next attempt waits checkIntervalMs x 2^(failures - 1) (capped at maxBackoffMs, with jitter).
 * A version refused for its content (verification, smoke test) is not a failure of the check: it
 * is remembered by its manifest ETag, skipped without a download while the manifest stays the same,
 * and checks go on every checkIntervalMs, so a fixed version published next is served within one
 * interval. status().hub.rejected shows it until a newer version is accepted. At most one load
 * or check runs at a time.
 *
 * Runtime-neutral: fetch, crypto.subtle, timers via the caller. No setTimeout is left behind:
 * workerd would not run it after the request that scheduled it ended.
 */
import { parseFeaturizerSpec } from '../../shared/featurizer/index';
import { manifestSchema, type Manifest } from '../../shared/manifest';
import { ModelContractError, readModelMetadata, type OrtRuntime, type SentimentModel } from '../../shared/sentiment-model';
import { METADATA_KEYS } from '../../shared/model-contract';
import { HubFiles, HubRepoError, ModelMismatchError, TransferError, type ManifestProbe } from './hub-files';
import { loadVerifiedModel, type ModelFiles } from './load-verified-model';
import type { ModelFileCache } from './model-file-cache';
import { ModelUnavailableError, type HubCheckStatus, type LoadedModel, type ModelProvider, type ModelStatus } from './model-provider';
import { checkCanaries } from './canary-check';
import { smokeTest, SmokeTestError } from './smoke-test';
import { HUB_MODEL_DEFAULTS, type HubModelSettings } from '../../shared/settings';
import { PUBLIC_HUB_URL } from '../../shared/hub-endpoint';

export type ProviderLogger = (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>) => void;

export interface HubModelProviderOptions extends Partial<HubModelSettings> {
  ort: OrtRuntime;
  /** The bundled model's files (what the static provider serves). */
  bundled: () => Promise<ModelFiles>;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Shares verified downloads between isolates (Cache API on workerd). */
  cache?: ModelFileCache;
  log?: ProviderLogger;
  /**
   * A model already loaded (the bundled one, created while workerd ran the global scope): it serves
   * at once, and the Hub is asked for its version at the first maybeCheck(), loaded like a hot swap.
   */
  initial?: LoadedModel;
  /** Texts the smoke test runs; default SMOKE_TEXTS. */
  smokeTexts?: readonly string[];
  /**
   * A load or check still running after this long is treated as lost and a new one may start; its
   * result, should it ever arrive, is discarded. On workerd the I/O of a check belongs to the request
   * whose waitUntil() started it: if that request's context is torn down, the check never settles.
   * Default: 6 x requestTimeoutMs (a full load is at most 5 requests).
   */
  abandonAfterMs?: number;
  /** 0..1 share of a backoff delay taken off at random, so isolates do not retry in step. Default 0.2. */
  backoffJitter?: number;
  /** Clock and randomness, for tests. */
  now?: () => number;
  random?: () => number;
}

export interface HubModelProvider extends ModelProvider {
  /**
   * Runs a version check if one is due; also releases replaced sessions whose grace is over.
   * Cheap when nothing is due: call it on every request (workerd) or from a timer (Node).
   * Does nothing before the first current(). Never rejects.
   */
  maybeCheck(): Promise<void>;
  /** Checks now, ignoring the interval and backoff (still never two at once). Never rejects. */
  checkNow(): Promise<void>;
  /** Milliseconds until the next check is due (0 = due now; null = never, e.g. pinned and loaded). */
  msUntilNextCheck(): number | null;
  /** Releases every session and stops checking. */
  close(): Promise<void>;
}

/** A version the provider refused for its content (not for a network problem): not retried as such. */
class RejectedVersionError extends Error {
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

interface Served {
  loaded: LoadedModel;
  /** Manifest ETag and commit, for Hub models; null for the bundled one. */
  etag: string | null;
  sha: string | null;
  pinned: boolean;
}

const noop = () => {};
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createHubModelProvider(options: HubModelProviderOptions): HubModelProvider {
  const {
    ort,
    bundled,
    repo,
    revision,
    hubUrl = PUBLIC_HUB_URL,
    accessToken,
    checkIntervalMs = HUB_MODEL_DEFAULTS.checkIntervalMs,
    maxBackoffMs = HUB_MODEL_DEFAULTS.maxBackoffMs,
    releaseGraceMs = HUB_MODEL_DEFAULTS.releaseGraceMs,
    requestTimeoutMs = HUB_MODEL_DEFAULTS.requestTimeoutMs,
    coldStartTimeoutMs = HUB_MODEL_DEFAULTS.coldStartTimeoutMs,
    abandonAfterMs = 6 * requestTimeoutMs,
    log = () => {},
    smokeTexts,
    backoffJitter = 0.2,
    now = Date.now,
    random = Math.random,
  } = options;
  if (revision && !repo) throw new Error('a pinned revision needs a repo');

  const hub = repo
    ? new HubFiles({
        repo,
        hubUrl,
        accessToken,
        fetch: options.fetch,
        timeoutMs: requestTimeoutMs,
        cache: options.cache,
        onCacheError: (error, key) => log('warn', { msg: 'model cache error (ignored)', key, error: message(error) }),
      })
    : null;
  const target = revision ?? 'main';

  let served: Served | undefined = options.initial && { loaded: options.initial, etag: null, sha: null, pinned: false };
  let coldLoad: Promise<LoadedModel> | undefined;
  let check: Promise<void> | undefined;
  /** When the running cold load or check started, and its generation: a job only acts while its generation is current. */
  let jobStartedAt = 0;
  let generation = 0;
  let coldError: string | null = null;
  let lastError: string | null = null;
  let lastCheckAt: number | null = null;
  let nextCheckAt = 0;
  let failures = 0;
  let checks = 0;
  let rejected: { etag: string; error: RejectedVersionError } | null = null;
  let closed = false;
  const retired: Array<{ model: SentimentModel; releaseAt: number }> = [];

  const sourceOf = (sha: string) => (revision ? `pinned:${sha}` : `hub:${repo}@${sha}`);

  /** Downloads, verifies and smoke-tests the version `probe` names. Returns null if it is what already serves. */
  async function loadFromHub(files: HubFiles, probe: ManifestProbe, signal?: AbortSignal): Promise<Served | null> {
    if (rejected?.etag === probe.etag) throw rejected.error;
    const manifestFile = await files.manifest(probe.sha, signal);
    const reject = (version: string | null, reason: string, cause?: unknown): never => {
      const error = new RejectedVersionError(version, probe.sha, reason, { cause });
      rejected = { etag: probe.etag, error };
      log('warn', { msg: 'model version rejected; keeping the current model and checking for the next one', repo, version, sha: probe.sha, reason });
      throw error;
    };
    let manifestJson: unknown;
    let manifest: Manifest;
    try {
      manifestJson = JSON.parse(manifestFile.text);
      manifest = manifestSchema.parse(manifestJson);
    } catch (error) {
      return reject(null, `invalid manifest.json: ${message(error)}`, error);
    }
    const current = served?.loaded;
    if (current && current.manifest.sha256 === manifest.sha256 && current.manifest.version === manifest.version) {
      // Same model (e.g. bundled = published v1, or a commit that only touched the card): relabel, no new session.
      return { loaded: { ...current, source: sourceOf(probe.sha) }, etag: probe.etag, sha: probe.sha, pinned: Boolean(revision) };
    }
    let modelFile: { bytes: Uint8Array; cached: boolean };
    try {
      modelFile = await files.model(probe.sha, { sha256: manifest.sha256, size: manifest.size_bytes }, signal);
    } catch (error) {
      if (error instanceof ModelMismatchError) return reject(manifest.version, message(error), error);
      throw error; // network, HTTP or transfer trouble: retried with backoff
    }
    const bytes = modelFile.bytes;
    let model: SentimentModel;
    try {
      precheck(bytes, manifest);
      ({ model } = await loadVerifiedModel(ort, { bytes, manifest: manifestJson, verifyDigest: true }));
    } catch (error) {
      return reject(manifest.version, message(error), error);
    }
    try {
      await smokeTest(model, smokeTexts);
      await checkCanaries(model);
    } catch (error) {
      await model.release().catch(() => {});
      return reject(manifest.version, message(error), error);
    }
    if (!modelFile.cached || !manifestFile.cached) await files.remember(probe.sha, manifestFile.text, bytes);
    log('info', {
      msg: 'model loaded from the Hub',
      repo,
      version: manifest.version,
      sha: probe.sha,
      from_cache: modelFile.cached,
    });
    return {
      loaded: { model, manifest, source: sourceOf(probe.sha), loadedAt: new Date(now()) },
      etag: probe.etag,
      sha: probe.sha,
      pinned: Boolean(revision),
    };
  }

  function install(next: Served): void {
    const old = served;
    served = next; // the swap: current() hands out `next` from here on
    if (next.etag !== null) rejected = null; // a newer version than the refused one is accepted
    if (old && old.loaded.model !== next.loaded.model) retired.push({ model: old.loaded.model, releaseAt: now() + releaseGraceMs });
    if (old && old.loaded.manifest.version !== next.loaded.manifest.version) {
      log('info', { msg: 'model swapped', from: old.loaded.manifest.version, to: next.loaded.manifest.version, source: next.loaded.source });
    }
    sweep();
  }

  function succeeded(): void {
    failures = 0;
    lastError = null;
    nextCheckAt = now() + checkIntervalMs;
  }

  /** A refused version: the check itself worked, so no backoff; the refusal stays in `rejected`. */
  function skipped(error: RejectedVersionError): void {
    failures = 0;
    lastError = error.message;
    nextCheckAt = now() + checkIntervalMs;
  }

  function failed(error: unknown): void {
    if (error instanceof RejectedVersionError) return skipped(error);
    failures += 1;
    lastError = message(error);
    const backoff = Math.min(checkIntervalMs * 2 ** (failures - 1), maxBackoffMs);
    nextCheckAt = now() + backoff * (1 - backoffJitter * random());
    log('warn', { msg: 'model check failed; keeping the current model', repo, error: lastError, failures, retry_in_ms: nextCheckAt - now() });
  }

  /** A model loaded while close() ran: nobody will ever serve it. */
  async function discard(next: Served): Promise<void> {
    if (next.loaded.model !== served?.loaded.model) await next.loaded.model.release().catch(() => {});
  }

  /** Releases replaced sessions whose grace period is over. */
  function sweep(force = false): void {
    const t = now();
    for (let i = retired.length - 1; i >= 0; i--) {
      if (!force && retired[i].releaseAt > t) continue;
      const [{ model }] = retired.splice(i, 1);
      (force ? model.release() : model.releaseWhenIdle()).catch((error: unknown) => log('warn', { msg: 'releasing a replaced model failed', error: message(error) }));
    }
  }

  /** Forgets a job that has run for longer than abandonAfterMs (see the option). */
  function abandonStaleJob(): void {
    if ((check || coldLoad) && now() - jobStartedAt > abandonAfterMs) {
      log('warn', { msg: 'abandoning a model load or check that never finished', started_at: new Date(jobStartedAt).toISOString() });
      generation += 1;
      check = undefined;
      coldLoad = undefined;
    }
  }

  function startColdLoad(): Promise<LoadedModel> {
    abandonStaleJob();
    if (coldLoad) return coldLoad;
    const gen = ++generation;
    const stale = () => gen !== generation;
    jobStartedAt = now();
    const job: Promise<LoadedModel> = (async () => {
      if (hub && now() >= nextCheckAt) {
        lastCheckAt = now();
        checks += 1;
        try {
          // One deadline for the whole cold load (on top of the per-request timeout): the first
          // request is waiting for it; past the deadline the bundled model serves instead.
          const deadline = AbortSignal.timeout(coldStartTimeoutMs);
          const next = await loadFromHub(hub, await hub.probe(target, deadline), deadline);
          if (closed || stale()) {
            if (next) await discard(next);
            if (closed) throw new ModelUnavailableError('the model provider is closed');
            return provider.current(); // a newer job took over
          }
          if (next) {
            install(next);
            succeeded();
            coldError = null;
            return next.loaded;
          }
        } catch (error) {
          if (closed) throw error;
          if (stale()) return provider.current();
          failed(error);
        }
      }
      if (closed) throw new ModelUnavailableError('the model provider is closed');
      try {
        const { model, manifest } = await loadVerifiedModel(ort, await bundled());
        if (stale()) {
          await model.release().catch(() => {});
          return provider.current();
        }
        install({ loaded: { model, manifest, source: 'bundled', loadedAt: new Date(now()) }, etag: null, sha: null, pinned: false });
        coldError = null;
        if (hub) log('warn', { msg: 'serving the bundled model until the Hub answers', repo, error: lastError });
        return served!.loaded;
      } catch (error) {
        coldError = message(error);
        if (!lastError) lastError = coldError;
        throw new ModelUnavailableError(`no model could be loaded: ${coldError}${hub && lastError !== coldError ? ` (Hub: ${lastError})` : ''}`, {
          cause: error,
        });
      }
    })().finally(() => {
      if (coldLoad === job) coldLoad = undefined;
    });
    coldLoad = job;
    return job;
  }

  async function runCheck(gen: number): Promise<void> {
    if (!hub || !served) return;
    const stale = () => gen !== generation;
    lastCheckAt = now();
    checks += 1;
    try {
      const probe = await hub.probe(target);
      if (probe.etag !== served.etag) {
        const next = await loadFromHub(hub, probe);
        if (next && (closed || stale())) await discard(next);
        else if (next) install(next);
      }
      if (!stale()) succeeded();
    } catch (error) {
      if (!stale()) failed(error);
    }
  }

  function startCheck(): Promise<void> {
    abandonStaleJob();
    if (check) return check;
    const gen = ++generation;
    jobStartedAt = now();
    const job: Promise<void> = runCheck(gen).finally(() => {
      if (check === job) check = undefined;
    });
    check = job;
    return job;
  }

  const provider: HubModelProvider = {
    current() {
      if (served) return Promise.resolve(served.loaded);
      if (closed) return Promise.reject(new ModelUnavailableError('the model provider is closed'));
      return startColdLoad();
    },

    maybeCheck() {
      sweep();
      if (closed) return Promise.resolve();
      // Before the first current() nothing is loaded and nothing is checked: the model loads on first use.
      if (!served) return coldLoad ? coldLoad.then(noop, noop) : Promise.resolve();
      abandonStaleJob();
      if (check) return check;
      const wait = provider.msUntilNextCheck();
      if (wait === null || wait > 0) return Promise.resolve();
      return startCheck();
    },

    checkNow() {
      sweep();
      if (closed) return Promise.resolve();
      if (!served) return provider.maybeCheck();
      if (!hub || served.pinned) return Promise.resolve();
      return startCheck();
    },

    msUntilNextCheck() {
      if (!hub || closed) return null;
      if (served?.pinned) return null; // pinned and loaded: nothing newer is ever looked for
      return Math.max(0, nextCheckAt - now());
    },

    status(): ModelStatus {
      const loaded = served?.loaded;
      const next = provider.msUntilNextCheck();
      const hubStatus: HubCheckStatus | undefined = hub
        ? {
            repo: hub.repo,
            pinned_revision: revision ?? null,
            sha: served?.sha ?? null,
            checking: Boolean(check || coldLoad),
            checks,
            last_check_at: lastCheckAt === null ? null : new Date(lastCheckAt).toISOString(),
            next_check_at: next === null ? null : new Date(now() + next).toISOString(),
            last_error: lastError,
            consecutive_failures: failures,
            rejected: rejected ? { version: rejected.error.version, sha: rejected.error.sha, reason: rejected.error.message } : null,
          }
        : undefined;
      return {
        state: loaded ? 'ready' : coldLoad ? 'loading' : coldError ? 'failed' : 'idle',
        source: loaded?.source ?? (revision ? `pinned:${revision}` : repo ? `hub:${repo}` : 'bundled'),
        version: loaded?.manifest.version ?? null,
        loadedAt: loaded?.loadedAt.toISOString() ?? null,
        error: loaded ? lastError : (coldError ?? lastError),
        ...(hubStatus && { hub: hubStatus }),
      };
    },

    async close() {
      closed = true;
      await Promise.allSettled([check, coldLoad]);
      if (served) retired.push({ model: served.loaded.model, releaseAt: 0 });
      served = undefined;
      sweep(true);
    },
  };
  return provider;
}

/**
 * The manifest/model agreement checks that need no session. loadVerifiedModel makes them too, but
 * after creating the session, which it then does not release when they fail.
 */
function precheck(bytes: Uint8Array, manifest: Manifest): void {
  const metadata = readModelMetadata(bytes); // also refuses a featurizer this runtime does not implement
  if (metadata[METADATA_KEYS.modelVersion] !== manifest.version) {
    throw new ModelContractError(`model says version ${metadata[METADATA_KEYS.modelVersion]}, manifest says ${manifest.version}`);
  }
  const featurizer = parseFeaturizerSpec(JSON.parse(metadata[METADATA_KEYS.featurizer]));
  if (JSON.stringify(featurizer) !== JSON.stringify(manifest.featurizer)) {
    throw new ModelContractError('model and manifest name different featurizers');
  }
}

export { HubRepoError, ModelMismatchError, SmokeTestError, TransferError };
