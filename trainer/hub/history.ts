/**
 * metrics/history.jsonl in the model repo: one line per trained candidate, promoted or not, so
 * every weekly decision can be read back later (and the next run can tell nothing changed).
 */
import { z } from 'zod';
import { holdoutMetricsSchema, type HoldoutMetrics, type Manifest } from '../../shared/manifest';

export const historyEntrySchema = z.object({
  /** The version it was published as; null for a candidate that was not promoted. */
  version: z.string().nullable(),
  promoted: z.boolean(),
  created_at: z.string(),
  recorded_at: z.string(),
  /** The version serving before this decision (what the candidate was compared with). */
  parent_version: z.string().nullable(),
  training_data: z.object({ source: z.string(), revision: z.string().nullable(), rows: z.number() }),
  metrics: holdoutMetricsSchema.nullable(),
  production_metrics: holdoutMetricsSchema.nullable().optional(),
  reason: z.string().optional(),
  /** sha256 of everything the candidate was built from (data revisions, files, settings). */
  inputs_digest: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export interface HistoryDetails {
  promoted: boolean;
  productionMetrics?: HoldoutMetrics | null;
  reason?: string;
  inputsDigest?: string;
}

export function historyLine(manifest: Manifest, { promoted, productionMetrics, reason, inputsDigest }: HistoryDetails): string {
  const entry: HistoryEntry = {
    version: promoted ? manifest.version : null,
    promoted,
    created_at: manifest.created_at,
    recorded_at: new Date().toISOString(),
    parent_version: manifest.parent_version,
    training_data: manifest.training_data,
    metrics: manifest.metrics,
    production_metrics: productionMetrics,
    reason,
    inputs_digest: inputsDigest,
  };
  return JSON.stringify(entry) + '\n';
}

/** The entries of a history file; lines written by older tools that do not parse are skipped. */
export function parseHistory(text: string): HistoryEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [historyEntrySchema.parse(JSON.parse(line))];
      } catch {
        return [];
      }
    });
}
