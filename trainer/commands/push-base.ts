/** `push-base`: the base dataset and the dataset card to the dataset repo (see dataset/push-base.ts). */
import { parseArgs } from 'node:util';
import { pushBase } from '../dataset/push-base';
import { hubSettings } from '../hub/hub-settings';
import { DEFAULT_RETRAIN_CONFIG, readRetrainConfig } from '../retrain/retrain-config';
import { UsageError } from './usage-error';

export const usage = `push-base [--dataset-repo owner/name] [--hub-url <url>] [--config ${DEFAULT_RETRAIN_CONFIG}] [--train <csv>] [--validation <csv>]
      (default HF_DATASET_REPO, the config's base files; token from HF_TOKEN)`;

export async function pushBaseCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'dataset-repo': { type: 'string', default: process.env.HF_DATASET_REPO },
      'hub-url': { type: 'string' },
      config: { type: 'string', default: DEFAULT_RETRAIN_CONFIG },
      train: { type: 'string' },
      validation: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(`usage: trainer ${usage}`);
  const repo = values['dataset-repo'];
  if (!repo) throw new UsageError(`missing --dataset-repo (or HF_DATASET_REPO)\nusage: ${usage}`);
  const hub = hubSettings(process.env, values['hub-url']);
  if (!hub.accessToken) throw new UsageError('HF_TOKEN is not set: push-base writes to the dataset repo; set a write token (hf_…)');
  const config = await readRetrainConfig(values.config);
  const result = await pushBase({ ...hub, repo, train: values.train ?? config.base.train, validation: values.validation ?? config.base.holdout, log: (message) => console.error(`[push-base] ${message}`) });
  console.log(JSON.stringify({ repo, ...result }, null, 2));
}
