/**
 * The dataset repo's README.md, following the Hugging Face dataset card conventions: YAML metadata
 * (licence, language, task, and one `configs` entry per folder so the Hub's viewer and
 * `datasets.load_dataset(repo, "feedback")` find the files), then what each config holds.
 */
import { LABELS } from '../../shared/labels';

export interface DatasetCardInput {
  repo: string;
  base: { train: { path: string; rows: number }; validation: { path: string; rows: number }; source: string };
}

const sizeCategory = (rows: number) => (rows < 1_000 ? 'n<1K' : rows < 10_000 ? '1K<n<10K' : rows < 100_000 ? '10K<n<100K' : rows < 1_000_000 ? '100K<n<1M' : 'n>1M');

type Feature = [name: string, dtype: string];
const features = (...list: Feature[]) => list.map(([name, dtype]) => `  - name: ${name}\n    dtype: ${dtype}`).join('\n');
// The fields every captured record starts and ends with (shared/feedback-record.ts).
const RECORD_HEAD: Feature[] = [['id', 'string'], ['kind', 'string'], ['text', 'string']];
const RECORD_TAIL: Feature[] = [['model_version', 'string'], ['timestamp', 'string'], ['source', 'string']];

export function renderDatasetCard({ repo, base }: DatasetCardInput): string {
  return `---
license: other
license_name: tweeteval-and-user-contributions
license_link: LICENSE
language:
- en
task_categories:
- text-classification
task_ids:
- sentiment-classification
pretty_name: ${repo} sentiment training data
size_categories:
- ${sizeCategory(base.train.rows + base.validation.rows)}
tags:
- sentiment-analysis
- user-feedback
- human-in-the-loop
configs:
- config_name: base
  default: true
  data_files:
  - split: train
    path: ${base.train.path}
  - split: validation
    path: ${base.validation.path}
- config_name: feedback
  data_files:
  - split: train
    path: feedback/**/*.jsonl
- config_name: low_confidence
  data_files:
  - split: train
    path: low_confidence/**/*.jsonl
dataset_info:
- config_name: base
  features:
${features(['text', 'string'], ['label', 'string'])}
  splits:
  - name: train
    num_examples: ${base.train.rows}
  - name: validation
    num_examples: ${base.validation.rows}
- config_name: feedback
  features:
${features(...RECORD_HEAD, ['model_label', 'string'], ['correct_label', 'string'], ['confidence', 'float64'], ...RECORD_TAIL)}
- config_name: low_confidence
  features:
${features(...RECORD_HEAD, ['label', 'string'], ['confidence', 'float64'])}
  - name: scores
    struct:
${LABELS.map((label) => `    - name: ${label}\n      dtype: float64`).join('\n')}
${features(...RECORD_TAIL)}
---

# ${repo}

Everything the sentiment model is trained and checked on: the base dataset, the corrections users send through
\`POST /v1/feedback\`, and the predictions the service was unsure of. Labels are \`${LABELS.join('`, `')}\`.

> **This dataset holds user-submitted text.** \`feedback/\` and \`low_confidence/\` contain texts that users of the
> service sent to it, stored as sent. Keep this repo private unless every user agreed to publication, and honour
> deletion requests by removing their records (shards are append-only, so delete with a new commit).

## Configs

| config | files | what a row is |
|---|---|---|
| \`base\` | \`${base.train.path}\` (${base.train.rows} rows), \`${base.validation.path}\` (${base.validation.rows} rows) | \`text,label\` CSV: ${base.source} |
| \`feedback\` | \`feedback/YYYY/MM/DD/<time>-<flush>.jsonl\` | a user's correction: the text, the label the model gave (\`model_label\`), the right one (\`correct_label\`), the model's confidence and version, when, and \`source\` (the calling app's name, \`api\` when none was given) |
| \`low_confidence\` | \`low_confidence/YYYY/MM/DD/<time>-<flush>.jsonl\` | a prediction whose top probability was below the service's threshold: text, label, \`scores\` per label, model version; no true label |

Shards are written once per flush and never rewritten; every record has a unique \`id\` (a ULID), so a retried flush
can be deduplicated. The weekly retrain reads \`base\` at the revision it pulls and records that revision in the
model's manifest. The validation split is the fixed holdout: it is never trained on, and feedback never relabels it.

## Licence

The \`base\` config is ${base.source}; its terms apply (TweetEval: no restrictions of its own, but those of the
underlying SemEval task and of Twitter's terms of service; cite Rosenthal et al. 2017 and Barbieri et al. 2020).
User-contributed records belong to the operator of the service under its own terms with its users.
`;
}
