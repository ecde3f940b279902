/**
 * Turns model files into a SentimentModel only if the manifest and the graph agree: a manifest
 * describing another model would make /health and model_version lie.
 */
import { manifestSchema, type Manifest } from '../../shared/manifest';
import { ModelContractError, SentimentModel, type OrtRuntime } from '../../shared/sentiment-model';

export interface ModelFiles {
  bytes: Uint8Array;
  /** manifest.json as parsed JSON; validated here. */
  manifest: unknown;
  /** Also compare sha256(bytes) with the manifest: for downloads; the bundle is checked by a test. */
  verifyDigest?: boolean;
}

export async function loadVerifiedModel(ort: OrtRuntime, files: ModelFiles): Promise<{ model: SentimentModel; manifest: Manifest }> {
  const manifest = manifestSchema.parse(files.manifest);
  if (files.bytes.length !== manifest.size_bytes) {
    throw new ModelContractError(`model is ${files.bytes.length} bytes, manifest says ${manifest.size_bytes}`);
  }
  if (files.verifyDigest) {
    const digest = await sha256Hex(files.bytes);
    if (digest !== manifest.sha256) throw new ModelContractError(`model sha256 ${digest} differs from manifest ${manifest.sha256}`);
  }
  const model = await SentimentModel.load(ort, files.bytes);
  const mismatch =
    model.version !== manifest.version
      ? `model says version ${model.version}, manifest says ${manifest.version}`
      : JSON.stringify(model.featurizerSpec) !== JSON.stringify(manifest.featurizer)
        ? 'model and manifest name different featurizers'
        : null;
  if (mismatch) {
    await model.release(); // a refused model must not keep its session (and wasm memory) alive
    throw new ModelContractError(mismatch);
  }
  return { model, manifest };
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
