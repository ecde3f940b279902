/**
 * How much wasm memory ORT holds. ORT's threaded build creates its Memory in JS and imports it;
 * other builds export it. The ORT adapters watch the instantiation and note either, so the
 * memory report can say how much of the process's memory is the model runtime's.
 */
const memories = new Set<WebAssembly.Memory>();

/** Records the memories an instance imports or exports. */
function noteMemories(instance: WebAssembly.Instance, imports: WebAssembly.Imports | undefined): void {
  const values = [...Object.values(instance.exports), ...Object.values(imports ?? {}).flatMap((module) => Object.values(module))];
  for (const value of values) if (value instanceof WebAssembly.Memory) memories.add(value);
}

/** Bytes held by the noted wasm memories (they only grow). */
export function wasmMemoryBytes(): number {
  let bytes = 0;
  for (const memory of memories) bytes += memory.buffer.byteLength;
  return bytes;
}

type Instantiate = (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>;

/**
 * Runs `run` with WebAssembly.instantiate wrapped: `redirect` may answer a call itself (the
 * precompiled-module hand-over, shared/ort/precompiled.ts); every resulting instance is noted.
 */
export async function withInstantiateHook<T>(run: () => Promise<T>, redirect: (source: unknown, imports: WebAssembly.Imports | undefined, original: Instantiate) => Promise<unknown> | undefined): Promise<T> {
  const original = WebAssembly.instantiate as Instantiate;
  const instantiate = (source: unknown, imports?: WebAssembly.Imports): Promise<unknown> =>
    (redirect(source, imports, original) ?? original(source, imports)).then((result) => {
      const instance = result instanceof WebAssembly.Instance ? result : (result as { instance?: unknown }).instance;
      if (instance instanceof WebAssembly.Instance) noteMemories(instance, imports);
      return result;
    });
  WebAssembly.instantiate = instantiate as typeof WebAssembly.instantiate;
  try {
    return await run();
  } finally {
    WebAssembly.instantiate = original as typeof WebAssembly.instantiate;
  }
}
