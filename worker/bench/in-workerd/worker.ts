/**
 * A measuring worker for `npm run bench:serve` (in-workerd.ts builds and drives it): each request
 * repeats one piece of a prediction `n` times inside workerd, with no HTTP server in between, so
 * the workerd process's CPU time divided by `n` is that piece's cost there.
 *   POST /?n=1000&op=featurize|ort_run|predict|app_health|app_single|app_single_explain|app_single_explain_body|predict_explain|support_100|detect_10|console_log
 * with a JSON body {text, batch}: the serving benchmark's single tweet and its 100 batch tweets. The
 * app is worker/app.ts with the bundled model, request logging off (console_log measures that part
 * alone). support_100 runs once per batch tweet, detect_10 on the first 10 (divide for one tweet).
 */
import { SentimentModel } from '../../../shared/sentiment-model';
import { Featurizer } from '../../../shared/featurizer/index';
import { MODEL_INPUT_COUNTS, MODEL_INPUT_IDS } from '../../../shared/model-contract';
import { createApp, type App } from '../../app';
import manifest from '../../model/manifest.json';
import modelBytes from '../../model/model.onnx';
import { createStaticModelProvider } from '../../model-provider/model-provider';
import { ortWorkerd } from '../../adapter/workerd/ort';
import { textSupport } from '../../support/text-support';
import { detect } from 'tinyld/light';
import { INTAKE_DEFAULTS, SERVING_DEFAULTS } from '../../../shared/settings';

const models = createStaticModelProvider({ ort: ortWorkerd, source: 'bundled', files: async () => ({ bytes: new Uint8Array(modelBytes), manifest }) });
let app: App | undefined;

type Op = (text: string) => unknown;

async function ops(model: SentimentModel, env: unknown, ctx: unknown, batch: string[]): Promise<Record<string, Op>> {
  const featurizer = new Featurizer(model.featurizerSpec);
  const session = (model as unknown as { session: { run(feeds: Record<string, unknown>): Promise<unknown> } }).session;
  app ??= createApp({ runtime: 'workerd', models, config: { ...SERVING_DEFAULTS, logRequests: false }, intake: INTAKE_DEFAULTS, capture: null });
  const known = (await model.predict(batch)).map((prediction) => prediction.known);
  const single = (path: string, options: Record<string, boolean> = {}) => async (text: string) => {
    const body = JSON.stringify({ text, ...options });
    const request = new Request(`http://bench${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
    return (await app!.fetch(request, env as never, ctx as never)).text();
  };
  const line = JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'request', method: 'POST', path: '/v1/sentiment', status: 200 });
  return {
    featurize: (text) => featurizer.batch([text]),
    ort_run: (text) => {
      const batch = featurizer.batch([text]);
      return session.run({
        [MODEL_INPUT_IDS]: new ortWorkerd.Tensor('int64', batch.ids, [1, batch.width]),
        [MODEL_INPUT_COUNTS]: new ortWorkerd.Tensor('float32', batch.counts, [1, batch.width]),
      });
    },
    predict: (text) => model.predict([text]),
    predict_explain: (text) => model.predict([text], { explain: true }),
    app_health: async () => (await app!.fetch(new Request('http://bench/health'), env as never, ctx as never)).text(),
    app_single: single('/v1/sentiment'),
    app_single_explain: single('/v1/sentiment?explain=true'),
    app_single_explain_body: single('/v1/sentiment', { explain: true }),
    support_100: () => batch.forEach((text, i) => textSupport(text, known[i])),
    detect_10: () => batch.slice(0, 10).forEach((text) => detect(text)),
    console_log: () => console.log(line),
  };
}

export default {
  async fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n') ?? 1);
    const op = url.searchParams.get('op') ?? '';
    const { text, batch } = (await request.json()) as { text: string; batch: string[] };
    const { model } = await models.current();
    const run = (await ops(model, env, ctx, batch))[op];
    if (!run || !(n >= 1 && n <= 1e6)) return new Response(`unknown op ${op} or bad n`, { status: 400 });
    for (let i = 0; i < n; i++) await run(text);
    return new Response('ok');
  },
};
