/**
 * `train`: CSV -> cleaned rows -> TF-IDF + logistic regression -> model.onnx + manifest.json.
 * With --validation it also scores the exported ONNX file and checks it against the in-memory
 * model (parity), so a shipped model always carries metrics computed by the graph itself.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cleanRows } from '../data/clean';
import { readLabelledCsv } from '../data/csv';
import { trainCandidate, writeCandidate } from '../model/train-candidate';
import { parseTrainingConfig, type TrainingConfigFile } from '../model/training-config';
import { UsageError } from './usage-error';

export const usage = `train --data <train.csv> --out <dir> [--config trainer/configs/default.json]
      [--validation <val.csv>] [--version v1] [--parent <version>] [--revision <dataset revision>]
      [--C 0.5] [--min-df 2] [--max-features 200000] [--max-iterations 500]`;

const log = (message: string) => console.error(`[train] ${message}`);

export async function trainCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      config: { type: 'string', default: 'trainer/configs/default.json' },
      validation: { type: 'string' },
      version: { type: 'string', default: 'v1' },
      parent: { type: 'string' },
      revision: { type: 'string' },
      C: { type: 'string' },
      'min-df': { type: 'string' },
      'max-features': { type: 'string' },
      'max-iterations': { type: 'string' },
    },
  });
  if (!values.data || !values.out) throw new UsageError(`missing --data or --out\nusage: ${usage}`);

  const configFile = JSON.parse(await readFile(values.config, 'utf8')) as TrainingConfigFile;
  const config = parseTrainingConfig(withFlagOverrides(configFile, values));
  const { rows, report } = cleanRows(await readLabelledCsv(values.data));
  log(`read ${report.input} rows from ${values.data}: kept ${report.kept}, dropped ${report.empty} empty and ${report.duplicates} duplicate (${report.conflicting} with another label)`);

  const holdout = values.validation ? { name: values.validation, rows: await readLabelledCsv(values.validation) } : undefined;
  const { onnx, manifest } = await trainCandidate(rows, config, { version: values.version, parentVersion: values.parent ?? null, source: values.data, revision: values.revision ?? null, holdout }, log);
  await writeCandidate(values.out, { onnx, manifest });
  log(`wrote ${join(values.out, 'model.onnx')} and manifest.json (${values.version})`);
}

function withFlagOverrides(file: TrainingConfigFile, flags: Record<string, string | undefined>): TrainingConfigFile {
  const number = (name: string) => (flags[name] === undefined ? undefined : Number(flags[name]));
  return {
    ...file,
    vectorizer: { ...file.vectorizer, min_df: number('min-df') ?? file.vectorizer?.min_df, max_features: number('max-features') ?? file.vectorizer?.max_features },
    classifier: { ...file.classifier, C: number('C') ?? file.classifier?.C, max_iterations: number('max-iterations') ?? file.classifier?.max_iterations },
  };
}
