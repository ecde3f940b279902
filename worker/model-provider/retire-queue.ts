/**
 * Replaced sessions waiting to be released. A swapped-out model may still be running the
 * predictions that started on it, so it is released `graceMs` after the swap (0: at once), and
 * then only once it is idle (SentimentModel.releaseWhenIdle). Two sessions live side by side no
 * longer than that, which keeps a swap inside the isolate's memory budget. No timers: whoever
 * drives the provider calls sweep() (workerd would not run a timer after its request ended).
 */
import type { SentimentModel } from '../../shared/sentiment-model';

type Releasable = Pick<SentimentModel, 'release' | 'releaseWhenIdle'>;

export class RetireQueue {
  private readonly waiting: Array<{ model: Releasable; releaseAt: number }> = [];

  constructor(
    private readonly graceMs: number,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A model nobody is handed any more: released once its grace period is over. */
  retire(model: Releasable): void {
    this.waiting.push({ model, releaseAt: this.now() + this.graceMs });
  }

  /** Releases the models whose grace period is over, each once it is idle. */
  sweep(): void {
    this.release((releaseAt, t) => releaseAt <= t, (model) => model.releaseWhenIdle());
  }

  /** Releases every model now, busy or not (closing). */
  releaseAll(): void {
    this.release(() => true, (model) => model.release());
  }

  get size(): number {
    return this.waiting.length;
  }

  private release(due: (releaseAt: number, now: number) => boolean, release: (model: Releasable) => Promise<void>): void {
    const t = this.now();
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (!due(this.waiting[i].releaseAt, t)) continue;
      const [{ model }] = this.waiting.splice(i, 1);
      release(model).catch(this.onError);
    }
  }
}
