/** ORT on Node on the fixture model: the same checks as in workerd (worker/adapter/workerd/ort.workers.test.ts). */
import { readFileSync } from 'node:fs';
import { describe } from 'vitest';
import { describeLabelEncoderParity } from '../../worker/test/label-encoder-parity';
import { ortNode } from './node';

describe('onnxruntime-web on Node', () => {
  describeLabelEncoderParity(ortNode, () => new Uint8Array(readFileSync(new URL('../../worker/test/fixtures/test-model.onnx', import.meta.url))));
});
