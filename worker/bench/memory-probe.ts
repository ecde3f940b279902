/**
 * What a Node process's isolate holds, observed from outside the product: a preload module
 * (`node --import ./worker/bench/memory-probe.ts server.mjs`; Node strips the types) or an import
 * at the top of a test file, before the first ORT session is created.
 *
 * It wraps WebAssembly.instantiate and notes the memories every instance imports (ORT's threaded
 * build creates its Memory in JS) or exports (other builds), because V8's own figures count
 * neither: the isolate's total is V8's committed heap + `external` (ArrayBuffers, Buffers) + wasm.
 * With BENCH_MEMORY_REPORT_S=N in the environment it also writes one JSON line with those figures
 * every N seconds to stdout (`"msg":"memory"`, with the pid: cluster workers inherit the preload),
 * which bench:serve reads (lib/isolate-memory.ts).
 *
 * Self-contained (no imports), so it runs before, and apart from, the code it observes.
 */

const MEMORIES = Symbol.for('bench.memoryProbe.memories');
type Instantiate = (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>;
const registry = globalThis as typeof globalThis & { [MEMORIES]?: Set<WebAssembly.Memory> };

/** Installs the wrapper once per isolate, however often this module is loaded. */
function install(): Set<WebAssembly.Memory> {
  const existing = registry[MEMORIES];
  if (existing) return existing;
  const memories = new Set<WebAssembly.Memory>();
  registry[MEMORIES] = memories;
  const original = WebAssembly.instantiate as Instantiate;
  const instantiate: Instantiate = (source, imports) =>
    original(source, imports).then((result) => {
      const instance = result instanceof WebAssembly.Instance ? result : (result as { instance?: unknown }).instance;
      if (instance instanceof WebAssembly.Instance) {
        const imported = Object.values(imports ?? {}).flatMap((module) => Object.values(module ?? {}));
        for (const value of [...Object.values(instance.exports), ...imported]) if (value instanceof WebAssembly.Memory) memories.add(value);
      }
      return result;
    });
  WebAssembly.instantiate = instantiate as typeof WebAssembly.instantiate;
  return memories;
}

const memories = install();

/** Bytes held by every wasm memory instantiated since the probe was loaded (they only grow). */
export function wasmMemoryBytes(): number {
  let bytes = 0;
  for (const memory of memories) bytes += memory.buffer.byteLength;
  return bytes;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** This process's isolate, in MiB. */
export function memorySnapshot() {
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  const wasm = wasmMemoryBytes();
  return {
    rss_mib: mib(rss),
    heap_used_mib: mib(heapUsed),
    heap_total_mib: mib(heapTotal),
    external_mib: mib(external),
    array_buffers_mib: mib(arrayBuffers),
    wasm_memory_mib: mib(wasm),
    /** JS heap + everything outside it that JS and ORT hold: the isolate's share of RSS. */
    isolate_total_mib: mib(heapTotal + external + wasm),
  };
}

const intervalS = Number(process.env.BENCH_MEMORY_REPORT_S ?? 0);
if (intervalS > 0) {
  // unref'd: it never keeps the process alive.
  setInterval(() => process.stdout.write(`${JSON.stringify({ msg: 'memory', pid: process.pid, ...memorySnapshot() })}\n`), intervalS * 1000).unref();
}
