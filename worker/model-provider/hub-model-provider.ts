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
 * next attempt waits checkIntervalMs x 2^(failures - 1) (capped at maxBackoffMs, with jitter:
 * the same backoff as the capture flush).
 * A version refused for its content (verification, smoke test) is not a failure of the check: it
 * is remembered by its manifest ETag, skipped without a download while the manifest stays the same,
 * and checks go on every checkIntervalMs, so a fixed version published next is served within one
 * interval. status().hub.rejected shows it until a newer version is accepted. At most one load
 * or check runs at a time.
 *
 * Runtime-neutral: fetch, crypto.subtle, timers via the caller. No setTimeout is left behind:
 * workerd would not run it after the request that scheduled it ended.
 *
 * The parts: version-loader.ts (probe → verify → canary → swap), retire-queue.ts (replaced
 * sessions), check-scheduler.ts (when to check, backoff, one job at a time). This file wires them
 * and answers current(), status() and the check calls.
 */
import type { OrtRuntime } from '../../shared/sentiment-model';
import { CheckScheduler } from './check-scheduler';
import { HubFiles, HubRepoError, ModelMismatchError, TransferError } from './hub-files';
import type { ModelFiles } from './load-verified-model';
import type { ModelFileCache } from './model-file-cache';
import { ModelUnavailableError, type HubCheckStatus, type LoadedModel, type ModelProvider, type ModelStatus } from './model-provider';
import { RetireQueue } from './retire-queue';
import { SmokeTestError } from './smoke-test';
import { RejectedVersionError, VersionLoader, type ProviderLogger, type Served } from './version-loader';
import { HUB_MODEL_DEFAULTS, type HubModelSettings } from '../../shared/settings';
import { PUBLIC_HUB_URL } from '../../shared/hub-endpoint';

export type { ProviderLogger };

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
  const retired = new RetireQueue(releaseGraceMs, now, (error) => log('warn', { msg: 'releasing a replaced model failed', error: message(error) }));
  const versions = new VersionLoader({ ort, hub, revision, retired, log, now, smokeTexts: options.smokeTexts, initial: options.initial });
  const schedule = new CheckScheduler({ intervalMs: checkIntervalMs, maxBackoffMs, jitter: backoffJitter, abandonAfterMs, now, random });

  let coldLoad: Promise<LoadedModel> | undefined;
  let check: Promise<void> | undefined;
  let coldError: string | null = null;
  let closed = false;

  function failed(error: unknown): void {
    if (error instanceof RejectedVersionError) return schedule.refused(error.message);
    const retryIn = schedule.failed(message(error));
    log('warn', { msg: 'model check failed; keeping the current model', repo, error: schedule.lastError, failures: schedule.failures, retry_in_ms: retryIn });
  }

  /** Forgets a job that has run for longer than abandonAfterMs (see the option). */
  function abandonStaleJob(): void {
    const startedAt = schedule.abandonStaleJob(Boolean(check || coldLoad));
    if (!startedAt) return;
    log('warn', { msg: 'abandoning a model load or check that never finished', started_at: startedAt.toISOString() });
    check = undefined;
    coldLoad = undefined;
  }

  const closedError = () => new ModelUnavailableError('the model provider is closed');

  function startColdLoad(): Promise<LoadedModel> {
    abandonStaleJob();
    if (coldLoad) return coldLoad;
    const stale = schedule.beginJob();
    const job: Promise<LoadedModel> = (async () => {
      if (hub && schedule.msUntilDue() === 0) {
        schedule.started();
        try {
          // One deadline for the whole cold load (on top of the per-request timeout): the first
          // request is waiting for it; past the deadline the bundled model serves instead.
          const deadline = AbortSignal.timeout(coldStartTimeoutMs);
          const next = await versions.fromHub(hub, await hub.probe(target, deadline), deadline);
          if (closed || stale()) {
            if (next) await versions.discard(next);
            if (closed) throw closedError();
            return provider.current(); // a newer job took over
          }
          if (next) {
            versions.swap(next);
            schedule.succeeded();
            coldError = null;
            return next.loaded;
          }
        } catch (error) {
          if (closed) throw error;
          if (stale()) return provider.current();
          failed(error);
        }
      }
      if (closed) throw closedError();
      try {
        const next = await versions.bundled(await bundled());
        if (stale()) {
          await next.loaded.model.release().catch(() => {});
          return provider.current();
        }
        versions.swap(next);
        coldError = null;
        if (hub) log('warn', { msg: 'serving the bundled model until the Hub answers', repo, error: schedule.lastError });
        return next.loaded;
      } catch (error) {
        coldError = message(error);
        const hubError = schedule.lastError;
        if (!hubError) schedule.lastError = coldError;
        throw new ModelUnavailableError(`no model could be loaded: ${coldError}${hub && hubError && hubError !== coldError ? ` (Hub: ${hubError})` : ''}`, {
          cause: error,
        });
      }
    })().finally(() => {
      if (coldLoad === job) coldLoad = undefined;
    });
    coldLoad = job;
    return job;
  }

  async function runCheck(stale: () => boolean): Promise<void> {
    const served = versions.served;
    if (!hub || !served) return;
    schedule.started();
    try {
      const probe = await hub.probe(target);
      if (probe.etag !== served.etag) {
        const next = await versions.fromHub(hub, probe);
        if (next && (closed || stale())) await versions.discard(next);
        else if (next) versions.swap(next);
      }
      if (!stale()) schedule.succeeded();
    } catch (error) {
      if (!stale()) failed(error);
    }
  }

  function startCheck(): Promise<void> {
    abandonStaleJob();
    if (check) return check;
    const job: Promise<void> = runCheck(schedule.beginJob()).finally(() => {
      if (check === job) check = undefined;
    });
    check = job;
    return job;
  }

  const provider: HubModelProvider = {
    current() {
      if (versions.served) return Promise.resolve(versions.served.loaded);
      if (closed) return Promise.reject(closedError());
      return startColdLoad();
    },

    maybeCheck() {
      retired.sweep();
      if (closed) return Promise.resolve();
      // Before the first current() nothing is loaded and nothing is checked: the model loads on first use.
      if (!versions.served) return coldLoad ? coldLoad.then(noop, noop) : Promise.resolve();
      abandonStaleJob();
      if (check) return check;
      const wait = provider.msUntilNextCheck();
      if (wait === null || wait > 0) return Promise.resolve();
      return startCheck();
    },

    checkNow() {
      retired.sweep();
      if (closed) return Promise.resolve();
      if (!versions.served) return provider.maybeCheck();
      if (!hub || versions.served.pinned) return Promise.resolve();
      return startCheck();
    },

    msUntilNextCheck() {
      if (!hub || closed) return null;
      if (versions.served?.pinned) return null; // pinned and loaded: nothing newer is ever looked for
      return schedule.msUntilDue();
    },

    status(): ModelStatus {
      const served: Served | undefined = versions.served;
      const loaded = served?.loaded;
      const next = provider.msUntilNextCheck();
      const rejected = versions.rejection;
      const hubStatus: HubCheckStatus | undefined = hub
        ? {
            repo: hub.repo,
            pinned_revision: revision ?? null,
            sha: served?.sha ?? null,
            checking: Boolean(check || coldLoad),
            checks: schedule.checks,
            last_check_at: schedule.lastCheckAt === null ? null : new Date(schedule.lastCheckAt).toISOString(),
            next_check_at: next === null ? null : new Date(now() + next).toISOString(),
            last_error: schedule.lastError,
            consecutive_failures: schedule.failures,
            rejected: rejected ? { version: rejected.version, sha: rejected.sha, reason: rejected.message } : null,
          }
        : undefined;
      return {
        state: loaded ? 'ready' : coldLoad ? 'loading' : coldError ? 'failed' : 'idle',
        source: loaded?.source ?? (revision ? `pinned:${revision}` : repo ? `hub:${repo}` : 'bundled'),
        version: loaded?.manifest.version ?? null,
        loadedAt: loaded?.loadedAt.toISOString() ?? null,
        error: loaded ? schedule.lastError : (coldError ?? schedule.lastError),
        ...(hubStatus && { hub: hubStatus }),
      };
    },

    async close() {
      closed = true;
      await Promise.allSettled([check, coldLoad]);
      if (versions.served) retired.retire(versions.served.loaded.model);
      versions.served = undefined;
      retired.releaseAll();
    },
  };
  return provider;
}

export { HubRepoError, ModelMismatchError, RejectedVersionError, SmokeTestError, TransferError };
