/** `pull`: the dataset repo's record shards at its head, into a local folder (with revision.json). */
import { parseArgs } from 'node:util';
import { pullDataset } from '../dataset/pull';
import { readDatasetRecords } from '../dataset/records';
import { hubSettings } from '../hub/hub-settings';
import { UsageError } from './usage-error';

export const usage = `pull [--dataset-repo owner/name] [--out .data/dataset] [--hub-url <url>]   (default HF_DATASET_REPO)`;

export async function pullCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'dataset-repo': { type: 'string', default: process.env.HF_DATASET_REPO },
      out: { type: 'string', default: '.data/dataset' },
      'hub-url': { type: 'string' },
    },
  });
  const repo = values['dataset-repo'];
  if (!repo) throw new UsageError(`missing --dataset-repo (or HF_DATASET_REPO)\nusage: ${usage}`);
  const pulled = await pullDataset({ ...hubSettings(process.env, values['hub-url']), repo, dir: values.out, log: (message) => console.error(`[pull] ${message}`) });
  const records = await readDatasetRecords(values.out, pulled);
  console.log(
    JSON.stringify(
      { repo, revision: pulled.revision, dir: values.out, shards: pulled.files.length, feedback: records.feedback.length, low_confidence: records.lowConfidence.length, self_labeled: records.selfLabeled.length, duplicate_ids: records.duplicateIds, invalid_lines: records.invalid },
      null,
      2,
    ),
  );
}
