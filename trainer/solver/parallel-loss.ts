/**
 * Evaluates the logistic loss over row chunks on several threads: the calling thread takes the
 * first chunk, worker threads the others. The matrix lives in SharedArrayBuffers (copied once),
 * each evaluation only copies theta in and sums the workers' gradients out, in a fixed order so
 * results are deterministic. L-BFGS calls the objective synchronously, hence Atomics.wait.
 */
import { Worker } from 'node:worker_threads';
import type { CsrMatrix } from '../model/sparse-matrix';
import { accumulateRows, CONTROL_SLOTS, FINISHED, GENERATION, READY, type LossWorkerData } from './loss-worker';

const WORKER_URL = new URL('./loss-worker.ts', import.meta.url);
/** A worker that has not started by then never will (its module failed to load): fail instead of waiting forever. */
const START_TIMEOUT_MS = 120_000;

function shared<T extends Float64Array | Float32Array | Int32Array>(source: T): T {
  const Constructor = source.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Constructor(new SharedArrayBuffer(source.byteLength));
  copy.set(source as never);
  return copy;
}

export class ParallelLoss {
  private readonly workers: Worker[] = [];
  private readonly gradients: Float64Array[] = [];
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  private readonly started = performance.now();
  private readonly theta: Float64Array;
  private readonly losses: Float64Array;
  private readonly firstChunkEnd: number;
  private readonly matrix: CsrMatrix;
  private readonly biasOffset: number;

  constructor(
    matrix: CsrMatrix,
    private readonly labels: Int32Array,
    private readonly rowWeights: Float64Array,
    threads: number,
  ) {
    this.biasOffset = matrix.columns * 3;
    const size = this.biasOffset + 3;
    const chunks = Math.max(1, Math.min(threads, matrix.rows));
    const bounds = Array.from({ length: chunks + 1 }, (_, i) => Math.round((i * matrix.rows) / chunks));
    this.firstChunkEnd = bounds[1];
    this.theta = new Float64Array(new SharedArrayBuffer(size * 8));
    this.losses = new Float64Array(new SharedArrayBuffer(chunks * 8));
    if (chunks > 1) {
      matrix = { ...matrix, rowStart: shared(matrix.rowStart), columnIndex: shared(matrix.columnIndex), values: shared(matrix.values) };
      this.labels = shared(labels);
      this.rowWeights = shared(rowWeights);
    }
    this.matrix = matrix;
    for (let index = 1; index < chunks; index++) {
      const gradient = new Float64Array(new SharedArrayBuffer(size * 8));
      this.gradients.push(gradient);
      const workerData: LossWorkerData = {
        lossWorker: true,
        control: this.control.buffer as SharedArrayBuffer,
        rowStart: matrix.rowStart,
        columnIndex: matrix.columnIndex,
        values: matrix.values,
        labels: this.labels,
        rowWeights: this.rowWeights,
        theta: this.theta,
        gradient,
        losses: this.losses,
        index,
        rowFrom: bounds[index],
        rowTo: bounds[index + 1],
        biasOffset: this.biasOffset,
      };
      this.workers.push(new Worker(WORKER_URL, { workerData }));
    }
  }

  /** Fills `gradient` with the data term's gradient at theta and returns its value. */
  evaluate(theta: Float64Array, gradient: Float64Array): number {
    const { rowStart, columnIndex, values } = this.matrix;
    if (this.workers.length > 0) {
      this.theta.set(theta);
      Atomics.store(this.control, FINISHED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
    }
    gradient.fill(0);
    let loss = accumulateRows(rowStart, columnIndex, values, this.labels, this.rowWeights, theta, gradient, 0, this.firstChunkEnd, this.biasOffset);
    for (let done = Atomics.load(this.control, FINISHED); done < this.workers.length; done = Atomics.load(this.control, FINISHED)) {
      if (Atomics.wait(this.control, FINISHED, done, 1_000) === 'timed-out') this.checkStarted();
    }
    this.gradients.forEach((partial, i) => {
      for (let j = 0; j < partial.length; j++) gradient[j] += partial[j];
      loss += this.losses[i + 1];
    });
    return loss;
  }

  /** Atomics.wait blocks this thread's event loop, so a worker's 'error' event cannot arrive: count who started instead. */
  private checkStarted(): void {
    const ready = Atomics.load(this.control, READY);
    if (ready < this.workers.length && performance.now() - this.started > START_TIMEOUT_MS) {
      this.close();
      throw new Error(`only ${ready} of ${this.workers.length} loss workers started within ${START_TIMEOUT_MS / 1000} s (${WORKER_URL.pathname} failed to load?)`);
    }
  }

  close(): void {
    Atomics.store(this.control, GENERATION, -1);
    Atomics.notify(this.control, GENERATION);
    for (const worker of this.workers) void worker.terminate();
  }
}
