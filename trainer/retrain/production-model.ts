/**
 * The model in production: the model repo's current version, or, while the repo has none, the
 * default model bundled with the worker (which is what the workers serve then).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { manifestSchema, type Manifest } from '../../shared/manifest';
import type { HubRepoParams } from '../../shared/hub-repos';
import { downloadModel, type PublishedState } from '../hub/model-repo';

const BUNDLED_MODEL_DIR = new URL('../../worker/model/', import.meta.url);

export interface ProductionModel {
  manifest: Manifest;
  bytes: Uint8Array;
  /** `hub:<repo>@<sha>` or `bundled`. */
  source: string;
}

/** The default model shipped in worker/model/. */
export async function bundledModel(): Promise<ProductionModel> {
  const bytes = new Uint8Array(await readFile(new URL('model.onnx', BUNDLED_MODEL_DIR)));
  const manifest = manifestSchema.parse(JSON.parse(await readFile(new URL('manifest.json', BUNDLED_MODEL_DIR), 'utf8')));
  return { manifest, bytes, source: 'bundled' };
}

export async function productionModel({ published, ...params }: HubRepoParams & { published: PublishedState }): Promise<ProductionModel> {
  const { repo } = params;
  if (!published.sha || !published.manifest) return bundledModel();
  const bytes = await downloadModel({ ...params, revision: published.sha });
  if (createHash('sha256').update(bytes).digest('hex') !== published.manifest.sha256) {
    throw new Error(`${repo}@${published.sha.slice(0, 12)}: model.onnx does not match manifest.json's sha256; fix the model repo before retraining`);
  }
  return { manifest: published.manifest, bytes, source: `hub:${repo}@${published.sha}` };
}
