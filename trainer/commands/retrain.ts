/** `retrain`: the whole weekly pipeline (see retrain/run-retrain.ts); prints a summary of what it decided. */
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runRetrain } from '../retrain/run-retrain';
import { renderSummary } from '../retrain/summary';
import { PIPELINE_USAGE, pipelineFlags, pipelineSettings } from './pipeline-flags';
import { UsageError } from './usage-error';

export const usage = `retrain ${PIPELINE_USAGE} [--dry-run] [--force] [--self-label]
      (defaults: HF_MODEL_REPO, HF_DATASET_REPO, HF_ENDPOINT; token from HF_TOKEN)`;

export async function retrainCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { ...pipelineFlags, 'dry-run': { type: 'boolean', default: false }, force: { type: 'boolean', default: false }, 'self-label': { type: 'boolean' } },
  });
  const settings = await pipelineSettings(values, usage);
  // Fail before an hour of work, not after it.
  if (!values['dry-run'] && !settings.hub.accessToken) throw new UsageError('HF_TOKEN is not set: retrain writes to the model repo at the end; set a write token (hf_…) or use --dry-run');
  // --self-label runs the LLM step even when trainer/configs/retrain.json leaves it off.
  const result = await runRetrain({ ...settings, dryRun: values['dry-run'], force: values.force, selfLabel: values['self-label'] || undefined });
  const summary = renderSummary(result);
  console.log(summary);
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, summary + '\n');
  // Alerts fail the `monitor` step, not this one: "not promoted" and alerts are outcomes, not errors.
  for (const alert of result.alerts) if (alert.status === 'alert' && process.env.GITHUB_ACTIONS) console.log(`::warning title=${alert.name}::${alert.message}`);
}
