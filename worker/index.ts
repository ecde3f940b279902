/** workerd entry: ORT from the precompiled wasm module, the model from the bundle. */
import { createApp } from './app';
import manifest from './model/manifest.json';
import modelBytes from './model/model.onnx';
import { createStaticModelProvider } from './model-provider/model-provider';
import { ortWorkerd } from './runtime/ort-workerd';

const app = createApp({
  runtime: 'workerd',
  models: createStaticModelProvider({
    ort: ortWorkerd,
    source: 'bundled',
    files: async () => ({ bytes: new Uint8Array(modelBytes), manifest }),
  }),
});

export default app;
