/**
 * Per-minute counters kept in memory by each process (Node) or isolate (workerd). The request
 * path only increments numbers here; a flush (metrics.ts) hands the minutes gathered so far to the
 * store as additive upserts, so several processes or isolates sum into the same rows and no row is
 * ever written per request.
 */
import type { Label } from '../../shared/labels';

export const COUNTER_FIELDS = ['requests', 'predictions', 'negative', 'neutral', 'positive', 'low_confidence', 'feedback', 'disagreements'] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type Counts = Record<CounterField, number>;

/** One row of the store: a minute (minutes since the epoch, UTC) and the model version that served it. */
export interface MinuteCounts extends Counts {
  minute: number;
  model_version: string;
}

export const emptyCounts = (): Counts => ({ requests: 0, predictions: 0, negative: 0, neutral: 0, positive: 0, low_confidence: 0, feedback: 0, disagreements: 0 });

export function addCounts(into: Counts, from: Counts): Counts {
  for (const field of COUNTER_FIELDS) into[field] += from[field];
  return into;
}

export const minuteOf = (ms: number) => Math.floor(ms / 60_000);

export class MinuteCounters {
  private rows = new Map<string, MinuteCounts>();
  /** The row of the last call: almost every call lands in the same minute and version. */
  private last: MinuteCounts | undefined;

  /** One prediction request (single or batch) and its results. */
  predictions(version: string, results: ReadonlyArray<{ label: Label; confidence: number }>, lowConfidenceBelow: number, now = Date.now()): void {
    const row = this.row(version, now);
    row.requests++;
    row.predictions += results.length;
    for (const { label, confidence } of results) {
      row[label]++;
      if (confidence < lowConfidenceBelow) row.low_confidence++;
    }
  }

  /** One stored feedback record; a disagreement is a correct_label other than the model's label. */
  feedback(version: string, modelLabel: Label, correctLabel: Label, now = Date.now()): void {
    const row = this.row(version, now);
    row.feedback++;
    if (modelLabel !== correctLabel) row.disagreements++;
  }

  get pending(): boolean {
    return this.rows.size > 0;
  }

  /** The rows gathered since the last drain; the counters start again from zero. */
  drain(): MinuteCounts[] {
    const rows = [...this.rows.values()];
    this.rows = new Map();
    this.last = undefined;
    return rows;
  }

  /** Puts rows back (a failed store write), adding to whatever was counted meanwhile. */
  restore(rows: readonly MinuteCounts[]): void {
    for (const row of rows) addCounts(this.row(row.model_version, row.minute * 60_000), row);
  }

  private row(version: string, now: number): MinuteCounts {
    const minute = minuteOf(now);
    const last = this.last;
    if (last && last.minute === minute && last.model_version === version) return last;
    const key = `${minute}|${version}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { minute, model_version: version, ...emptyCounts() };
      this.rows.set(key, row);
    }
    this.last = row;
    return row;
  }
}
