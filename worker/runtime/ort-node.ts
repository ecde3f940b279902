/**
 * onnxruntime-web on Node (its "node" export). Left alone, ORT reads its 14 MB wasm and compiles
 * it inside the first session creation, after the app has loaded: about 0.2 s on the path to the
 * first prediction. compileOrtWasm() starts that read and compile as early as the process entry
 * calls it (worker/node-main.ts); V8 compiles mostly off the main thread, so it overlaps the
 * loading of the app's modules. The first session then instantiates the compiled module.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-web';
import type { OrtRuntime } from '../../shared/sentiment-model';
import { precompiledWasm } from './ort-precompiled';
import { ortRuntime } from './ort-runtime';

ort.env.wasm.numThreads = 1; // the single-threaded kernels workerd runs, so numbers match exactly

let compiled: Promise<WebAssembly.Module> | undefined;

/** Starts reading and compiling ORT's wasm (once); the first session waits for it. */
export function compileOrtWasm(): Promise<WebAssembly.Module> {
  compiled ??= readFile(createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm')).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

export const ortNode: OrtRuntime = ortRuntime(ort, precompiledWasm(ort, compileOrtWasm));
