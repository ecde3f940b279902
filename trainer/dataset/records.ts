/**
 * Reads pulled shards back into records, once each: a retried flush can write the same record
 * to two shards, so records are deduplicated by id. A line that is not a valid record is
 * skipped and reported (a hand-edited shard must not stop the weekly run), never guessed at.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ZodError } from 'zod';
import { parseDatasetRecordLine, type FeedbackRecord, type LowConfidenceRecord, type SelfLabeledRecord } from '../../shared/feedback-record';
import type { PulledDataset } from './pull';

export interface DatasetRecords {
  feedback: FeedbackRecord[];
  lowConfidence: LowConfidenceRecord[];
  selfLabeled: SelfLabeledRecord[];
  /** Records seen again under an id already read. */
  duplicateIds: number;
  /** Lines that did not parse as a record: `path:line: reason`. */
  invalid: string[];
}

export const emptyRecords = (): DatasetRecords => ({ feedback: [], lowConfidence: [], selfLabeled: [], duplicateIds: 0, invalid: [] });

export async function readDatasetRecords(dir: string, pulled: PulledDataset): Promise<DatasetRecords> {
  const records = emptyRecords();
  const seen = new Set<string>();
  for (const path of pulled.files) {
    const lines = (await readFile(join(dir, path), 'utf8')).split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      let record;
      try {
        record = parseDatasetRecordLine(line);
      } catch (error) {
        records.invalid.push(`${path}:${index + 1}: ${firstLine(error)}`);
        return;
      }
      if (seen.has(record.id)) {
        records.duplicateIds++;
        return;
      }
      seen.add(record.id);
      if (record.kind === 'feedback') records.feedback.push(record);
      else if (record.kind === 'low_confidence') records.lowConfidence.push(record);
      else records.selfLabeled.push(record);
    });
  }
  return records;
}

function firstLine(error: unknown): string {
  if (error instanceof ZodError) return error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; ').slice(0, 200);
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);
}
