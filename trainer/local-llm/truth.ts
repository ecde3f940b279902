/** Ground truth for the stand-in: a `text,label` CSV, keyed by normalised text. */
import type { Label } from '../../shared/labels';
import { textKey } from '../data/clean';
import { readLabelledCsv } from '../data/csv';

export async function readTruth(...paths: string[]): Promise<Map<string, Label>> {
  const truth = new Map<string, Label>();
  for (const path of paths) for (const row of await readLabelledCsv(path)) truth.set(textKey(row.text), row.label);
  return truth;
}
