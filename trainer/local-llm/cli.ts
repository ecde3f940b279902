/**
 * Runs the local OpenAI-compatible stand-in alone (see README.md):
 *   tsx trainer/local-llm/cli.ts --truth datasets/tweeteval/val.csv [--wrong-rate 0.3] [--error-model mixed] …
 * Env: LOCAL_LLM_API_KEY (the only key accepted, if set; deliberately no flag, so it never shows in `ps`).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SCRIPT, type ConfidenceMode, type ErrorModel } from './behaviour';
import { startLocalLlm } from './server';
import { readTruth } from './truth';
import { serveUntilSignal } from '../stand-in-cli';

const USAGE = `usage: llm:local --truth <text,label CSV> [--truth …] [--port 7862] [--host 127.0.0.1]
  [--wrong-rate 0] [--error-model independent|correlated|mixed] [--shared-error-share 0.5] [--seed local-llm]
  [--confidence none|flat|informative] [--delay-ms 0] [--rate-limit-every 0] [--retry-after 1]
  [--server-error-every 0] [--broken-json-rate 0]
env: LOCAL_LLM_API_KEY`;

function number(value: string | undefined, fallback: number, name: string, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new Error(`--${name} must be a number from 0 to ${max}: ${value}`);
  return n;
}

async function main() {
  const { values } = parseArgs({
    options: {
      truth: { type: 'string', multiple: true },
      port: { type: 'string' },
      host: { type: 'string' },
      'wrong-rate': { type: 'string' },
      'error-model': { type: 'string' },
      'shared-error-share': { type: 'string' },
      seed: { type: 'string' },
      confidence: { type: 'string' },
      'delay-ms': { type: 'string' },
      'rate-limit-every': { type: 'string' },
      'retry-after': { type: 'string' },
      'server-error-every': { type: 'string' },
      'broken-json-rate': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  if (!values.truth?.length) throw new Error(`--truth is required: the stand-in answers from a text,label CSV\n${USAGE}`);
  const errorModel = (values['error-model'] ?? DEFAULT_SCRIPT.errorModel) as ErrorModel;
  if (!['independent', 'correlated', 'mixed'].includes(errorModel)) throw new Error(`--error-model must be independent, correlated or mixed: ${errorModel}`);
  const confidence = (values.confidence ?? DEFAULT_SCRIPT.confidence) as ConfidenceMode;
  if (!['none', 'flat', 'informative'].includes(confidence)) throw new Error(`--confidence must be none, flat or informative: ${confidence}`);
  const llm = await startLocalLlm(
    {
      truth: await readTruth(...values.truth),
      wrongRate: number(values['wrong-rate'], DEFAULT_SCRIPT.wrongRate, 'wrong-rate', 1),
      errorModel,
      sharedErrorShare: number(values['shared-error-share'], DEFAULT_SCRIPT.sharedErrorShare, 'shared-error-share', 1),
      seed: values.seed ?? DEFAULT_SCRIPT.seed,
      confidence,
      delayMs: number(values['delay-ms'], 0, 'delay-ms'),
      rateLimitEvery: number(values['rate-limit-every'], 0, 'rate-limit-every'),
      retryAfterSeconds: number(values['retry-after'], DEFAULT_SCRIPT.retryAfterSeconds, 'retry-after'),
      serverErrorEvery: number(values['server-error-every'], 0, 'server-error-every'),
      brokenJsonRate: number(values['broken-json-rate'], 0, 'broken-json-rate', 1),
      apiKey: process.env.LOCAL_LLM_API_KEY || undefined,
    },
    { port: number(values.port, 7862, 'port', 65535), host: values.host ?? '127.0.0.1' },
  );
  console.log(`local-llm listening on ${llm.baseUrl} (${llm.script.truth.size} texts of ground truth, ${llm.script.errorModel} errors at ${llm.script.wrongRate})`);
  console.log(`  use it with: npm run trainer -- self-label --provider local --base-url ${llm.baseUrl}`);
  return llm;
}

serveUntilSignal('local-llm', main, 2);
