/**
 * What the serving isolate itself holds (not the process's RSS): V8's heap, memory outside it
 * and ORT's wasm memory.
 *  - Node: the memory probe preloaded into the server (../memory-probe.ts, BENCH_MEMORY_REPORT_S)
 *    writes lines to its stdout; the latest per process is kept as they stream by.
 *  - workerd: through the inspector (see workerdMemoryProbe).
 */
import type { Spawned } from './procs';

export type MemorySnapshot = Record<string, number>;

export interface IsolateMemoryProbe {
  /** The latest figures per process (Node: pid; workerd: 'isolate'). */
  snapshot(): Promise<Record<string, MemorySnapshot>>;
}

/** Node: the server must run with the memory probe preloaded and BENCH_MEMORY_REPORT_S set. */
export function nodeMemoryProbe(server: Spawned): IsolateMemoryProbe {
  const latest: Record<string, MemorySnapshot> = {};
  let partial = '';
  server.onOutput((text) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"msg":"memory"')) continue;
      try {
        const { pid, msg: _msg, time: _time, level: _level, ...figures } = JSON.parse(line) as Record<string, unknown>;
        latest[String(pid)] = figures as MemorySnapshot;
      } catch {
        // a line cut by the log buffer: the next one will do
      }
    }
  });
  return { snapshot: async () => structuredClone(latest) };
}

/**
 * workerd started with `--inspector-addr 127.0.0.1:<port>`. One inspector session per snapshot
 * (closed again, so it costs nothing during loads):
 *  - Runtime.getHeapUsage: JS heap used/total and the ArrayBuffer backing stores (the model's
 *    bytes among them);
 *  - ORT's wasm memory, which that does not count (the threaded build's Memory is shared): every
 *    WebAssembly.Memory in the isolate, found with Runtime.queryObjects, summed.
 * (workerd's inspector does not answer HeapProfiler.collectGarbage, so garbage is counted too.)
 */
export function workerdMemoryProbe(inspectorPort: number): IsolateMemoryProbe {
  return {
    async snapshot() {
      const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { id: string; webSocketDebuggerUrl?: string }[];
      return cdpSession(targets[0].webSocketDebuggerUrl ?? `ws://127.0.0.1:${inspectorPort}/${targets[0].id}`, async (call, contexts) => {
        const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
        const usage = await call('Runtime.getHeapUsage');
        const wasm = await wasmMemoryBytes(call, contexts);
        const [heapUsed, heapTotal, arrayBuffers] = [usage.usedSize, usage.totalSize, usage.backingStorageSize] as number[];
        return {
          isolate: {
            heap_used_mib: mib(heapUsed),
            heap_total_mib: mib(heapTotal),
            array_buffers_mib: mib(arrayBuffers),
            wasm_memory_mib: mib(wasm),
            // As on Node (memory-probe.ts): the heap V8 has committed, not just what is live.
            isolate_total_mib: mib(heapTotal + arrayBuffers + wasm),
          },
        };
      });
    },
  };
}

type CdpCall = (method: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Bytes of every WebAssembly.Memory the isolate holds (ORT's, in practice). */
async function wasmMemoryBytes(call: CdpCall, contexts: number[]): Promise<number> {
  await call('Runtime.enable'); // announces the worker's execution context
  const contextId = contexts.at(-1);
  if (contextId === undefined) throw new Error('the inspector announced no execution context');
  const prototype = (await call('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype', contextId })).result as { objectId: string };
  const memories = (await call('Runtime.queryObjects', { prototypeObjectId: prototype.objectId })).objects as { objectId: string };
  const sum = await call('Runtime.callFunctionOn', {
    objectId: memories.objectId,
    functionDeclaration: 'function () { return this.reduce((bytes, memory) => bytes + memory.buffer.byteLength, 0); }',
    returnByValue: true,
  });
  return (sum.result as { value: number }).value;
}

/** One Chrome DevTools Protocol session: `use` sends calls on it; closed afterwards. */
async function cdpSession<T>(url: string, use: (call: CdpCall, contexts: number[]) => Promise<T>): Promise<T> {
  const ws = new WebSocket(url);
  const contexts: number[] = [];
  const pending = new Map<number, { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  try {
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error(`inspector at ${url} refused the connection`));
    });
    ws.onmessage = (event) => {
      const data = JSON.parse(String(event.data)) as { id?: number; method?: string; params?: { context?: { id: number } }; result?: Record<string, unknown>; error?: { message: string } };
      if (data.method === 'Runtime.executionContextCreated' && data.params?.context) contexts.push(data.params.context.id);
      const waiter = data.id === undefined ? undefined : pending.get(data.id);
      if (!waiter) return;
      pending.delete(data.id!);
      if (data.error) waiter.reject(new Error(data.error.message));
      else waiter.resolve(data.result ?? {});
    };
    const call: CdpCall = (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => reject(new Error(`${method}: no answer from the inspector`)), 10_000);
        pending.set(id, {
          resolve: (result) => (clearTimeout(timer), resolve(result)),
          reject: (error) => (clearTimeout(timer), reject(new Error(`${method}: ${error.message}`))),
        });
        ws.send(JSON.stringify({ id, method, params }));
      });
    return await use(call, contexts);
  } finally {
    ws.close();
  }
}
