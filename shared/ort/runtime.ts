/**
 * An OrtRuntime over an onnxruntime-web module whose first session creation initialises ORT's
 * wasm: that one runs inside `initialise` (which hooks WebAssembly.instantiate), and every later
 * creation waits for it, because ORT rejects a second initialisation while the first is running.
 */
import type { OrtRuntime } from '../sentiment-model';

export function ortRuntime(ort: OrtRuntime, initialise: <T>(run: () => Promise<T>) => Promise<T>): OrtRuntime {
  let ready: Promise<unknown> | undefined;
  return {
    Tensor: ort.Tensor,
    InferenceSession: {
      async create(model, options) {
        if (!ready) {
          const first = initialise(() => ort.InferenceSession.create(model, options));
          ready = first.catch(() => undefined);
          return first;
        }
        await ready;
        return ort.InferenceSession.create(model, options);
      },
    },
  };
}
