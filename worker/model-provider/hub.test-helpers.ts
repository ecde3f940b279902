/**
 * For the Hub model provider's tests (Node only): the bundled model's files, publishing versions
 * to a local hub through the trainer's own publish code, and tiny crafted models.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { featurizerSpec, wordTokenId, type FeaturizerSpec } from '../../shared/featurizer/index';
import { manifestSchema, nextModelVersion, type Manifest } from '../../shared/manifest';
import { exportOnnxModel } from '../../trainer/export/onnx-model';
import { setModelVersion } from '../../trainer/export/set-model-version';
import { renderModelCard } from '../../trainer/hub/model-card';
import { publishFiles, readPublishedState } from '../../trainer/hub/model-repo';
import { TOKEN } from '../../trainer/local-hub/local-hub.test-helpers';
import type { LocalHub } from '../../trainer/local-hub/server';
import { ortNode } from '../../shared/ort/node';
import { createHubModelProvider, type HubModelProvider, type HubModelProviderOptions } from './hub-model-provider';
import type { ModelFiles } from './load-verified-model';

export { TOKEN };

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const BUNDLED_DIR = new URL('../model/', import.meta.url);

let bundledCache: { bytes: Uint8Array; manifest: Manifest } | undefined;

/** worker/model: model.onnx and its manifest (read once per test file). */
export function bundledModel(): { bytes: Uint8Array; manifest: Manifest } {
  bundledCache ??= {
    bytes: new Uint8Array(readFileSync(new URL('model.onnx', BUNDLED_DIR))),
    manifest: manifestSchema.parse(JSON.parse(readFileSync(new URL('manifest.json', BUNDLED_DIR), 'utf8'))),
  };
  return bundledCache;
}

export const bundledFiles = async (): Promise<ModelFiles> => {
  const { bytes, manifest } = bundledModel();
  return { bytes, manifest };
};

export interface Published {
  sha: string;
  version: string;
  manifest: Manifest;
  bytes: Uint8Array;
}

export interface PublishOptions {
  /** Default: the bundled model. */
  bytes?: Uint8Array;
  /** Default: the bundled manifest. */
  manifest?: Manifest;
  /** Re-stamp the model's metadata with the new version (default true), as `trainer publish` does. */
  restamp?: boolean;
  /** Break the files after they were made consistent (to publish a bad version). */
  tamper?: (files: { model: Uint8Array; manifest: Manifest }) => { model: Uint8Array; manifest: Manifest };
}

/** Publishes the next version (v1, v2, …) as one commit, like `trainer publish` does. */
export async function publishVersion(hub: LocalHub, repo: string, options: PublishOptions = {}): Promise<Published> {
  const settings = { hubUrl: hub.url, accessToken: TOKEN };
  const base = bundledModel();
  const published = await readPublishedState({ ...settings, repo });
  const version = nextModelVersion(published.manifest?.version ?? null);
  const source = options.bytes ?? base.bytes;
  let model = options.restamp === false ? source : setModelVersion(source, version);
  let manifest: Manifest = {
    ...(options.manifest ?? base.manifest),
    version,
    created_at: new Date().toISOString(),
    sha256: sha256(model),
    size_bytes: model.length,
    parent_version: published.manifest?.version ?? null,
  };
  if (options.tamper) ({ model, manifest } = options.tamper({ model, manifest }));
  const history = published.history + JSON.stringify({ version, promoted: true }) + '\n';
  const sha = await publishFiles({ ...settings, repo, files: { model, manifest, card: renderModelCard(manifest, repo), history }, parentCommit: published.sha });
  return { sha, version, manifest, bytes: model };
}

/**
 * A tiny exported model (three word tokens) with the given weights: NaN ones fail the smoke test;
 * `featurizer` lets a test claim a featurizer version this runtime does not implement.
 */
export function tinyModel({
  bias = [0.1, 0, -0.1],
  weight = 1,
  featurizer = featurizerSpec(),
  version = 'v1',
}: { bias?: number[]; weight?: number; featurizer?: FeaturizerSpec; version?: string } = {}): { bytes: Uint8Array; manifest: Manifest } {
  const vocabulary = Uint32Array.from([wordTokenId(11), wordTokenId(22), wordTokenId(33)]).sort();
  const bytes = exportOnnxModel(
    {
      featurizer,
      vocabulary,
      idf: Float64Array.from(vocabulary, () => 1.5),
      sublinearTf: true,
      weights: new Float64Array(vocabulary.length * 3).fill(weight),
      bias: Float64Array.from(bias),
    },
    { modelVersion: version, createdAt: '2026-01-01T00:00:00.000Z' },
  );
  const manifest: Manifest = {
    ...bundledModel().manifest,
    version,
    sha256: sha256(bytes),
    size_bytes: bytes.length,
    featurizer: featurizerSpec(),
    metrics: null,
  };
  return { bytes, manifest };
}

/** A provider over the local hub with test-friendly timings; override anything. */
export function hubProvider(hub: LocalHub, repo: string | undefined, options: Partial<HubModelProviderOptions> = {}): HubModelProvider {
  return createHubModelProvider({
    ort: ortNode,
    bundled: bundledFiles,
    repo,
    hubUrl: hub.url,
    accessToken: TOKEN,
    checkIntervalMs: 10,
    maxBackoffMs: 1_000,
    releaseGraceMs: 50,
    requestTimeoutMs: 5_000,
    backoffJitter: 0,
    ...options,
  });
}

/** Requests the hub answered after `since` (hub.requests.lastSeq), by route and path. */
export function requestsSince(hub: LocalHub, since: number) {
  return hub.requests.list({ since }).map((e) => ({ method: e.method, route: e.route, path: e.path, bytes: e.responseBytes }));
}

/** Responses that carried (part of) a model body, not just a 1-byte range probe. */
export function modelDownloads(hub: LocalHub, since: number) {
  return requestsSince(hub, since).filter((r) => r.path.endsWith('/model.onnx') && r.bytes > 1);
}
