/**
 * `monitor`: production's health on the newest week of feedback (retrain/alerts.ts). Exits 1 when
 * an alert fires, so the weekly workflow shows a failed check with the message.
 */
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { datasetCacheDir, pullDataset } from '../dataset/pull';
import { readDatasetRecords } from '../dataset/records';
import { readPublishedState } from '../hub/model-repo';
import { loadModelBytes } from '../onnx/load-model';
import { alertLine, checkAlerts } from '../retrain/alerts';
import { productionModel } from '../retrain/production-model';
import { PIPELINE_USAGE, pipelineFlags, pipelineSettings } from './pipeline-flags';

export const usage = `monitor ${PIPELINE_USAGE}   (exits 1 when an alert fires)`;

export async function monitorCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: pipelineFlags });
  const { modelRepo, datasetRepo, hub, config, workDir } = await pipelineSettings(values, usage);
  const log = (message: string) => console.error(`[monitor] ${message}`);

  // Same cache folder as retrain: shards pulled there are not downloaded again.
  const dir = datasetCacheDir(workDir, datasetRepo);
  const records = await readDatasetRecords(dir, await pullDataset({ ...hub, repo: datasetRepo, dir, log }));
  const production = await productionModel({ ...hub, repo: modelRepo, published: await readPublishedState({ ...hub, repo: modelRepo }) });
  const session = await loadModelBytes(production.bytes);
  const alerts = await checkAlerts(session, records.feedback, config.alerts).finally(() => session.release());

  const lines = ['### Production health', '', ...alerts.map(alertLine), ''];
  console.log(lines.join('\n'));
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, lines.join('\n') + '\n');
  const firing = alerts.filter((a) => a.status === 'alert');
  for (const alert of firing) console.error(process.env.GITHUB_ACTIONS ? `::error title=${alert.name}::${alert.message}` : `ALERT ${alert.name}: ${alert.message}`);
  if (firing.length > 0) process.exitCode = 1;
}
