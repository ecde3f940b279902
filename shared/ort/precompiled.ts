/**
 * Hands ORT a WebAssembly.Module compiled elsewhere. ORT's Emscripten loader always calls
 * WebAssembly.instantiate(bytes, imports) and offers no `instantiateWasm` hook, so
 * env.wasm.wasmBinary gets an empty placeholder (ORT then fetches and reads nothing) and, while
 * the first session initialises ORT, the instantiate call carrying that placeholder gets the
 * precompiled module instead. workerd needs this (it compiles wasm only at upload); on Node it
 * lets the compile start with the process, off the main thread (shared/ort/node.ts).
 */
interface OrtWasmEnv {
  env: { wasm: { wasmBinary?: ArrayBufferLike | Uint8Array } };
}

/** Sets the placeholder on `ort`; returns the initialiser ortRuntime() takes. */
export function precompiledWasm(ort: OrtWasmEnv, module: () => Promise<WebAssembly.Module>): <T>(run: () => Promise<T>) => Promise<T> {
  const placeholder = new ArrayBuffer(0);
  ort.env.wasm.wasmBinary = placeholder;
  return async (run) => {
    const compiled = await module();
    const original = WebAssembly.instantiate as Instantiate;
    // Emscripten passes wasmBinary on as new Uint8Array(wasmBinary): a view of the placeholder.
    const instantiate: Instantiate = (source, imports) =>
      ArrayBuffer.isView(source) && source.buffer === placeholder
        ? original(compiled, imports).then((instance) => ({ instance, module: compiled }))
        : original(source, imports);
    WebAssembly.instantiate = instantiate as typeof WebAssembly.instantiate;
    try {
      return await run();
    } finally {
      WebAssembly.instantiate = original as typeof WebAssembly.instantiate;
    }
  };
}

type Instantiate = (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>;
