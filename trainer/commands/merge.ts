/** `merge`: pulled shards + the base dataset → train.csv and holdout.csv, with a report of what came from where. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLabelledCsv, writeLabelledCsv } from '../data/csv';
import { mergeDataset } from '../dataset/merge';
import { readPullManifest } from '../dataset/pull';
import { readDatasetRecords } from '../dataset/records';
import { DEFAULT_RETRAIN_CONFIG, readRetrainConfig } from '../retrain/retrain-config';
import { UsageError } from './usage-error';

export const usage = `merge --dataset-dir <dir from pull> --out <dir> [--config ${DEFAULT_RETRAIN_CONFIG}]`;

export async function mergeCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { 'dataset-dir': { type: 'string' }, out: { type: 'string' }, config: { type: 'string', default: DEFAULT_RETRAIN_CONFIG } },
  });
  const dir = values['dataset-dir'];
  if (!dir || !values.out) throw new UsageError(`missing --dataset-dir or --out\nusage: ${usage}`);
  const config = await readRetrainConfig(values.config);
  const records = await readDatasetRecords(dir, await readPullManifest(dir));
  const merged = mergeDataset({
    base: await readLabelledCsv(config.base.train),
    baseHoldout: await readLabelledCsv(config.base.holdout),
    records,
    feedbackHoldoutPercent: config.holdout.feedback_percent,
  });
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, 'train.csv'), writeLabelledCsv(merged.train));
  await writeFile(join(values.out, 'holdout.csv'), writeLabelledCsv(merged.holdout));
  console.log(JSON.stringify({ out: values.out, ...merged.report }, null, 2));
}
