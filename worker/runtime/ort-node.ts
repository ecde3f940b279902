/**
 * onnxruntime-web on Node. Node resolves the package's "node" export, which reads
 * ort-wasm-simd-threaded.wasm from node_modules and compiles it: nothing to work around. The
 * first session creation (which instantiates the wasm) is watched only to note ORT's memory.
 */
import * as ort from 'onnxruntime-web';
import type { OrtRuntime } from '../../shared/sentiment-model';
import { ortRuntime } from './ort-runtime';
import { withInstantiateHook } from './wasm-memory';

ort.env.wasm.numThreads = 1; // the single-threaded kernels workerd runs, so numbers match exactly

export const ortNode: OrtRuntime = ortRuntime(ort, (run) => withInstantiateHook(run));
