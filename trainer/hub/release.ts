/**
 * What a promotion commits: the candidate re-stamped as the repo's next version (v1, v2, …),
 * its manifest (parent = the version it replaces), the model card and the metrics history.
 */
import { createHash } from 'node:crypto';
import { manifestSchema, nextModelVersion, type Manifest } from '../../shared/manifest';
import { setModelVersion } from '../export/set-model-version';
import { renderModelCard } from './model-card';
import type { PublishedState, PublishFiles } from './model-repo';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The release files; `history` is the repo's history so far (the caller appends this candidate's line). */
export function releaseFiles(repo: string, onnx: Uint8Array, candidate: Manifest, published: PublishedState): PublishFiles {
  const version = nextModelVersion(published.manifest?.version ?? null);
  const model = setModelVersion(onnx, version);
  const manifest = manifestSchema.parse({
    ...candidate,
    version,
    sha256: sha256(model),
    size_bytes: model.length,
    parent_version: published.manifest?.version ?? null,
  });
  return { model, manifest, card: renderModelCard(manifest, repo), history: published.history };
}
