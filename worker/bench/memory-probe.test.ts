import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memorySnapshot, wasmMemoryBytes } from './memory-probe';
import { SentimentModel } from '../../shared/sentiment-model';
import { ortNode } from '../../shared/ort/node';

describe('memory probe', () => {
  it("counts ORT's wasm memory once a model is loaded, on top of V8's heap and external memory", async () => {
    const model = await SentimentModel.load(ortNode, new Uint8Array(readFileSync('worker/model/model.onnx')));
    await model.predict(['fine']);
    expect(wasmMemoryBytes()).toBeGreaterThan(2 ** 20);
    const m = memorySnapshot();
    expect(m.isolate_total_mib).toBeCloseTo(m.heap_total_mib + m.external_mib + m.wasm_memory_mib, 0);
    await model.release();
  });

  it('as a preload (node --import), writes memory lines with BENCH_MEMORY_REPORT_S and never keeps the process alive', async () => {
    const script = "await WebAssembly.instantiate(new Uint8Array([0,97,115,109,1,0,0,0,5,3,1,0,2,7,7,1,3,109,101,109,2,0])); await new Promise((r) => setTimeout(r, 1300));";
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', new URL('./memory-probe.ts', import.meta.url).pathname, '--input-type=module', '-e', script], {
      env: { ...process.env, BENCH_MEMORY_REPORT_S: '0.5', NODE_OPTIONS: '' },
      timeout: 20_000,
    });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, number | string>);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    // The module exports a memory of 2 pages (128 KiB).
    expect(lines.at(-1)).toMatchObject({ msg: 'memory', pid: expect.any(Number), wasm_memory_mib: 0.1 });
  });
});
