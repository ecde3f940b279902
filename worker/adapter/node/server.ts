/**
 * Node entry (Hugging Face Space mirror, Docker): the same app on @hono/node-server, ORT from
 * node_modules, the model read from disk. main.ts is the process entry (`npm run start:node`,
 * the bundle the Dockerfile builds) and calls serveFromEnv(); tests call startNodeServer().
 *
 * Environment: every variable of shared/settings/ (the README's Configuration table): the
 * serving, capture, model repo and monitoring groups as on workerd plus the Node server's own
 * (PORT, HOST, WEB_CONCURRENCY, MODEL_DIR, CAPTURE_DB_PATH, TRUST_PROXY_HOPS).
 */
import cluster from 'node:cluster';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Server, ServerResponse, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createApp } from '../../app';
import type { AppDeps } from '../../deps';
import { warmUpApp } from '../../warm-up-app';
import { forwardedClient } from '../../client-address';
import type { Capture } from '../../capture/capture';
import { errorBody, type ErrorCode } from '../../errors';
import { consoleLogger, type Logger } from '../../logger';
import { startModelCheckTimer } from '../../model-provider/check-timer';
import { createHubModelProvider } from '../../model-provider/hub-model-provider';
import { createStaticModelProvider, type ModelProvider } from '../../model-provider/model-provider';
import type { ModelFiles } from '../../model-provider/load-verified-model';
import { warmUpModel } from '../../model-provider/warm-up';
import { openNodeCapture } from './capture';
import { EXIT_INVALID_SETTINGS } from './cluster';
import { stdoutLogger } from './buffered-logger';
import { ortNode } from '../../../shared/ort/node';
import { modelHistoryFor } from '../../dashboard/model-history';
import type { Metrics } from '../../metrics/metrics';
import { startNodeMetrics } from './metrics';
import { type CaptureConfig, captureConfigFromEnv, deprecationWarnings, type HubModelSettings, hubModelSettingsFromEnv, INTAKE_DEFAULTS, type IntakeConfig, intakeConfigFromEnv, MONITORING_DEFAULTS, type MonitoringSettings, monitoringSettingsFromEnv, nodeProcessSettingsFromEnv, SERVING_DEFAULTS, type ServingConfig, servingConfigFromEnv, type SettingsEnv } from '../../../shared/settings';

export const DEFAULT_MODEL_DIR = new URL('../../model/', import.meta.url);

export interface NodeServerOptions {
  port?: number;
  hostname?: string;
  /** Folder with model.onnx and manifest.json. */
  modelDir?: URL;
  /** Default: SERVING_DEFAULTS (shared/settings). */
  config?: Partial<ServingConfig>;
  /** Feedback and low-confidence settings; default INTAKE_DEFAULTS. */
  intake?: Partial<IntakeConfig>;
  /** Feedback buffer + flusher (startNodeCapture). Default none: feedback answers 503. */
  capture?: Capture | null;
  /** Why there is no capture although CAPTURE_DB_PATH asked for one (openNodeCapture). */
  captureError?: string | null;
  log?: Logger;
  /**
   * Load the model and warm it up (a few predictions: JIT, ORT's buffers) before listening, so no
   * connection is accepted while ORT starts and the first request costs what any request costs.
   * A model that fails to load is logged and the server listens anyway (503 model_unavailable,
   * /health says why). Default true.
   */
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
  captureError = null,
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
  const deps: AppDeps = {
    runtime: 'node',
    models,
    config: { ...SERVING_DEFAULTS, ...config },
    intake: { ...INTAKE_DEFAULTS, ...intake },
    capture,
    captureError,
    metrics,
    monitoring,
    history: modelHistoryFor(hubModel),
    // The socket's peer, or what the trusted proxies say it is; never CF-Connecting-IP (any client can send it).
    clientAddress: (c) => forwardedClient(c.req.header('x-forwarded-for'), trustProxyHops) ?? getConnInfo(c).remote.address,
    log,
    startedAt: Date.now(),
  };
  const app = createApp(deps);
  const ready = warm
    ? warmUp(models).then(
        // The model works: a failed app warm-up only costs the first requests some milliseconds.
        () => warmUpApp(deps).catch((error: Error) => log('warn', { msg: `warm-up failed: ${error.message}` })),
        (error: Error) => log('error', { msg: `model warm-up failed: ${error.message}` }),
      )
    : Promise.resolve();
  const maxBodyBytes = config.maxBodyBytes ?? SERVING_DEFAULTS.maxBodyBytes;
  // No connection is accepted before the model is loaded and warm.
  return ready.then(
    () =>
      new Promise((resolvePromise, reject) => {
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
        answerBeforeTheApp(server as Server, maxBodyBytes);
      }),
  );
}

/** ORT's first session (wasm instantiation) takes most of a second; the first runs pay for the JIT. */
async function warmUp(models: ModelProvider): Promise<void> {
  await warmUpModel((await models.current()).model);
}

/**
 * What Node's HTTP layer answers before the app sees a request, made to speak the API's JSON:
 * - `Expect: 100-continue`: Node would say "100 Continue" to any body; it is said only to a body
 *   that fits, and a larger one gets the app's 413 at once (the client never sends it).
 * - requests Node's parser refuses: headers (with the URL) over 16 KB → 431, anything that is not
 *   HTTP/1.1 (an unknown method such as FOO) → 400. The rest of what the client sends is read and
 *   dropped for a moment, so it sees the answer rather than a reset.
 */
function answerBeforeTheApp(server: Server, maxBodyBytes: number): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers['content-length']) > maxBodyBytes) res.shouldKeepAlive = false; // the body never comes: do not wait for it on this connection
    else res.writeContinue();
    server.emit('request', req, res);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const [status, reason, code, message]: [number, string, ErrorCode, string] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'the request line and headers are over 16 KB; send less (a long URL counts too)']
        : [400, 'Bad Request', 'bad_request', `the request is not valid HTTP/1.1 (${error.code ?? error.message}); methods are GET, HEAD, POST and OPTIONS`];
    const body = JSON.stringify(errorBody(code, message));
    socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    socket.on('data', () => {});
    socket.once('end', () => socket.destroy());
    setTimeout(() => socket.destroy(), 2_000).unref();
  });
}

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
  trustProxyHops: number;
}

/** Everything the Node entry reads from the environment; throws one message naming every bad variable. */
export function nodeSettingsFromEnv(env: SettingsEnv): NodeSettings {
  const node = nodeProcessSettingsFromEnv(env);
  return {
    port: node.port,
    hostname: node.hostname,
    workers: node.workers,
    modelDir: node.modelDir ? pathToFileURL(`${resolve(node.modelDir)}/`) : DEFAULT_MODEL_DIR,
    config: servingConfigFromEnv(env),
    intake: intakeConfigFromEnv(env),
    capture: node.captureDbPath === null ? null : { path: node.captureDbPath, config: captureConfigFromEnv(env) },
    hubModel: hubModelSettingsFromEnv(env),
    monitoring: monitoringSettingsFromEnv(env),
    trustProxyHops: node.trustProxyHops,
  };
}

/** One serving process, configured from the environment (see main.ts, the process entry). */
export async function serveFromEnv(): Promise<void> {
  const log = stdoutLogger();
  let settings: NodeSettings;
  try {
    settings = nodeSettingsFromEnv(process.env);
  } catch (error) {
    log('error', { msg: (error as Error).message });
    process.exit(EXIT_INVALID_SETTINGS);
  }
  // Once per start-up: by the only process, or by the first of a cluster's.
  if (cluster.isPrimary || cluster.worker?.id === 1) for (const msg of deprecationWarnings(process.env)) log('warn', { msg });
  const opened = settings.capture ? openNodeCapture({ ...settings.capture, log }) : null;
  if (opened?.error) log('error', { msg: `${opened.error}; predictions are served, feedback answers 503 capture_unavailable` });
  const capture = opened?.capture ?? null;
  // The counters share the buffer's file; without a usable one they stay in memory.
  const counters = settings.monitoring.enabled ? startNodeMetrics({ path: capture ? settings.capture!.path : null, settings: settings.monitoring, lowConfidenceThreshold: settings.intake.lowConfidenceThreshold, log }) : null;
  const server = await startNodeServer({
    port: settings.port,
    hostname: settings.hostname,
    modelDir: settings.modelDir,
    config: settings.config,
    intake: settings.intake,
    capture: capture?.capture ?? null,
    captureError: opened?.error ?? null,
    hubModel: settings.hubModel,
    metrics: counters?.metrics ?? null,
    monitoring: settings.monitoring,
    trustProxyHops: settings.trustProxyHops,
    log,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    const why = error.code === 'EADDRINUSE' ? 'is already in use: stop the server using it, or set PORT to another port' : 'needs privileges this user lacks: set PORT to 1024 or above';
    log('error', { msg: `port ${settings.port} on ${settings.hostname} ${why}` });
    // Retrying cannot help either, so a cluster primary stops too instead of restarting workers.
    process.exit(EXIT_INVALID_SETTINGS);
  });
  log('info', { msg: `listening on ${server.url}`, url: server.url, pid: process.pid, capture: capture ? settings.capture!.path : opened ? 'unavailable' : 'off' });
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
