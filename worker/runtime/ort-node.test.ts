/** ORT on Node on the fixture model: the same checks as in workerd (ort-workerd.workers.test.ts). */
import { readFileSync } from 'node:fs';
import { describe } from 'vitest';
import { describeLabelEncoderParity } from '../test/label-encoder-parity';
import { ortNode } from './ort-node';

describe('onnxruntime-web on Node', () => {
  describeLabelEncoderParity(ortNode, () => new Uint8Array(readFileSync(new URL('../test/fixtures/test-model.onnx', import.meta.url))));
});
