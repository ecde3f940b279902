/**
 * Node entry (Hugging Face Space mirror, Docker): the same app on @hono/node-server, ORT from
 * node_modules, the model read from disk. node-main.ts is the process entry (`npm run start:node`,
 * the bundle the Dockerfile builds) and calls serveFromEnv(); tests call startNodeServer().
 *
 * Environment: PORT (7860, the Spaces port), HOST (0.0.0.0), WEB_CONCURRENCY (1: processes
 * sharing the port), MODEL_DIR (worker/model: model.onnx + manifest.json), plus the serving
 * settings of config.ts (MAX_TEXT_CHARS, MAX_BATCH_TEXTS, MAX_BODY_BYTES, CORS_ORIGINS, LOG_REQUESTS,
 * FEEDBACK_*, LOW_CONFIDENCE_*), CAPTURE_DB_PATH (.data/capture.sqlite: the feedback buffer; `off`
 * disables capture) and the capture settings of capture/config.ts (HF_ENDPOINT, HF_TOKEN,
 * HF_DATASET_REPO, FLUSH_*) and the model repo settings of model-provider/hub-settings.ts (HF_MODEL_REPO,
 * MODEL_REVISION, MODEL_CHECK_INTERVAL_S, …) and MEMORY_REPORT_S (0: seconds between memory log lines,
 * runtime/memory-report.ts) and TRUST_PROXY_HOPS (0: how many proxies in front append to X-Forwarded-For;
 * the Dockerfile sets 1 for the Space's proxy) and the monitoring settings of metrics/settings.ts
 * (ADMIN_API_KEY, DASHBOARD_ACCESS, METRICS, METRICS_*; counters go into the CAPTURE_DB_PATH file).
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { createApp } from './app';
import { forwardedClient } from './client-address';
import type { Capture } from './capture/capture';
import { captureConfigFromEnv, type CaptureConfig } from './capture/config';
import { INTAKE_DEFAULTS, intakeConfigFromEnv, parseSettings, SERVING_DEFAULTS, servingConfigFromEnv, type IntakeConfig, type ServingConfig } from './config';
import { consoleLogger, type Logger } from './logger';
import { startModelCheckTimer } from './model-provider/check-timer';
import { createHubModelProvider } from './model-provider/hub-model-provider';
import { hubModelSettingsFromEnv, type HubModelSettings } from './model-provider/hub-settings';
import { createStaticModelProvider, type ModelProvider } from './model-provider/model-provider';
import type { ModelFiles } from './model-provider/load-verified-model';
import { DEFAULT_CAPTURE_DB_PATH, startNodeCapture } from './runtime/capture-node';
import { EXIT_INVALID_SETTINGS } from './runtime/node-cluster';
import { stdoutLogger } from './runtime/buffered-logger';
import { startMemoryReport } from './runtime/memory-report';
import { ortNode } from './runtime/ort-node';
import { modelHistoryFor } from './dashboard/model-history';
import type { Metrics } from './metrics/metrics';
import { MONITORING_DEFAULTS, monitoringSettingsFromEnv, type MonitoringSettings } from './metrics/settings';
import { startNodeMetrics } from './runtime/metrics-node';

export const DEFAULT_MODEL_DIR = new URL('./model/', import.meta.url);

export interface NodeServerOptions {
  port?: number;
  hostname?: string;
  /** Folder with model.onnx and manifest.json. */
  modelDir?: URL;
  /** Default: the defaults of config.ts. */
  config?: Partial<ServingConfig>;
  /** Feedback and low-confidence settings; default INTAKE_DEFAULTS. */
  intake?: Partial<IntakeConfig>;
  /** Feedback buffer + flusher (startNodeCapture). Default none: feedback answers 503. */
  capture?: Capture | null;
  log?: Logger;
  /** Start loading the model right away, before listening, so the first request waits as little as possible. Default true. */
  warm?: boolean;
  /** Follow a Hub model repo (HF_MODEL_REPO, MODEL_REVISION, …); without a repo the bundled model serves. */
  hubModel?: Partial<HubModelSettings>;
  /** Per-minute counters (startNodeMetrics). Default none: /v1/metrics answers 404, the dashboard shows no traffic. */
  metrics?: Metrics | null;
  /** Admin key and dashboard access; default MONITORING_DEFAULTS (public). */
  monitoring?: MonitoringSettings;
  /** Proxies in front that append to X-Forwarded-For (TRUST_PROXY_HOPS); 0 (default): the socket's peer is the client. */
  trustProxyHops?: number;
}

export interface NodeServer {
  server: ServerType;
  url: string;
  models: ModelProvider;
  close(): Promise<void>;
}

export function startNodeServer({
  port = 7860,
  hostname = '0.0.0.0',
  modelDir = DEFAULT_MODEL_DIR,
  config = {},
  log = consoleLogger,
  warm = true,
  intake = {},
  capture = null,
  hubModel = {},
  metrics = null,
  monitoring = MONITORING_DEFAULTS,
  trustProxyHops = 0,
}: NodeServerOptions = {}): Promise<NodeServer> {
  const bundled = async (): Promise<ModelFiles> => ({
    bytes: new Uint8Array(await readFile(new URL('model.onnx', modelDir))),
    manifest: JSON.parse(await readFile(new URL('manifest.json', modelDir), 'utf8')),
  });
  // With a model repo, a timer asks the Hub for a newer version; requests never wait for it.
  const hub = hubModel.repo ? createHubModelProvider({ ...hubModel, ort: ortNode, bundled, log }) : null;
  const models: ModelProvider = hub ?? createStaticModelProvider({ ort: ortNode, source: 'bundled', files: bundled });
  const stopChecks = hub ? startModelCheckTimer(hub, 1_000) : () => {};
  // ORT's first session (wasm instantiation) takes most of a second: begin before anything else.
  if (warm) models.current().catch((error: Error) => log('error', { msg: `model warm-up failed: ${error.message}` }));
  const app = createApp({
    runtime: 'node',
    models,
    config: { ...SERVING_DEFAULTS, ...config },
    intake: { ...INTAKE_DEFAULTS, ...intake },
    capture,
    metrics,
    monitoring,
    history: modelHistoryFor(hubModel),
    // The socket's peer, or what the trusted proxies say it is; never CF-Connecting-IP (any client can send it).
    clientAddress: (c) => forwardedClient(c.req.header('x-forwarded-for'), trustProxyHops) ?? getConnInfo(c).remote.address,
    log,
    startedAt: Date.now(),
  });
  return new Promise((resolvePromise, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolvePromise({
        server,
        models,
        url: `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`,
        close: async () => {
          stopChecks();
          await new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Keep-alive connections would hold close() open until they time out.
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          });
          await hub?.close();
        },
      });
    });
    server.once('error', reject);
  });
}

const processEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(7860),
  HOST: z.string().min(1).default('0.0.0.0'),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  MODEL_DIR: z.string().min(1).optional(),
  CAPTURE_DB_PATH: z.string().min(1).default(DEFAULT_CAPTURE_DB_PATH),
  MEMORY_REPORT_S: z.coerce.number().min(0).max(3600).default(0),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
});

export interface NodeSettings {
  port: number;
  hostname: string;
  workers: number;
  modelDir: URL;
  config: ServingConfig;
  intake: IntakeConfig;
  /** null: CAPTURE_DB_PATH=off. */
  capture: { path: string; config: CaptureConfig } | null;
  hubModel: HubModelSettings;
  monitoring: MonitoringSettings;
  /** Seconds between memory log lines; 0: none. */
  memoryReportS: number;
  trustProxyHops: number;
}

/** Everything the Node entry reads from the environment; throws one message naming every bad variable. */
export function nodeSettingsFromEnv(env: Record<string, string | undefined>): NodeSettings {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const { PORT, HOST, WEB_CONCURRENCY, MODEL_DIR, CAPTURE_DB_PATH, MEMORY_REPORT_S, TRUST_PROXY_HOPS } = parseSettings(processEnvSchema, blankless, 'settings');
  return {
    port: PORT,
    hostname: HOST,
    workers: WEB_CONCURRENCY,
    modelDir: MODEL_DIR ? pathToFileURL(`${resolve(MODEL_DIR)}/`) : DEFAULT_MODEL_DIR,
    config: servingConfigFromEnv(env),
    intake: intakeConfigFromEnv(env),
    capture: CAPTURE_DB_PATH === 'off' ? null : { path: CAPTURE_DB_PATH, config: captureConfigFromEnv(env) },
    hubModel: hubModelSettingsFromEnv(env),
    monitoring: monitoringSettingsFromEnv(env),
    memoryReportS: MEMORY_REPORT_S,
    trustProxyHops: TRUST_PROXY_HOPS,
  };
}

/** One serving process, configured from the environment (see node-main.ts, the process entry). */
export async function serveFromEnv(): Promise<void> {
  const log = stdoutLogger();
  let settings: NodeSettings;
  try {
    settings = nodeSettingsFromEnv(process.env);
  } catch (error) {
    log('error', { msg: (error as Error).message });
    process.exit(EXIT_INVALID_SETTINGS);
  }
  const capture = settings.capture ? startNodeCapture({ ...settings.capture, log }) : null;
  const counters = settings.monitoring.enabled ? startNodeMetrics({ path: settings.capture?.path ?? null, settings: settings.monitoring, lowConfidenceThreshold: settings.intake.lowConfidenceThreshold, log }) : null;
  const server = await startNodeServer({
    port: settings.port,
    hostname: settings.hostname,
    modelDir: settings.modelDir,
    config: settings.config,
    intake: settings.intake,
    capture: capture?.capture ?? null,
    hubModel: settings.hubModel,
    metrics: counters?.metrics ?? null,
    monitoring: settings.monitoring,
    trustProxyHops: settings.trustProxyHops,
    log,
  });
  log('info', { msg: `listening on ${server.url}`, url: server.url, pid: process.pid, capture: settings.capture ? settings.capture.path : 'off' });
  if (settings.memoryReportS > 0) startMemoryReport(log, settings.memoryReportS);
  const stop = () => {
    const exit = () => {
      const done = () => {
        capture?.close();
        process.exit(0);
      };
      (counters ? counters.close() : Promise.resolve()).then(done, done);
    };
    server.close().then(exit, exit);
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
