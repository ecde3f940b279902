/**
 * The flags the Hub commands share: `datasetFlags` (pull, push-base, self-label: which dataset repo,
 * which Hub) and `pipelineFlags` (retrain, monitor: both repos, the settings, where files go).
 * `trainer <command> --help` is answered by cli.ts before a command parses its flags.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { DEFAULT_RETRAIN_CONFIG, readRetrainConfig, type RetrainConfig } from '../retrain/retrain-config';
import { UsageError } from './usage-error';
import { type HubSettings, hubSettingsFromEnv } from '../../shared/settings';

export const PIPELINE_USAGE = `[--model-repo owner/name] [--dataset-repo owner/name] [--hub-url <url>]
      [--config ${DEFAULT_RETRAIN_CONFIG}] [--work-dir .data/retrain]`;

export const datasetFlags = {
  'dataset-repo': { type: 'string', default: process.env.HF_DATASET_REPO },
  'hub-url': { type: 'string' },
} as const;

/** A dataset command's flags (`datasetFlags` and its own `options`): their values, the dataset repo (required) and the Hub. */
export function parseDatasetCommand<O extends ParseArgsOptionsConfig>(argv: string[], options: O, usage: string) {
  const { values } = parseArgs({ args: argv, options: { ...datasetFlags, ...options } });
  return { values, ...datasetSettings(values as { [K in keyof typeof datasetFlags]?: string }, usage) };
}

/** The dataset repo (required) and the Hub to reach it. */
export function datasetSettings(values: { [K in keyof typeof datasetFlags]?: string }, usage: string): { datasetRepo: string; hub: HubSettings } {
  const datasetRepo = values['dataset-repo'];
  if (!datasetRepo) throw new UsageError(`missing --dataset-repo (or HF_DATASET_REPO)\nusage: ${usage}`);
  return { datasetRepo, hub: hubSettingsFromEnv(process.env, values['hub-url']) };
}

export const pipelineFlags = {
  ...datasetFlags,
  'model-repo': { type: 'string', default: process.env.HF_MODEL_REPO },
  config: { type: 'string', default: DEFAULT_RETRAIN_CONFIG },
  'work-dir': { type: 'string', default: '.data/retrain' },
} as const;

export interface PipelineSettings {
  modelRepo: string;
  datasetRepo: string;
  hub: HubSettings;
  config: RetrainConfig;
  workDir: string;
}

export async function pipelineSettings(values: { [K in keyof typeof pipelineFlags]?: string }, usage: string): Promise<PipelineSettings> {
  const modelRepo = values['model-repo'];
  const datasetRepo = values['dataset-repo'];
  if (!modelRepo || !datasetRepo) throw new UsageError(`missing --model-repo or --dataset-repo (or HF_MODEL_REPO, HF_DATASET_REPO)\nusage: ${usage}`);
  return {
    modelRepo,
    datasetRepo,
    hub: hubSettingsFromEnv(process.env, values['hub-url']),
    config: await readRetrainConfig(values.config ?? DEFAULT_RETRAIN_CONFIG),
    workDir: values['work-dir'] ?? '.data/retrain',
  };
}
