import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SentimentModel } from '../../shared/sentiment-model';
import { memorySnapshot } from './memory-report';
import { ortNode } from '../../shared/ort/node';

describe('memorySnapshot', () => {
  it("counts ORT's wasm memory once a model is loaded, on top of V8's heap and external memory", async () => {
    const model = await SentimentModel.load(ortNode, new Uint8Array(readFileSync('worker/model/model.onnx')));
    await model.predict(['fine']);
    const m = memorySnapshot();
    expect(m.wasm_memory_mib).toBeGreaterThan(1);
    expect(m.isolate_total_mib).toBeCloseTo(m.heap_total_mib + m.external_mib + m.wasm_memory_mib, 0);
    await model.release();
  });
});
