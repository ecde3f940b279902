/** `self-label`: LLM labels for unlabelled low-confidence texts (see self-label/run-self-label.ts). */
import { PROVIDER_NAMES } from '../llm/providers';
import { runSelfLabel } from '../self-label/run-self-label';
import { DEFAULT_SELF_LABEL_CONFIG, readSelfLabelConfig, resolveEndpoint, selfLabelConfigSchema } from '../self-label/settings';
import { selfLabelLines } from '../self-label/summary';
import { parseDatasetCommand } from './pipeline-flags';
import { UsageError } from './usage-error';

export const usage = `self-label [--dataset-repo owner/name] [--hub-url <url>] [--config ${DEFAULT_SELF_LABEL_CONFIG}]
      [--provider ${PROVIDER_NAMES.join('|')}] [--base-url <url>] [--model <name>]
      [--max-texts n] [--max-requests n] [--max-tokens n] [--work-dir .data/retrain] [--dry-run]
      (defaults: HF_DATASET_REPO, HF_ENDPOINT; tokens from HF_TOKEN and the provider's key variable, e.g. NVIDIA_API_KEY)`;

export async function selfLabelCommand(argv: string[]): Promise<void> {
  const options = {
    config: { type: 'string', default: DEFAULT_SELF_LABEL_CONFIG },
    provider: { type: 'string' },
    'base-url': { type: 'string' },
    model: { type: 'string' },
    'max-texts': { type: 'string' },
    'max-requests': { type: 'string' },
    'max-tokens': { type: 'string' },
    'work-dir': { type: 'string', default: '.data/retrain' },
    'dry-run': { type: 'boolean', default: false },
  } as const;
  const { values, datasetRepo, hub } = parseDatasetCommand(argv, options, usage);
  const file = await readSelfLabelConfig(values.config);
  const int = (value: string | undefined, name: string) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number: ${value}`);
    return Number(value);
  };
  const config = selfLabelConfigSchema.parse({
    ...file,
    ...(values.provider ? { provider: values.provider, base_url: undefined, model: undefined, api_key_env: undefined } : {}),
    ...(values['base-url'] ? { base_url: values['base-url'] } : {}),
    ...(values.model ? { model: values.model } : {}),
    max_texts: int(values['max-texts'], 'max-texts') ?? file.max_texts,
    budget: { max_requests: int(values['max-requests'], 'max-requests') ?? file.budget.max_requests, max_tokens: int(values['max-tokens'], 'max-tokens') ?? file.budget.max_tokens },
  });
  const endpoint = resolveEndpoint(config);
  if (!values['dry-run']) {
    if (endpoint.keyEnv && !endpoint.apiKey) throw new UsageError(`${endpoint.keyEnv} is not set: put the ${config.provider} API key there (a secret), pick another --provider, or use --dry-run`);
    if (!hub.accessToken) throw new UsageError('HF_TOKEN is not set: self-label commits its labels to the dataset repo; set a write token (hf_…) or use --dry-run');
  }
  const summary = await runSelfLabel({ datasetRepo, hub, config, endpoint, workDir: values['work-dir'] ?? '.data/retrain', dryRun: values['dry-run'], showPrompts: true });
  console.log(selfLabelLines(summary).join('\n'));
}
