/**
 * The self-labelling step of `retrain` (off unless `self_label.enabled` or `--self-label`): one
 * run before the pipeline pulls the dataset, so its labels are part of the revision the candidate
 * is trained on. Texts of the base dataset (training and holdout) are never sent. A missing key
 * skips the step with a warning instead of failing the weekly run.
 */
import type { RetrainConfig } from '../retrain/retrain-config';
import { runSelfLabel, type SelfLabelSummary } from './run-self-label';
import { readSelfLabelConfig, resolveEndpoint } from './settings';
import { type HubSettings } from '../../shared/settings';

export interface SelfLabelStepOptions {
  datasetRepo: string;
  hub: HubSettings;
  config: RetrainConfig;
  workDir: string;
  dryRun: boolean;
  log: (message: string) => void;
  fetch?: typeof fetch;
}

export async function selfLabelStep({ datasetRepo, hub, config, workDir, dryRun, log, fetch }: SelfLabelStepOptions): Promise<SelfLabelSummary | null> {
  const settings = { ...(await readSelfLabelConfig(config.self_label.config)), skip_texts_in: [config.base.train, config.base.holdout] };
  const endpoint = resolveEndpoint(settings);
  if (!dryRun && endpoint.keyEnv && !endpoint.apiKey) {
    log(`self-labelling skipped: ${endpoint.keyEnv} is not set (the ${settings.provider} API key)`);
    return null;
  }
  return runSelfLabel({ datasetRepo, hub, config: settings, endpoint, workDir, dryRun, log, fetch });
}
