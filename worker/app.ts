/**
 * The Hono app, built from injected dependencies so the same code serves on workerd and on Node
 * (and in tests, with fakes). Entry points only choose the dependencies.
 *
 * Order of work for every request: request id → request log → CORS → body size limit → route
 * (media type, JSON, schema and limits) → model. Every failure becomes `{"error": {"code",
 * "message"}}` here, in onError / notFound.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from './deps';
import { ApiError, ERRORS, errorBody } from './errors';
import { consoleLogger, silentLogger } from './logger';
import { bodyLimit } from './middleware/body-limit/index';
import { cors } from './middleware/cors/index';
import { requestId } from './middleware/request-id/index';
import { requestLog } from './middleware/request-log/index';
import { ModelUnavailableError } from './model-provider/model-provider';
import { docsRoutes } from './routes/docs';
import { feedbackRoutes } from './routes/feedback';
import type { OpenApiDocument } from './routes/docs-page';
import { healthRoutes } from './routes/health';
import { modelRoutes } from './routes/model';
import { dashboardRoutes } from './routes/dashboard';
import { metricsRoutes } from './routes/metrics';
import { sentimentRoutes } from './routes/sentiment';
import { INTAKE_DEFAULTS, MONITORING_DEFAULTS, SERVING_DEFAULTS } from '../shared/settings';

export type App = OpenAPIHono<AppEnv>;

export function createApp(options: AppDeps): App {
  const deps: Required<AppDeps> = {
    log: consoleLogger,
    startedAt: Date.now(),
    config: SERVING_DEFAULTS,
    intake: INTAKE_DEFAULTS,
    capture: null,
    captureError: null,
    metrics: null,
    monitoring: MONITORING_DEFAULTS,
    history: null,
    clientAddress: () => undefined,
    waitUntil: () => {},
    ...options,
  };
  const { config, log } = deps;
  const app = new OpenAPIHono<AppEnv>();

  app.use(async function injectDeps(c, next) {
    c.set('deps', deps);
    await next();
  });
  app.use(requestId());
  app.use(requestLog({ log: config.logRequests ? log : silentLogger }));
  app.use(cors({ origins: config.corsOrigins }));
  app.use(
    bodyLimit({
      maxBytes: config.maxBodyBytes,
      // Read and drop the rest of a refused body before answering: workerd's dev proxy answers 500 to a
      // body left unread, and @hono/node-server closes after 500 ms of draining, before a slow client is done.
      drainBytes: 64 * 1_048_576,
      onOverflow: (_c, { maxBytes, bytes, declared }) => {
        const size = declared ? `${bytes} bytes (Content-Length)` : `more than ${maxBytes} bytes`;
        // No `Connection: close`: closing while the client still sends makes its kernel reset the
        // connection, and the client loses this answer; the rest of the body is drained instead.
        throw new ApiError('payload_too_large', `the body is ${size}; the limit is ${maxBytes} bytes`);
      },
      onBadEncoding: (_c, { encoding, reason }) => {
        if (reason === 'corrupt') throw new ApiError('invalid_json', `the body is sent with Content-Encoding: ${encoding} but does not decompress`);
        throw new ApiError('unsupported_media_type', `Content-Encoding: ${encoding} is not supported; send the body uncompressed or with Content-Encoding: gzip`);
      },
    }),
  );

  app.route('/', healthRoutes());
  app.route('/v1', sentimentRoutes(config, deps.intake));
  if (deps.intake.feedbackApiKeys.length > 0) {
    app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API key from FEEDBACK_API_KEYS' });
  }
  app.route('/v1', feedbackRoutes(config, deps.intake));
  app.route('/v1', modelRoutes());
  const adminKey = deps.monitoring.access === 'admin' ? deps.monitoring.adminApiKey : undefined;
  app.route('/v1', metricsRoutes(adminKey));
  app.route('/', dashboardRoutes(adminKey));
  app.get('/', (c) => c.redirect('/docs'));

  let document: OpenApiDocument | undefined;
  app.route(
    '/',
    docsRoutes(() => (document ??= app.getOpenAPI31Document(documentInfo(deps)) as OpenApiDocument)),
  );

  // Hono answers an unknown method on a known path with 404; the API says 405 and what is allowed.
  let allowed: Map<string, string[]> | undefined;
  app.notFound((c) => {
    allowed ??= allowedMethods(app);
    const methods = allowed.get(c.req.path);
    if (methods) {
      return respond(c, new ApiError('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${methods.join(', ')}`, { Allow: methods.join(', ') }));
    }
    return respond(c, new ApiError('not_found', `no such path: ${c.req.path}; see /docs`));
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) return respond(c, error);
    if (clientWentAway(c, error)) {
      // Not a server error, and nobody reads the answer: the request log line (499, like nginx) is the one trace.
      c.set('errorCode', 'client_closed_request');
      return new Response(null, { status: CLIENT_CLOSED_REQUEST });
    }
    if (error instanceof ModelUnavailableError) {
      log('error', { msg: error.message, request_id: c.get('requestId') ?? null });
      return respond(c, new ApiError('model_unavailable', 'no model is available right now; retry later (GET /health says why)', { 'Retry-After': '5' }));
    }
    // Hono's own refusals (e.g. its media-type gate); ours run first, so these are unexpected.
    if (error instanceof HTTPException && error.status === 415) return respond(c, new ApiError('unsupported_media_type', error.message));
    if (error instanceof HTTPException && error.status === 400) return respond(c, new ApiError('invalid_json', error.message));
    log('error', {
      msg: 'unhandled error',
      request_id: c.get('requestId') ?? null,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    return respond(c, new ApiError('internal_error', 'internal error; the X-Request-Id header identifies it in the server logs'));
  });

  return app;
}

/** nginx's status for a request whose client disconnected before the answer. */
const CLIENT_CLOSED_REQUEST = 499;

/** The client disconnected mid-request (e.g. during an upload): Node aborts the request and fails the body read. */
function clientWentAway(c: Context<AppEnv>, error: Error): boolean {
  const { code, message } = error as Error & { code?: string };
  return c.req.raw.signal?.aborted === true || (code === 'ECONNRESET' && message === 'aborted');
}

function respond(c: Context<AppEnv>, error: ApiError): Response {
  c.set('errorCode', error.code);
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(errorBody(error.code, error.message), error.status);
}

/** Path → methods, from the registered routes (all paths here are static). */
function allowedMethods(app: App): Map<string, string[]> {
  const byPath = new Map<string, Set<string>>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL') continue;
    const methods = byPath.get(path) ?? new Set<string>();
    methods.add(method);
    if (method === 'GET') methods.add('HEAD');
    methods.add('OPTIONS');
    byPath.set(path, methods);
  }
  const order = ['GET', 'HEAD', 'POST', 'OPTIONS'];
  return new Map([...byPath].map(([path, methods]) => [path, [...methods].sort((a, b) => order.indexOf(a) - order.indexOf(b))]));
}

function documentInfo({ config }: Required<AppDeps>) {
  const codes = Object.entries(ERRORS)
    .map(([code, { status, description }]) => `- \`${code}\` (${status}): ${description}`)
    .join('\n');
  return {
    openapi: '3.1.0',
    info: {
      title: 'edge-sentiment',
      version: '1',
      description: [
        'Sentiment of short English texts (tweets, reviews, messages): `negative`, `neutral` or `positive`, with the probability of each.',
        `Limits on this server: ${config.maxTextChars} characters per text, ${config.maxBatchTexts} texts per batch, ${config.maxBodyBytes} bytes per request body. Every response carries an \`X-Request-Id\` header (a valid incoming one is kept).`,
        'Errors are JSON: `{"error": {"code": "…", "message": "…"}}`. The code is stable; the message is for people and names the field at fault, e.g. `texts[3]: must contain a visible character`. Codes:',
        codes,
      ].join('\n\n'),
    },
  };
}
