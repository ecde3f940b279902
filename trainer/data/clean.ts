/** Training-data hygiene: drops empty texts and repeated texts (first occurrence wins). */
import type { LabelledRow } from './csv';

export interface CleaningReport {
  input: number;
  kept: number;
  empty: number;
  duplicates: number;
  /** Duplicates whose label differed from the kept row's. */
  conflicting: number;
}

/** The key two texts are "the same" under: trimmed, whitespace collapsed, case kept. */
export function textKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

export function cleanRows(rows: readonly LabelledRow[]): { rows: LabelledRow[]; report: CleaningReport } {
  const seen = new Map<string, LabelledRow>();
  let empty = 0;
  let duplicates = 0;
  let conflicting = 0;
  for (const row of rows) {
    const key = textKey(row.text);
    if (key === '') {
      empty++;
      continue;
    }
    const first = seen.get(key);
    if (first) {
      duplicates++;
      if (first.label !== row.label) conflicting++;
      continue;
    }
    seen.set(key, row);
  }
  const kept = [...seen.values()];
  return { rows: kept, report: { input: rows.length, kept: kept.length, empty, duplicates, conflicting } };
}
