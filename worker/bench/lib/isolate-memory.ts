/**
 * What the serving isolate itself holds (not the process's RSS): V8's heap, memory outside it
 * and ORT's wasm memory.
 *  - Node: the server logs runtime/memory-report.ts lines (MEMORY_REPORT_S); the latest per
 *    process is kept as they stream by.
 *  - workerd: V8's heap usage through the inspector (Runtime.getHeapUsage: JS heap used/total and
 *    the ArrayBuffer backing stores, the model's bytes among them). ORT's wasm memory is not
 *    counted there and workerd offers no other view of it.
 */
import type { Spawned } from './procs';

export type MemorySnapshot = Record<string, number>;

export interface IsolateMemoryProbe {
  /** The latest figures per process (Node: pid; workerd: 'isolate'). */
  snapshot(): Promise<Record<string, MemorySnapshot>>;
}

/** Node: the server must run with MEMORY_REPORT_S set. */
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

/** workerd started with `--inspector-addr 127.0.0.1:<port>`. */
export function workerdMemoryProbe(inspectorPort: number): IsolateMemoryProbe {
  return {
    async snapshot() {
      const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { id: string; webSocketDebuggerUrl?: string }[];
      const usage = await cdpCall(targets[0].webSocketDebuggerUrl ?? `ws://127.0.0.1:${inspectorPort}/${targets[0].id}`, 'Runtime.getHeapUsage');
      const mib = (key: string) => Math.round(((usage[key] as number) / 2 ** 20) * 10) / 10;
      return {
        isolate: { heap_used_mib: mib('usedSize'), heap_total_mib: mib('totalSize'), array_buffers_mib: mib('backingStorageSize'), embedder_mib: mib('embedderHeapUsedSize') },
      };
    },
  };
}

/** One Chrome DevTools Protocol call on a fresh connection (closed again, so the inspector costs nothing during loads). */
async function cdpCall(url: string, method: string): Promise<Record<string, unknown>> {
  const ws = new WebSocket(url);
  try {
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error(`inspector at ${url} refused the connection`));
    });
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer from the inspector`)), 5_000);
      ws.onmessage = (event) => {
        const data = JSON.parse(String(event.data)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
        if (data.id !== 1) return;
        clearTimeout(timer);
        if (data.error) reject(new Error(`${method}: ${data.error.message}`));
        else resolve(data.result ?? {});
      };
      ws.send(JSON.stringify({ id: 1, method }));
    });
  } finally {
    ws.close();
  }
}
