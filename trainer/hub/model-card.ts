/**
 * The model repo's README.md, following the Hub's model card conventions: YAML metadata (language,
 * license, datasets, metrics, and a model-index with the holdout results, which the Hub shows as
 * an evaluation widget) and the sections a user needs: what it is, quality, intended use,
 * limitations, how to run it (the featurizer requirement), training, licence.
 */
import type { HoldoutMetrics, Manifest, Promotion } from '../../shared/manifest';
import { behaviourSection, lexiconSection } from './model-card-behaviour';

/** Where TweetEval lives on the Hub, for `datasets` and the model-index. */
const TWEETEVAL = { id: 'cardiffnlp/tweet_eval', config: 'sentiment' } as const;

/**
 * The weights are derived from TweetEval (no licence of its own; Twitter's terms apply to the
 * tweets) and from texts users sent: no standard licence fits, so `other` with a name and a link.
 */
const LICENSE = { name: 'tweeteval-derived', link: 'https://github.com/cardiffnlp/tweeteval' } as const;

export interface ModelCardOptions {
  /** The project's code (featurizer, runtimes): default codeUrlFromEnv(process.env). */
  codeUrl?: string;
}

/** MODEL_CARD_CODE_URL, else the GitHub repository the workflow runs in; undefined when neither is set. */
export function codeUrlFromEnv(env: Record<string, string | undefined>): string | undefined {
  if (env.MODEL_CARD_CODE_URL) return env.MODEL_CARD_CODE_URL;
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`;
  return undefined;
}

const percent = (value: number) => (100 * value).toFixed(1);

/** Hub dataset ids in a training source such as `datasets/tweeteval/train.csv + acme/feedback`. */
export function datasetIds(source: string): string[] {
  const ids = source.split(' + ').flatMap((part) => {
    const trimmed = part.trim();
    if (/tweeteval|tweet_eval/i.test(trimmed)) return [TWEETEVAL.id];
    return /^[\w.-]+\/[\w.-]+$/.test(trimmed) && !/\.(csv|jsonl?)$/i.test(trimmed) ? [trimmed] : [];
  });
  return [...new Set(ids)];
}

/** The model-index entry of the holdout: TweetEval's validation split when that is all it is. */
function holdoutDataset(metrics: HoldoutMetrics, source: string): Record<string, string> {
  if (/^(?:.*\/)?tweeteval\/val\.csv$/i.test(metrics.dataset)) {
    return { name: 'TweetEval sentiment (validation split)', type: TWEETEVAL.id, config: TWEETEVAL.config, split: 'validation' };
  }
  return { name: metrics.dataset, type: datasetIds(`${metrics.dataset} + ${source}`).at(-1) ?? metrics.dataset, split: 'holdout' };
}

/** The card's metadata, as the Hub reads it from the YAML front matter. */
export function modelCardMetadata(manifest: Manifest, repo: string): Record<string, unknown> {
  const { metrics } = manifest;
  const round = (value: number) => Number(value.toFixed(4));
  return {
    language: ['en'],
    license: 'other',
    license_name: LICENSE.name,
    license_link: LICENSE.link,
    library_name: 'onnx',
    pipeline_tag: 'text-classification',
    tags: ['sentiment-analysis', 'onnx', 'tf-idf', 'logistic-regression', 'edge'],
    datasets: datasetIds(manifest.training_data.source),
    metrics: ['recall', 'f1', 'accuracy'],
    ...(metrics && {
      'model-index': [
        {
          name: repo,
          results: [
            {
              task: { type: 'text-classification', name: 'Sentiment analysis' },
              dataset: holdoutDataset(metrics, manifest.training_data.source),
              metrics: [
                { type: 'recall', name: 'Macro-averaged recall', value: round(metrics.macro_recall), args: { average: 'macro' } },
                { type: 'f1', name: 'Macro-averaged F1', value: round(metrics.macro_f1), args: { average: 'macro' } },
                { type: 'accuracy', name: 'Accuracy', value: round(metrics.accuracy) },
              ],
            },
          ],
        },
      ],
    }),
  };
}

/** One `key: value` line per field, each value in JSON: YAML's flow style, so any YAML reader (and JSON.parse per line) reads it. */
function frontMatter(metadata: Record<string, unknown>): string {
  return ['---', ...Object.entries(metadata).map(([key, value]) => `${key}: ${JSON.stringify(value)}`), '---'].join('\n');
}

function qualitySection(metrics: HoldoutMetrics | null): string {
  if (!metrics) return '## Quality\n\nNo holdout metrics were recorded for this version.';
  return [
    '## Quality',
    '',
    `Measured by running \`model.onnx\` on \`${metrics.dataset}\` (${metrics.n} texts):`,
    '',
    '| metric | value |',
    '|---|---:|',
    `| macro-averaged recall | ${percent(metrics.macro_recall)} |`,
    `| macro-averaged F1 | ${percent(metrics.macro_f1)} |`,
    `| accuracy | ${percent(metrics.accuracy)} |`,
    `| expected calibration error | ${metrics.expected_calibration_error.toFixed(3)} |`,
    `| share with top probability < 0.55 | ${percent(metrics.low_confidence_rate)} |`,
    '',
    '| class | precision | recall | F1 | support |',
    '|---|---:|---:|---:|---:|',
    ...Object.entries(metrics.per_class).map(([label, m]) => `| ${label} | ${percent(m.precision)} | ${percent(m.recall)} | ${percent(m.f1)} | ${m.support} |`),
  ].join('\n');
}

const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
const changeCell = ({ delta, low, high }: Promotion['slices'][number]['macro_recall']['change']) => `${points(delta)} [${points(low)}, ${points(high)}]`;

/** The retrain gate's decision, slice by slice: what this version gained over the one it replaced, and where. */
export function promotionSection(promotion: Promotion | undefined): string {
  if (!promotion) return '';
  const labels = Object.keys(promotion.slices[0]?.class_recall ?? {});
  return [
    '## Why this version was promoted',
    '',
    `The weekly retrain compared this version with ${promotion.replaced} on the same holdout, slice by slice (the base`,
    'validation split, the held-out share of user corrections, and each source of corrections), and promoted it by rule',
    `\`${promotion.rule}\`: ${promotion.reason}`,
    '',
    `Macro-averaged recall and per-class recall change in points, with paired-bootstrap ${Math.round(100 * promotion.confidence)}% intervals:`,
    '',
    `| slice | texts | macro-recall | ${promotion.replaced} | change [interval] | ${labels.map((label) => `${label} recall change`).join(' | ')} |`,
    `|---|---:|---:|---:|---|${labels.map(() => '---|').join('')}`,
    ...promotion.slices.map(
      (s) => `| ${s.slice} | ${s.n} | ${percent(s.macro_recall.candidate)} | ${percent(s.macro_recall.production)} | ${changeCell(s.macro_recall.change)} | ${labels.map((label) => changeCell(s.class_recall[label].change)).join(' | ')} |`,
    ),
  ].join('\n');
}

export function renderModelCard(manifest: Manifest, repo: string, { codeUrl = codeUrlFromEnv(process.env) }: ModelCardOptions = {}): string {
  const code = codeUrl ? `[the project's code](${codeUrl})` : "the project's code (its repository)";
  const { featurizer, training_data: data } = manifest;
  const sections = [
    frontMatter(modelCardMetadata(manifest, repo)),
    `# ${repo} — ${manifest.version}

Three-class sentiment (negative, neutral, positive) for short English texts such as tweets: TF-IDF over hashed word
and character n-grams, then multinomial logistic regression, exported as one self-contained ONNX graph
(\`model.onnx\`) that onnxruntime runs on Cloudflare Workers and Node. \`manifest.json\` describes this version.
Code: ${code}.`,
    qualitySection(manifest.metrics),
    ...(manifest.promotion ? [promotionSection(manifest.promotion)] : []),
    `## Intended use

Scoring the sentiment of short, informal English texts (tweets, reviews, chat messages) where a small, fast model
matters: about a millisecond per text on a CPU, inside a Cloudflare Worker. It serves an API that also collects
corrections from its callers and is retrained weekly on them; each version is promoted only if it beats the one in
production on the fixed holdout. Not for decisions about individual people (moderation, hiring, credit, health).`,
    `## Limitations

- **Out-of-domain texts get confident-looking but unreliable scores.** It learned from tweets: on other domains
  (financial news, film reviews, formal prose, other languages) accuracy drops, while the probabilities can still look
  sure of themselves. Measure on your own data (\`npm run trainer -- evaluate\`) before relying on it there.
- **Negation and composition are shallow.** Negation is handled by marking the words after "not", "never", "n't" …
  up to the next punctuation (\`good_neg\`) and, from featurizer v2, by lexicon tokens for negated and contrasted
  sentiment words (see Behaviour below for what that fixes and what it does not); double negation, sarcasm and irony
  are often wrong.
- **Bag of n-grams**: word order beyond two words is not seen; rare words, new slang and emoji the training data lacks
  carry no signal, which pushes such texts towards the neutral class.
- **Probabilities are only roughly calibrated** (expected calibration error above); the neutral class is the hardest.
- **Data**: tweets from 2013–2017 plus texts sent to the API, with the biases of both.`,
    `## How to run it

Inputs \`token_ids\` (int64 [batch, tokens], the featurizer's unique hashed ids, padded with -1) and \`token_counts\`
(float32, same shape); output \`probabilities\` (float32 [batch, 3], labels in the order negative, neutral, positive).

**The featurizer is required:** the graph does not take raw text. Tokens must come from the featurizer named in the
graph's metadata, \`${featurizer.name}\` v${featurizer.version} (\`shared/featurizer\` in ${code}), with these options:
\`${JSON.stringify(featurizer.options)}\`. Any other tokenisation gives wrong scores without an error; the project's
runtimes refuse a model whose featurizer version they do not implement.`,
    // Behaviour and the lexicons' licences (model-card-behaviour.ts), when the model has them.
    ...[behaviourSection(manifest), lexiconSection(manifest)].filter((section) => section !== '').map((section) => section.trim()),
    `## Training

- Data: \`${data.source}\`${data.revision ? ` at revision \`${data.revision}\`` : ''}, ${data.rows} rows.
- Featurizer: \`${featurizer.name}\` v${featurizer.version}, options \`${JSON.stringify(featurizer.options)}\`.
- Hyper-parameters: \`${JSON.stringify(manifest.hyperparameters)}\`.
- Parent version: ${manifest.parent_version ?? 'none'}. Created ${manifest.created_at}. \`model.onnx\` sha256 \`${manifest.sha256}\`.`,
    `## Licence and citation

Licence \`${LICENSE.name}\`: the weights are derived from TweetEval, which is released without restrictions of its
own, but the tweets it is made of remain under Twitter's terms of service (see ${LICENSE.link}); texts sent to the
API as corrections are stored with personal data scrubbed. Cite Rosenthal et al. 2017 (SemEval-2017 Task 4) and
Barbieri et al. 2020 (TweetEval) for the data.`,
  ];
  return `${sections.join('\n\n')}\n`;
}
