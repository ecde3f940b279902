/**
 * The shipped model and its manifest must describe each other: the workerd entry does not hash
 * the bundle at startup (CPU time on every cold start), so this test does it once, here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestSchema } from '../../shared/manifest';
import { readModelMetadata } from '../../shared/sentiment-model';
import { METADATA_KEYS } from '../../shared/model-contract';
import { sha256Hex } from '../model-provider/load-verified-model';

describe('worker/model', () => {
  it('manifest.json matches model.onnx (size, sha256, version, featurizer)', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('./model.onnx', import.meta.url)));
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8')));
    expect(bytes.length).toBe(manifest.size_bytes);
    expect(await sha256Hex(bytes)).toBe(manifest.sha256);
    const metadata = readModelMetadata(bytes);
    expect(metadata[METADATA_KEYS.modelVersion]).toBe(manifest.version);
    expect(JSON.parse(metadata[METADATA_KEYS.featurizer])).toEqual(manifest.featurizer);
  });
});
