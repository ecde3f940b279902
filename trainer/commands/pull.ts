/** `pull`: the dataset repo's record shards at its head, into a local folder (with revision.json). */
import { pullDataset } from '../dataset/pull';
import { readDatasetRecords } from '../dataset/records';
import { parseDatasetCommand } from './pipeline-flags';

export const usage = `pull [--dataset-repo owner/name] [--out .data/dataset] [--hub-url <url>]   (default HF_DATASET_REPO)`;

export async function pullCommand(argv: string[]): Promise<void> {
  const { values, datasetRepo: repo, hub } = parseDatasetCommand(argv, { out: { type: 'string', default: '.data/dataset' } } as const, usage);
  const pulled = await pullDataset({ ...hub, repo, dir: values.out, log: (message) => console.error(`[pull] ${message}`) });
  const records = await readDatasetRecords(values.out, pulled);
  console.log(
    JSON.stringify(
      { repo, revision: pulled.revision, dir: values.out, shards: pulled.files.length, feedback: records.feedback.length, low_confidence: records.lowConfidence.length, self_labeled: records.selfLabeled.length, duplicate_ids: records.duplicateIds, invalid_lines: records.invalid },
      null,
      2,
    ),
  );
}
