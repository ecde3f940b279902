/** A model provider over the fixture model on Node, for app tests that need no real model. */
import { readFileSync } from 'node:fs';
import { createStaticModelProvider, type ModelProvider } from '../model-provider/model-provider';
import { ortNode } from '../../shared/ort/node';

export function fixtureModelProvider(): ModelProvider {
  return createStaticModelProvider({
    ort: ortNode,
    source: 'test fixture',
    files: async () => ({
      bytes: new Uint8Array(readFileSync(new URL('./fixtures/test-model.onnx', import.meta.url))),
      manifest: JSON.parse(readFileSync(new URL('./fixtures/test-model.manifest.json', import.meta.url), 'utf8')),
      verifyDigest: true,
    }),
  });
}
