/** `push-base`: the base dataset and the dataset card to the dataset repo (see dataset/push-base.ts). */
import { pushBase } from '../dataset/push-base';
import { DEFAULT_RETRAIN_CONFIG, readRetrainConfig } from '../retrain/retrain-config';
import { parseDatasetCommand } from './pipeline-flags';
import { UsageError } from './usage-error';

export const usage = `push-base [--dataset-repo owner/name] [--hub-url <url>] [--config ${DEFAULT_RETRAIN_CONFIG}] [--train <csv>] [--validation <csv>]
      (default HF_DATASET_REPO, the config's base files; token from HF_TOKEN)`;

export async function pushBaseCommand(argv: string[]): Promise<void> {
  const options = { config: { type: 'string', default: DEFAULT_RETRAIN_CONFIG }, train: { type: 'string' }, validation: { type: 'string' } } as const;
  const { values, datasetRepo: repo, hub } = parseDatasetCommand(argv, options, usage);
  if (!hub.accessToken) throw new UsageError('HF_TOKEN is not set: push-base writes to the dataset repo; set a write token (hf_…)');
  const config = await readRetrainConfig(values.config);
  const result = await pushBase({ ...hub, repo, train: values.train ?? config.base.train, validation: values.validation ?? config.base.holdout, log: (message) => console.error(`[push-base] ${message}`) });
  console.log(JSON.stringify({ repo, ...result }, null, 2));
}
