/**
 * Real requests through a copy of the app before the first client's: the middleware chain,
 * Hono's router, zod's schemas (built on their first parse), the featurizer's paths, the JSON of
 * the answers and the log line get compiled and initialised while start-up is paid for (workerd's
 * global scope, the Node server before it listens), so the first request costs what any costs.
 * The copy shares the model and the settings, not the capture buffer, the counters or the log:
 * nothing of the warm-up is stored, counted or printed.
 *
 * workerd's global scope refuses to construct a Request or Response with a body (as it refuses
 * I/O, timers and random numbers): there the requests and answers are stand-ins with what Hono
 * and the middleware read of them; the code between them is the real one.
 */
import { createApp } from './app';
import type { AppDeps } from './deps';
import { logLine } from './logger';
import { MemoryMetricsStore } from './metrics/memory-metrics-store';
import { Metrics } from './metrics/metrics';
import { INTAKE_DEFAULTS, MONITORING_DEFAULTS } from '../shared/settings';
import { ALERT_POLICY } from './metrics/alert-policy';

const TEXTS = ['I love this, best day ever! :) #happy 😍', "the worst service, not good at all @user http://t.co/x can't believe it", 'The meeting is at 3pm on Tuesday.'];

/** Each request is sent `rounds` times (V8 optimises code that runs more than once). */
export async function warmUpApp(deps: AppDeps, rounds = 3): Promise<void> {
  if (bodiesAllowed()) return send(deps, rounds, (url, init) => new Request(url, init));
  const real = globalThis.Response;
  globalThis.Response = StandInResponse as unknown as typeof Response;
  try {
    await send(deps, rounds, (url, init) => standInRequest(url, init) as unknown as Request);
  } finally {
    globalThis.Response = real;
  }
}

type MakeRequest = (url: string, init: { method?: string; headers: Record<string, string>; body?: string }) => Request;

async function send(deps: AppDeps, rounds: number, request: MakeRequest): Promise<void> {
  const monitoring = deps.monitoring ?? MONITORING_DEFAULTS;
  const app = createApp({
    ...deps,
    capture: null,
    captureError: null,
    // Its own rate-limit buckets, under no client's address (Node's would need a socket).
    clientAddress: () => undefined,
    waitUntil: () => {},
    metrics: new Metrics({ store: new MemoryMetricsStore(), policy: ALERT_POLICY, lowConfidenceThreshold: (deps.intake ?? INTAKE_DEFAULTS).lowConfidenceThreshold, ...monitoring }),
    // Formats the line as the console logger does, and drops it.
    log: (level, fields) => void logLine(level, fields),
  });
  const batchSize = Math.min(deps.config?.maxBatchTexts ?? 16, 16);
  const requests: [string, unknown?][] = [
    ['/health'],
    ['/v1/sentiment', { text: TEXTS[0] }],
    ['/v1/sentiment/batch', { texts: Array.from({ length: batchSize }, (_, i) => TEXTS[i % TEXTS.length]) }],
  ];
  for (let i = 0; i < rounds; i++) {
    for (const [path, body] of requests) {
      // A request id of our own: workerd's global scope may not draw random numbers.
      const headers: Record<string, string> = { 'x-request-id': 'warm-up' };
      let init: Parameters<MakeRequest>[1] = { headers };
      if (body !== undefined) {
        const text = JSON.stringify(body);
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(new TextEncoder().encode(text).byteLength);
        init = { method: 'POST', headers, body: text };
      }
      const response = await app.fetch(request(`http://warm-up${path}`, init));
      await response.text();
      if (response.status !== 200) throw new Error(`warm-up ${path}: HTTP ${response.status}`);
    }
  }
}

function bodiesAllowed(): boolean {
  try {
    new Response('{}');
    return true;
  } catch {
    return false;
  }
}

/** What Hono and the middleware read of a Request whose body has a Content-Length. */
function standInRequest(url: string, init: Parameters<MakeRequest>[1]) {
  const bytes = new TextEncoder().encode(init.body ?? '');
  return {
    url,
    method: init.method ?? 'GET',
    headers: new Headers(init.headers),
    body: null,
    signal: undefined,
    arrayBuffer: async () => bytes.buffer,
    text: async () => init.body ?? '',
    json: async () => JSON.parse(init.body ?? ''),
  };
}

/** What Hono and the routes use of a Response. */
class StandInResponse {
  readonly status: number;
  readonly statusText = '';
  readonly headers: Headers;
  readonly body = null;
  constructor(
    private readonly content: unknown = null,
    init: ResponseInit = {},
  ) {
    this.status = init.status ?? 200;
    this.headers = new Headers(init.headers);
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  async text(): Promise<string> {
    return typeof this.content === 'string' ? this.content : '';
  }
  clone(): StandInResponse {
    return new StandInResponse(this.content, { status: this.status, headers: this.headers });
  }
}
