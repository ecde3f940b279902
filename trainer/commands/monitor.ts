/**
 * `monitor`: production's health on the newest week of feedback (retrain/alerts.ts). Exits 1 when
 * an alert fires, so the weekly workflow shows a failed check with the message.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pullDataset } from '../dataset/pull';
import { readDatasetRecords } from '../dataset/records';
import { hubSettings } from '../hub/hub-settings';
import { readPublishedState } from '../hub/model-repo';
import { loadModelBytes } from '../onnx/load-model';
import { checkAlerts } from '../retrain/alerts';
import { productionModel } from '../retrain/production-model';
import { DEFAULT_RETRAIN_CONFIG, readRetrainConfig } from '../retrain/retrain-config';
import { UsageError } from './usage-error';

export const usage = `monitor [--model-repo owner/name] [--dataset-repo owner/name] [--hub-url <url>]
      [--config ${DEFAULT_RETRAIN_CONFIG}] [--work-dir .data/retrain]   (exits 1 when an alert fires)`;

export async function monitorCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'model-repo': { type: 'string', default: process.env.HF_MODEL_REPO },
      'dataset-repo': { type: 'string', default: process.env.HF_DATASET_REPO },
      'hub-url': { type: 'string' },
      config: { type: 'string', default: DEFAULT_RETRAIN_CONFIG },
      'work-dir': { type: 'string', default: '.data/retrain' },
    },
  });
  const modelRepo = values['model-repo'];
  const datasetRepo = values['dataset-repo'];
  if (!modelRepo || !datasetRepo) throw new UsageError(`missing --model-repo or --dataset-repo (or HF_MODEL_REPO, HF_DATASET_REPO)\nusage: ${usage}`);
  const hub = hubSettings(process.env, values['hub-url']);
  const config = await readRetrainConfig(values.config);
  const log = (message: string) => console.error(`[monitor] ${message}`);

  // Same cache folder as retrain: shards pulled there are not downloaded again.
  const dir = join(values['work-dir'], 'dataset', datasetRepo.replace('/', '__'));
  const records = await readDatasetRecords(dir, await pullDataset(datasetRepo, hub, dir, log));
  const production = await productionModel(modelRepo, hub, await readPublishedState(modelRepo, hub));
  const session = await loadModelBytes(production.bytes);
  const alerts = await checkAlerts(session, records.feedback, config.alerts).finally(() => session.release());

  const lines = ['### Production health', '', ...alerts.map((a) => `- ${a.status === 'alert' ? '🚨 **ALERT**' : a.status === 'ok' ? 'ok' : 'not judged'}: ${a.message}`), ''];
  console.log(lines.join('\n'));
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, lines.join('\n') + '\n');
  const firing = alerts.filter((a) => a.status === 'alert');
  for (const alert of firing) console.error(process.env.GITHUB_ACTIONS ? `::error title=${alert.name}::${alert.message}` : `ALERT ${alert.name}: ${alert.message}`);
  if (firing.length > 0) process.exitCode = 1;
}
