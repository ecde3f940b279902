/** The human-readable account of one retrain run (stdout and $GITHUB_STEP_SUMMARY): what was decided and why. */
import { LABELS } from '../../shared/labels';
import { selfLabelLines } from '../self-label/summary';
import type { HoldoutMetrics } from '../../shared/manifest';
import { alertLine } from './alerts';
import type { HoldoutScores } from './holdout-scores';
import type { RetrainResult } from './run-retrain';

const f4 = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(4));
const delta = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '–' : `${a - b >= 0 ? '+' : '−'}${Math.abs(a - b).toFixed(4)}`);

const HEADLINES: Record<RetrainResult['status'], (r: RetrainResult) => string> = {
  promoted: (r) => (r.published ? `✅ Promoted: ${r.published.version} replaces ${r.production.version}` : `✅ Candidate would replace ${r.production.version} (dry run: nothing published)`),
  not_promoted: (r) => `⏸️ Not promoted: ${r.production.version} stays in production`,
  unchanged: (r) => `⏸️ Nothing changed since the last run: ${r.production.version} stays in production, nothing trained or published`,
};

export function renderSummary(r: RetrainResult): string {
  const lines = [`## Weekly retrain: ${HEADLINES[r.status](r)}`, ''];
  if (r.decision) lines.push(r.decision.reason, '');
  lines.push(
    `- Dataset: \`${r.dataset.repo}\` at \`${r.dataset.revision ?? '(no repo yet)'}\`, ${r.dataset.shards} shards${r.dataset.invalid_lines.length ? `, ${r.dataset.invalid_lines.length} invalid lines skipped` : ''}`,
    `- Production before this run: ${r.production.version} (${r.production.source})`,
  );
  if (r.published) lines.push(`- Published: ${r.published.version}, commit \`${r.published.commit}\``);
  if (r.history_commit) lines.push(`- Candidate recorded in metrics/history.jsonl, commit \`${r.history_commit}\``);
  if (r.dry_run) lines.push('- Dry run: nothing was written to the Hub');
  lines.push('');

  if (r.self_label) lines.push('### Self-labelling', '', ...selfLabelLines(r.self_label), '');

  if (r.merge) {
    const m = r.merge;
    lines.push(
      '### Data',
      '',
      '| source | records | used for training | in holdout | notes |',
      '|---|---:|---:|---:|---|',
      `| base | ${m.base.rows} | ${m.train.per_source.base} | ${m.holdout.per_slice.base} (validation split) | ${m.base.empty_or_duplicate} empty or duplicate, ${m.base.moved_to_holdout} moved to holdout, ${m.base.relabelled_by_feedback} relabelled by users |`,
      `| feedback | ${m.feedback.records} | ${m.feedback.train} texts (${m.feedback.new_texts} new) | ${m.feedback.holdout} | ${m.feedback.texts} distinct texts, ${m.feedback.conflicting_texts} with conflicting corrections, ${m.feedback.on_base_holdout} on validation texts (ignored) |`,
      `| self-labelled | ${m.self_labeled.records} | ${m.self_labeled.used} | 0 | ${m.self_labeled.already_labelled} already labelled by a stronger source; training weight ${m.self_labeled.weight} |`,
      `| low-confidence | ${m.low_confidence.records} | 0 | 0 | unlabelled: not training data |`,
      '',
      `Training set: ${m.train.rows} rows (${LABELS.map((l) => `${l} ${m.train.per_label[l]}`).join(', ')}). Holdout: ${m.holdout.rows} (${LABELS.map((l) => `${l} ${m.holdout.per_label[l]}`).join(', ')}).`,
      '',
    );
  }

  if (r.candidate && r.production_scores) {
    lines.push('### Candidate vs production (same holdout)', '', '| metric | candidate | production | change | check |', '|---|---:|---:|---:|---|');
    const check = (name: string) => {
      const found = r.decision?.checks.find((c) => c.name === name);
      return found ? (found.passed ? 'pass' : '**blocked**') : '';
    };
    const row = (name: string, get: (m: HoldoutMetrics) => number | undefined, checkName = '') =>
      lines.push(`| ${name} | ${f4(get(r.candidate!.all))} | ${f4(get(r.production_scores!.all))} | ${delta(get(r.candidate!.all), get(r.production_scores!.all))} | ${checkName ? check(checkName) : ''} |`);
    row('macro-recall', (m) => m.macro_recall, 'macro-recall');
    row('macro-F1', (m) => m.macro_f1);
    row('accuracy', (m) => m.accuracy);
    for (const label of LABELS) row(`recall of ${label}`, (m) => m.per_class[label]?.recall, `recall of ${label}`);
    row('share below 0.55 confidence', (m) => m.low_confidence_rate);
    lines.push('', ...sliceLines(r.candidate, r.production_scores), '');
  }

  lines.push('### Alerts', '');
  lines.push(...r.alerts.map(alertLine));
  lines.push('', `Timings (s): ${Object.entries(r.timings).map(([k, v]) => `${k} ${v}`).join(', ') || '–'}. Files: \`${r.run_dir}\`.`, '');
  return lines.join('\n');
}

function sliceLines(candidate: HoldoutScores, production: HoldoutScores): string[] {
  return (['base', 'feedback'] as const).flatMap((slice) => {
    const c = candidate.slices[slice];
    const p = production.slices[slice];
    return c && p ? [`- ${slice === 'base' ? 'Validation split' : 'Feedback slice'} (${c.n} texts): macro-recall ${f4(c.macro_recall)} vs ${f4(p.macro_recall)} (${delta(c.macro_recall, p.macro_recall)})`] : [];
  });
}
