import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestSchema, type Manifest } from '../../shared/manifest';
import { codeUrlFromEnv, renderModelCard } from './model-card';

const shipped = manifestSchema.parse(JSON.parse(readFileSync(new URL('../../worker/model/manifest.json', import.meta.url), 'utf8')));

/** The front matter, read the way a YAML reader would: every value is JSON (YAML flow style). */
function metadata(card: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
  expect(match).not.toBeNull();
  return Object.fromEntries(match![1].split('\n').map((line) => {
    const at = line.indexOf(': ');
    return [line.slice(0, at), JSON.parse(line.slice(at + 2))];
  }));
}

describe('renderModelCard', () => {
  it('has the metadata the Hub expects: language, license (other: name and link), datasets, metrics, model-index with the holdout results', () => {
    const meta = metadata(renderModelCard(shipped, 'acme/sentiment', { codeUrl: 'https://github.com/acme/edge-sentiment' }));
    expect(meta).toMatchObject({
      language: ['en'],
      license: 'other',
      license_name: expect.stringMatching(/^[a-z0-9-]+$/),
      license_link: expect.stringMatching(/^https:\/\//),
      library_name: 'onnx',
      pipeline_tag: 'text-classification',
      datasets: ['cardiffnlp/tweet_eval'],
      metrics: ['recall', 'f1', 'accuracy'],
    });
    const [entry] = meta['model-index'] as Array<{ name: string; results: Array<{ task: object; dataset: object; metrics: Array<{ type: string; value: number }> }> }>;
    expect(entry.name).toBe('acme/sentiment');
    expect(entry.results[0]).toMatchObject({
      task: { type: 'text-classification' },
      dataset: { type: 'cardiffnlp/tweet_eval', config: 'sentiment', split: 'validation' },
    });
    const values = Object.fromEntries(entry.results[0].metrics.map((m) => [m.type, m.value]));
    expect(values.recall).toBeCloseTo(shipped.metrics!.macro_recall, 4);
    expect(values.f1).toBeCloseTo(shipped.metrics!.macro_f1, 4);
    expect(values.accuracy).toBeCloseTo(shipped.metrics!.accuracy, 4);
  });

  it('says what it is for, its limits, that the featurizer is required, and links the code', () => {
    const card = renderModelCard(shipped, 'acme/sentiment', { codeUrl: 'https://github.com/acme/edge-sentiment' });
    for (const heading of ['## Quality', '## Intended use', '## Limitations', '## How to run it', '## Training', '## Licence and citation']) expect(card).toContain(`\n${heading}\n`);
    expect(card).toMatch(/Out-of-domain texts/);
    expect(card).toMatch(/Negation/);
    expect(card).toMatch(/The featurizer is required/);
    expect(card).toContain(`\`${shipped.featurizer.name}\` v${shipped.featurizer.version}`);
    expect(card).toContain('(https://github.com/acme/edge-sentiment)');
  });

  it('lists the dataset repo a retrain read, names a composite holdout, and has no model-index without metrics', () => {
    const retrained: Manifest = {
      ...shipped,
      training_data: { source: 'datasets/tweeteval/train.csv + acme/sentiment-feedback', revision: 'abc', rows: 100 },
      metrics: { ...shipped.metrics!, dataset: 'holdout: datasets/tweeteval/val.csv + 20% of feedback texts (acme/sentiment-feedback@abc)' },
    };
    const meta = metadata(renderModelCard(retrained, 'acme/sentiment', { codeUrl: 'https://x.example' }));
    expect(meta.datasets).toEqual(['cardiffnlp/tweet_eval', 'acme/sentiment-feedback']);
    expect((meta['model-index'] as Array<{ results: Array<{ dataset: object }> }>)[0].results[0].dataset).toMatchObject({ type: 'acme/sentiment-feedback', split: 'holdout' });
    expect(metadata(renderModelCard({ ...shipped, metrics: null }, 'acme/sentiment'))).not.toHaveProperty('model-index');
  });

  it('shows why a retrained version was promoted: the rule, and each slice with its interval', () => {
    const change = (delta: number) => ({ delta, low: delta - 0.02, high: delta + 0.02 });
    const pair = (candidate: number, production: number) => ({ candidate, production, change: change(candidate - production) });
    const slice = (name: string, n: number, c: number, p: number) => ({ slice: name, n, macro_recall: pair(c, p), class_recall: { negative: pair(c, p), neutral: pair(p, p), positive: pair(c, p) } });
    const promotion = { rule: 'feedback-gain', reason: 'promoted: rule feedback-gain: …', confidence: 0.95, replaced: 'v2', slices: [slice('base', 2000, 0.7, 0.701), slice('feedback', 356, 0.77, 0.34)] };
    const card = renderModelCard({ ...shipped, promotion }, 'acme/sentiment');
    expect(card).toContain('## Why this version was promoted');
    expect(card).toContain('compared this version with v2');
    expect(card).toContain('`feedback-gain`: promoted: rule feedback-gain: …');
    expect(card).toContain('| slice | texts | macro-recall | v2 | change [interval] | negative recall change | neutral recall change | positive recall change |');
    expect(card).toContain('| base | 2000 | 70.0 | 70.1 | −0.1 [−2.1, +1.9] | −0.1 [−2.1, +1.9] | +0.0 [−2.0, +2.0] | −0.1 [−2.1, +1.9] |');
    expect(card).toContain('| feedback | 356 | 77.0 | 34.0 | +43.0 [+41.0, +45.0] |');
    expect(renderModelCard(shipped, 'acme/sentiment')).not.toContain('Why this version was promoted');
  });

  it('takes the code link from MODEL_CARD_CODE_URL, else the GitHub Actions repository', () => {
    expect(codeUrlFromEnv({ MODEL_CARD_CODE_URL: 'https://git.example/x', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'a/b' })).toBe('https://git.example/x');
    expect(codeUrlFromEnv({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'a/b' })).toBe('https://github.com/a/b');
    expect(codeUrlFromEnv({})).toBeUndefined();
  });
});
