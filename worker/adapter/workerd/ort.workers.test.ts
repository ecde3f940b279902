/**
 * ORT inside workerd on the hand-written fixture model: proves the precompiled-wasm trick and
 * that LabelEncoder (ai.onnx.ml v2, int64 -> int64) looks ids up correctly, including ids >= 2^31.
 */
import { describe, expect, it } from 'vitest';
import fixture from '../../test/fixtures/test-model.onnx';
import { describeLabelEncoderParity } from '../../test/label-encoder-parity';
import { ortWorkerd } from './ort';

describe('onnxruntime-web in workerd', () => {
  describeLabelEncoderParity(ortWorkerd, () => new Uint8Array(fixture));

  it('refuses to compile wasm from bytes (why this adapter hands ORT a precompiled module)', async () => {
    const emptyModule = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    await expect(WebAssembly.instantiate(emptyModule)).rejects.toThrow(/code generation disallowed/i);
  });
});
