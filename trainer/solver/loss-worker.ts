/**
 * The logistic loss kernel, and the loop a worker thread runs it in (parallel-loss.ts starts this
 * file as a worker). The file imports nothing but Node built-ins, so a worker can load it whatever
 * runs the parent: tsx (the worker inherits its loader), vitest or plain Node (which strip the
 * types of a .ts file themselves). Only erasable TypeScript here, for that reason.
 */
import { workerData } from 'node:worker_threads';

/** control[0]: bumped to start an evaluation; -1 tells workers to exit. */
export const GENERATION = 0;
/** control[1]: how many workers are done with the current evaluation. */
export const FINISHED = 1;
/** control[2]: how many workers have started. */
export const READY = 2;
export const CONTROL_SLOTS = 3;

/** What parallel-loss.ts hands each worker; every array lives in a SharedArrayBuffer. */
export interface LossWorkerData {
  lossWorker: true;
  control: SharedArrayBuffer;
  rowStart: Int32Array;
  columnIndex: Int32Array;
  values: Float32Array | Float64Array;
  labels: Int32Array;
  rowWeights: Float64Array;
  theta: Float64Array;
  gradient: Float64Array;
  losses: Float64Array;
  index: number;
  rowFrom: number;
  rowTo: number;
  biasOffset: number;
}

/**
 * Adds rows [rowFrom, rowTo)'s share of the data term to `gradient` (W part and bias at biasOffset)
 * and returns their loss. One pass per row computes logits, loss and gradient while the row is in
 * cache.
 */
export function accumulateRows(
  rowStart: Int32Array,
  columnIndex: Int32Array,
  values: Float32Array | Float64Array,
  labels: Int32Array,
  rowWeights: Float64Array,
  theta: Float64Array,
  gradient: Float64Array,
  rowFrom: number,
  rowTo: number,
  biasOffset: number,
): number {
  const b0 = theta[biasOffset];
  const b1 = theta[biasOffset + 1];
  const b2 = theta[biasOffset + 2];
  let loss = 0;
  let gb0 = 0;
  let gb1 = 0;
  let gb2 = 0;
  for (let r = rowFrom; r < rowTo; r++) {
    const start = rowStart[r];
    const end = rowStart[r + 1];
    let z0 = b0;
    let z1 = b1;
    let z2 = b2;
    for (let k = start; k < end; k++) {
      const j = columnIndex[k] * 3;
      const v = values[k];
      z0 += v * theta[j];
      z1 += v * theta[j + 1];
      z2 += v * theta[j + 2];
    }
    const max = Math.max(z0, z1, z2);
    const e0 = Math.exp(z0 - max);
    const e1 = Math.exp(z1 - max);
    const e2 = Math.exp(z2 - max);
    const sum = e0 + e1 + e2;
    const label = labels[r];
    const w = rowWeights[r];
    loss += w * (max + Math.log(sum) - (label === 0 ? z0 : label === 1 ? z1 : z2));
    const g0 = w * (e0 / sum - (label === 0 ? 1 : 0));
    const g1 = w * (e1 / sum - (label === 1 ? 1 : 0));
    const g2 = w * (e2 / sum - (label === 2 ? 1 : 0));
    gb0 += g0;
    gb1 += g1;
    gb2 += g2;
    for (let k = start; k < end; k++) {
      const j = columnIndex[k] * 3;
      const v = values[k];
      gradient[j] += v * g0;
      gradient[j + 1] += v * g1;
      gradient[j + 2] += v * g2;
    }
  }
  gradient[biasOffset] += gb0;
  gradient[biasOffset + 1] += gb1;
  gradient[biasOffset + 2] += gb2;
  return loss;
}

/** Waits for each evaluation the parent starts, computes this worker's rows, reports, until told to exit. */
function serve(d: LossWorkerData): void {
  const control = new Int32Array(d.control);
  Atomics.add(control, READY, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, GENERATION, seen);
    seen = Atomics.load(control, GENERATION);
    if (seen < 0) break;
    d.gradient.fill(0);
    d.losses[d.index] = accumulateRows(d.rowStart, d.columnIndex, d.values, d.labels, d.rowWeights, d.theta, d.gradient, d.rowFrom, d.rowTo, d.biasOffset);
    Atomics.add(control, FINISHED, 1);
    Atomics.notify(control, FINISHED);
  }
}

// Imported for the kernel (main thread, or any thread that is not a loss worker): nothing runs.
if ((workerData as Partial<LossWorkerData> | null)?.lossWorker === true) serve(workerData as LossWorkerData);
