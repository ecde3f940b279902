/**
 * What a promotion commits: the candidate re-stamped as the repo's next version (v1, v2, …),
 * its manifest (parent = the version it replaces), the model card, and the metrics history with
 * this version's line appended.
 */
import { createHash } from 'node:crypto';
import { manifestSchema, nextModelVersion, type Manifest } from '../../shared/manifest';
import { setModelVersion } from '../export/set-model-version';
import { historyLine, type HistoryDetails } from './history';
import { renderModelCard } from './model-card';
import type { PublishedState, PublishFiles } from './model-repo';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `details` says why it was promoted (and against what), for its history line. */
export function releaseFiles(repo: string, onnx: Uint8Array, candidate: Manifest, published: PublishedState, details: Omit<HistoryDetails, 'promoted'>): PublishFiles {
  const version = nextModelVersion(published.manifest?.version ?? null);
  const model = setModelVersion(onnx, version);
  const manifest = manifestSchema.parse({
    ...candidate,
    version,
    sha256: sha256(model),
    size_bytes: model.length,
    parent_version: published.manifest?.version ?? null,
  });
  return { model, manifest, card: renderModelCard(manifest, repo), history: published.history + historyLine(manifest, { promoted: true, ...details }) };
}
