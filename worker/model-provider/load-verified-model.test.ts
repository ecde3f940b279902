import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrtRuntime } from '../../shared/sentiment-model';
import { ortNode } from '../../shared/ort/node';
import { loadVerifiedModel, verifyModelFiles } from './load-verified-model';

const files = () => ({
  bytes: new Uint8Array(readFileSync(new URL('../test/fixtures/test-model.onnx', import.meta.url))),
  manifest: JSON.parse(readFileSync(new URL('../test/fixtures/test-model.manifest.json', import.meta.url), 'utf8')) as Record<string, unknown>,
});

/** ORT on Node, counting the sessions created. */
function countingOrt(): { ort: OrtRuntime; sessions: () => number } {
  let sessions = 0;
  const ort: OrtRuntime = {
    Tensor: ortNode.Tensor,
    InferenceSession: {
      create: (model, options) => {
        sessions += 1;
        return ortNode.InferenceSession.create(model, options);
      },
    },
  };
  return { ort, sessions: () => sessions };
}

describe('loadVerifiedModel', () => {
  it('loads a model whose manifest agrees with its metadata', async () => {
    const { ort, sessions } = countingOrt();
    const { model, manifest } = await loadVerifiedModel(ort, { ...files(), verifyDigest: true });
    expect(model.version).toBe(manifest.version);
    expect(model.featurizerSpec).toEqual(manifest.featurizer);
    expect(sessions()).toBe(1);
    await model.release();
  });

  it('refuses a manifest naming another version or featurizer before creating a session', async () => {
    const { ort, sessions } = countingOrt();
    const good = files();
    await expect(loadVerifiedModel(ort, { ...good, manifest: { ...good.manifest, version: 'v5' } })).rejects.toThrow(/model says version v\d+, manifest says v5/);
    const featurizer = { ...(good.manifest.featurizer as Record<string, unknown>), version: 1 };
    const otherFeaturizer = JSON.stringify(featurizer) === JSON.stringify(good.manifest.featurizer) ? { ...featurizer, version: 2 } : featurizer;
    await expect(loadVerifiedModel(ort, { ...good, manifest: { ...good.manifest, featurizer: otherFeaturizer } })).rejects.toThrow(/different featurizers/);
    expect(sessions()).toBe(0);
  });

  it('returns the contract it read, for SentimentModel.load', async () => {
    const { manifest, contract } = await verifyModelFiles(files());
    expect(contract).toMatchObject({ version: manifest.version, featurizerSpec: manifest.featurizer });
  });
});
