/** The model repo's README.md: what the model is, how it was trained, how good it is. */
import type { Manifest } from '../../shared/manifest';
import { behaviourSection, lexiconSection } from './model-card-behaviour';

const percent = (value: number) => (100 * value).toFixed(1);

export function renderModelCard(manifest: Manifest, repo: string): string {
  const { metrics } = manifest;
  const metricsTable = metrics
    ? [
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
        ...Object.entries(metrics.per_class).map(
          ([label, m]) => `| ${label} | ${percent(m.precision)} | ${percent(m.recall)} | ${percent(m.f1)} | ${m.support} |`,
        ),
      ].join('\n')
    : 'No holdout metrics were recorded for this version.';
  return `---
license: other
library_name: onnx
pipeline_tag: text-classification
tags: [sentiment-analysis, onnx, tf-idf, logistic-regression, edge]
---

# ${repo} — ${manifest.version}

Three-class sentiment (negative, neutral, positive) for short English texts such as tweets: TF-IDF over hashed word
and character n-grams, then multinomial logistic regression, exported as one self-contained ONNX graph
(\`model.onnx\`) that onnxruntime runs on Cloudflare Workers and Node. \`manifest.json\` describes this version.

## Quality

${metricsTable}

${behaviourSection(manifest)}
## Training

- Data: \`${manifest.training_data.source}\`${manifest.training_data.revision ? ` at revision \`${manifest.training_data.revision}\`` : ''}, ${manifest.training_data.rows} rows.
- Featurizer: \`${manifest.featurizer.name}\` v${manifest.featurizer.version}, options \`${JSON.stringify(manifest.featurizer.options)}\`.
- Hyper-parameters: \`${JSON.stringify(manifest.hyperparameters)}\`.
- Parent version: ${manifest.parent_version ?? 'none'}. Created ${manifest.created_at}. \`model.onnx\` sha256 \`${manifest.sha256}\`.

## Use

Inputs \`token_ids\` (int64 [batch, tokens], the featurizer's unique hashed ids, padded with -1) and \`token_counts\`
(float32, same shape); output \`probabilities\` (float32 [batch, 3], labels in the order negative, neutral, positive).
Tokens must come from the featurizer named in the graph's metadata (the project's \`shared/featurizer\`); the
project's runtimes refuse a featurizer version they do not implement.

${lexiconSection(manifest)}`;
}
