/**
 * onnxruntime-web on Node (its "node" export). Left alone, ORT reads its 14 MB wasm and compiles
 * it inside the first session creation, after the app has loaded. compileOrtWasm() starts both as
 * soon as the process entry calls it (worker/adapter/node/main.ts): the file is read on libuv's threads
 * while the app's modules load, and compiled as soon as it has arrived. The first session then
 * instantiates the compiled module (precompiled.ts).
 *
 * The one Node-only file in shared/ (node:fs, node:module, setImmediate), shared by the trainer and
 * the Node server: a shared/ tsconfig without Node types leaves this file to a Node one.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-web';
import type { OrtRuntime } from '../sentiment-model';
import { precompiledWasm } from './precompiled';
import { ortRuntime } from './runtime';

ort.env.wasm.numThreads = 1; // the single-threaded kernels workerd runs, so numbers match exactly

let compiled: Promise<WebAssembly.Module> | undefined;

/** Starts reading and compiling ORT's wasm (once); the first session waits for it. */
export function compileOrtWasm(): Promise<WebAssembly.Module> {
  compiled ??= readFile(createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm')).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

/** setImmediate runs after the poll phase, so requests read in the same turn share one ORT run. */
export const ortNode: OrtRuntime = { ...ortRuntime(ort, precompiledWasm(ort, compileOrtWasm)), nextTurn: (fn) => void setImmediate(fn) };
