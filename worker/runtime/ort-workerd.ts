/**
 * onnxruntime-web inside workerd.
 *
 * workerd refuses to compile wasm from bytes ("Wasm code generation disallowed by embedder"),
 * yet ORT's Emscripten loader always calls WebAssembly.instantiate(bytes, imports). So:
 *  - wrangler's CompiledWasm rule turns ORT's .wasm into a precompiled WebAssembly.Module at
 *    build time (see wrangler.toml);
 *  - env.wasm.wasmBinary gets an empty placeholder buffer: ORT then uses the Emscripten glue
 *    embedded in the onnxruntime-web/wasm bundle (no dynamic import of a URL) and fetches nothing;
 *  - while ORT initialises (inside the first session creation), WebAssembly.instantiate is
 *    wrapped: the call carrying the placeholder instantiates the precompiled module instead.
 * ORT offers no way to pass Emscripten's `instantiateWasm` hook, hence the wrapper.
 */
import * as ort from 'onnxruntime-web/wasm';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import type { OrtRuntime } from '../../shared/sentiment-model';
import { ortRuntime } from './ort-runtime';
import { withInstantiateHook } from './wasm-memory';

const placeholder = new ArrayBuffer(0);

ort.env.wasm.numThreads = 1; // no Web Workers in workerd: never try to start pthreads
ort.env.wasm.proxy = false;
ort.env.wasm.wasmBinary = placeholder;

export const ortWorkerd: OrtRuntime = ortRuntime(ort, withPrecompiledWasm);

function withPrecompiledWasm<T>(run: () => Promise<T>): Promise<T> {
  // Emscripten passes wasmBinary on as new Uint8Array(wasmBinary): a view of our placeholder.
  return withInstantiateHook(run, (source, imports, original) =>
    ArrayBuffer.isView(source) && source.buffer === placeholder
      ? original(ortWasm, imports).then((instance) => ({ instance, module: ortWasm }))
      : undefined,
  );
}
