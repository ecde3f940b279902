/**
 * onnxruntime-web inside workerd. workerd refuses to compile wasm from bytes ("Wasm code
 * generation disallowed by embedder"), so wrangler's CompiledWasm rule turns ORT's .wasm into a
 * WebAssembly.Module at build time (see wrangler.toml) and ORT is handed that module
 * (shared/ort/precompiled.ts). With a wasmBinary set, ORT uses the Emscripten glue embedded in the
 * onnxruntime-web/wasm bundle: no dynamic import of a URL.
 */
import * as ort from 'onnxruntime-web/wasm';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import type { OrtRuntime } from '../../../shared/sentiment-model';
import { precompiledWasm } from '../../../shared/ort/precompiled';
import { ortRuntime } from '../../../shared/ort/runtime';

ort.env.wasm.numThreads = 1; // no Web Workers in workerd: never try to start pthreads
ort.env.wasm.proxy = false;

export const ortWorkerd: OrtRuntime = ortRuntime(ort, precompiledWasm(ort, async () => ortWasm));
