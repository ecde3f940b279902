/**
 * A measuring worker for `npm run bench:serve` (in-workerd.ts builds and drives it): each request
 * repeats one piece of a prediction `n` times inside workerd, with no HTTP server in between, so
 * the workerd process's CPU time divided by `n` is that piece's cost there.
 *   GET /?n=1000&op=featurize|ort_run|predict|app_health|app_single|console_log
 * The text is the serving benchmark's single tweet (`?text=`); the app is worker/app.ts with the
 * bundled model, request logging off (console_log measures that part alone).
 */
import { SentimentModel } from '../../../shared/sentiment-model';
import { Featurizer } from '../../../shared/featurizer/index';
import { MODEL_INPUT_COUNTS, MODEL_INPUT_IDS } from '../../../shared/model-contract';
import { createApp, type App } from '../../app';
import { INTAKE_DEFAULTS, SERVING_DEFAULTS } from '../../config';
import manifest from '../../model/manifest.json';
import modelBytes from '../../model/model.onnx';
import { createStaticModelProvider } from '../../model-provider/model-provider';
import { ortWorkerd } from '../../runtime/ort-workerd';

const models = createStaticModelProvider({ ort: ortWorkerd, source: 'bundled', files: async () => ({ bytes: new Uint8Array(modelBytes), manifest }) });
let app: App | undefined;

type Op = (text: string) => unknown;

async function ops(model: SentimentModel, env: unknown, ctx: unknown): Promise<Record<string, Op>> {
  const featurizer = new Featurizer(model.featurizerSpec);
  const session = (model as unknown as { session: { run(feeds: Record<string, unknown>): Promise<unknown> } }).session;
  app ??= createApp({ runtime: 'workerd', models, config: { ...SERVING_DEFAULTS, logRequests: false }, intake: INTAKE_DEFAULTS, capture: null });
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
    app_health: async () => (await app!.fetch(new Request('http://bench/health'), env as never, ctx as never)).text(),
    app_single: async (text) => {
      const body = JSON.stringify({ text });
      const request = new Request('http://bench/v1/sentiment', { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
      return (await app!.fetch(request, env as never, ctx as never)).text();
    },
    console_log: () => console.log(line),
  };
}

export default {
  async fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n') ?? 1);
    const op = url.searchParams.get('op') ?? '';
    const text = url.searchParams.get('text') ?? 'a text';
    const { model } = await models.current();
    const run = (await ops(model, env, ctx))[op];
    if (!run || !(n >= 1 && n <= 1e6)) return new Response(`unknown op ${op} or bad n`, { status: 400 });
    for (let i = 0; i < n; i++) await run(text);
    return new Response('ok');
  },
};
