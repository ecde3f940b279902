/**
 * What the Node server's isolate holds, in MiB: V8's heap, the memory outside it that V8 knows of
 * (`external`: ArrayBuffers, Buffers) and ORT's wasm memory, which is shared (threaded build) and
 * so counted by neither. MEMORY_REPORT_S=N logs it every N seconds (the serving benchmark reads
 * these lines); off by default.
 */
import type { Logger } from '../logger';
import { wasmMemoryBytes } from './wasm-memory';

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

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

/** Logs a snapshot every `intervalS` seconds (unref'd: it never keeps the process alive). */
export function startMemoryReport(log: Logger, intervalS: number): () => void {
  const timer = setInterval(() => log('info', { msg: 'memory', pid: process.pid, ...memorySnapshot() }), intervalS * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
