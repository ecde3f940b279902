/** `retrain`: the whole weekly pipeline (see retrain/run-retrain.ts); prints a summary of what it decided. */
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { hubSettings } from '../hub/hub-settings';
import { DEFAULT_RETRAIN_CONFIG, readRetrainConfig } from '../retrain/retrain-config';
import { runRetrain } from '../retrain/run-retrain';
import { renderSummary } from '../retrain/summary';
import { UsageError } from './usage-error';

export const usage = `retrain [--model-repo owner/name] [--dataset-repo owner/name] [--hub-url <url>]
      [--config ${DEFAULT_RETRAIN_CONFIG}] [--work-dir .data/retrain] [--dry-run] [--force]
      (defaults: HF_MODEL_REPO, HF_DATASET_REPO, HF_ENDPOINT; token from HF_TOKEN)`;

export async function retrainCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'model-repo': { type: 'string', default: process.env.HF_MODEL_REPO },
      'dataset-repo': { type: 'string', default: process.env.HF_DATASET_REPO },
      'hub-url': { type: 'string' },
      config: { type: 'string', default: DEFAULT_RETRAIN_CONFIG },
      'work-dir': { type: 'string', default: '.data/retrain' },
      'dry-run': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  });
  const modelRepo = values['model-repo'];
  const datasetRepo = values['dataset-repo'];
  if (!modelRepo || !datasetRepo) throw new UsageError(`missing --model-repo or --dataset-repo (or HF_MODEL_REPO, HF_DATASET_REPO)\nusage: ${usage}`);

  const result = await runRetrain({
    modelRepo,
    datasetRepo,
    hub: hubSettings(process.env, values['hub-url']),
    config: await readRetrainConfig(values.config),
    workDir: values['work-dir'],
    dryRun: values['dry-run'],
    force: values.force,
  });
  const summary = renderSummary(result);
  console.log(summary);
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, summary + '\n');
  // Alerts fail the `monitor` step, not this one: "not promoted" and alerts are outcomes, not errors.
  for (const alert of result.alerts) if (alert.status === 'alert' && process.env.GITHUB_ACTIONS) console.log(`::warning title=${alert.name}::${alert.message}`);
}
