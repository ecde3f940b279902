/**
 * Turns model files into a SentimentModel only if the manifest and the graph agree: a manifest
 * describing another model would make /health and model_version lie. Every check that needs no
 * session runs first (verifyModelFiles), so a refused file never costs a session; the ONNX
 * metadata is read once and handed to SentimentModel.load.
 */
import { manifestSchema, type Manifest } from '../../shared/manifest';
import { ModelContractError, readModelContract, SentimentModel, type ModelContract, type OrtRuntime } from '../../shared/sentiment-model';

export interface ModelFiles {
  bytes: Uint8Array;
  /** manifest.json as parsed JSON; validated here. */
  manifest: unknown;
  /** Also compare sha256(bytes) with the manifest: for files nobody has checked yet; the bundle is checked by a test. */
  verifyDigest?: boolean;
}

export async function loadVerifiedModel(ort: OrtRuntime, files: ModelFiles): Promise<{ model: SentimentModel; manifest: Manifest }> {
  const { manifest, contract } = await verifyModelFiles(files);
  return { model: await SentimentModel.load(ort, files.bytes, contract), manifest };
}

/** The manifest/model agreement checks: size, digest (if asked), version and featurizer. Throws ModelContractError. */
export async function verifyModelFiles(files: ModelFiles): Promise<{ manifest: Manifest; contract: ModelContract }> {
  const manifest = manifestSchema.parse(files.manifest);
  if (files.bytes.length !== manifest.size_bytes) {
    throw new ModelContractError(`model is ${files.bytes.length} bytes, manifest says ${manifest.size_bytes}`);
  }
  if (files.verifyDigest) {
    const digest = await sha256Hex(files.bytes);
    if (digest !== manifest.sha256) throw new ModelContractError(`model sha256 ${digest} differs from manifest ${manifest.sha256}`);
  }
  const contract = readModelContract(files.bytes);
  if (contract.version !== manifest.version) throw new ModelContractError(`model says version ${contract.version}, manifest says ${manifest.version}`);
  if (JSON.stringify(contract.featurizerSpec) !== JSON.stringify(manifest.featurizer)) throw new ModelContractError('model and manifest name different featurizers');
  return { manifest, contract };
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
