/** The human-readable account of one retrain run (stdout and $GITHUB_STEP_SUMMARY): what was decided and why. */
import { LABELS } from '../../shared/labels';
import { selfLabelLines } from '../self-label/summary';
import { alertLine } from './alerts';
import { formatInterval } from './gate';
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

  if (r.slices && r.decision) {
    lines.push(
      '### Candidate vs production, per slice (change [paired-bootstrap interval])',
      '',
      '| slice | texts | macro-recall candidate | production | change [interval] | recall change: negative | neutral | positive |',
      '|---|---:|---:|---:|---|---|---|---|',
      ...r.slices.map(
        (s) =>
          `| ${s.slice} | ${s.n} | ${f4(s.candidate.macro_recall)} | ${f4(s.production.macro_recall)} | ${formatInterval(s.change.macro_recall)} | ${LABELS.map((l) => formatInterval(s.change.class_recall[l])).join(' | ')} |`,
      ),
      '',
    );
    if (r.candidate && r.production_scores) lines.push(`Whole holdout (${r.candidate.n} texts, reported only): macro-recall ${f4(r.candidate.macro_recall)} vs ${f4(r.production_scores.macro_recall)} (${delta(r.candidate.macro_recall, r.production_scores.macro_recall)}).`, '');
    if (r.canaries) {
      const { candidate: c, production: p } = r.canaries;
      lines.push(`Behavioural canaries (suite v${c.suite_version}, ${c.total}): candidate fails ${c.failed}, production ${p.failed} (${Object.entries(c.groups).map(([g, v]) => `${g} ${v.failed}/${v.n}`).join(', ')}).`, '');
    }
    lines.push('### Gate', '', '| rule | slice | result | detail |', '|---|---|---|---|');
    const { checks, promote } = r.decision;
    const decided = promote ? checks.find((c) => c.rule === 'feedback-gain') : checks.find((c) => c.blocking && !c.passed);
    for (const check of checks) {
      const result = !check.blocking ? 'reported' : check.passed ? 'pass' : '**blocked**';
      lines.push(`| ${check.rule}${check === decided ? ' (decided)' : ''} | ${check.slice ?? '–'} | ${result} | ${check.detail} |`);
    }
    lines.push('');
  }

  lines.push('### Alerts', '');
  lines.push(...r.alerts.map(alertLine));
  lines.push('', `Timings (s): ${Object.entries(r.timings).map(([k, v]) => `${k} ${v}`).join(', ') || '–'}. Files: \`${r.run_dir}\`.`, '');
  return lines.join('\n');
}
