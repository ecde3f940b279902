/** The human-readable account of a self-label run (the `self-label` command and the retrain summary). */
import { LABELS } from '../../shared/labels';
import type { SelfLabelSummary } from './run-self-label';

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

export function selfLabelLines(s: SelfLabelSummary): string[] {
  const sel = s.selection;
  const checks = Object.entries(s.heuristics)
    .map(([name, h]) => `${name} ${h.enabled ? `rejected ${h.rejected}` : 'off'}`)
    .join(', ');
  const agreement = s.human_agreement;
  return [
    `- Self-labelling by \`${s.labeler}\` (${s.prompts.join(' + ')}): **${s.status}**, kept ${s.kept} of ${s.judged} texts (${pct(s.kept_share)}): ${LABELS.map((l) => `${l} ${s.kept_per_label[l]}`).join(', ')}`,
    `- Texts: ${sel.low_confidence_texts} low-confidence, ${sel.new} new, ${sel.cached} answered before, ${sel.left_for_later} left for later; ${sel.audit_texts} corrected texts audited`,
    `- Spent: ${s.requests.sent}/${s.requests.max} requests, ${s.tokens.spent}/${s.tokens.max} tokens${s.cost.usd === null ? '' : ` ($${s.cost.usd.toFixed(4)})`}; ${s.llm.batches_malformed} malformed answers (${s.llm.texts_malformed} texts), ${s.llm.retries} retries, failed: ${JSON.stringify(s.llm.batches_failed)}${s.llm.stopped ? `; stopped: ${s.llm.stopped}` : ''}`,
    `- Checks: ${checks}; agreement with users ${agreement.enabled ? `${agreement.agreed}/${agreement.samples} (${pct(agreement.rate)}, floor ${pct(agreement.min_agreement)})${agreement.passed ? '' : ': **run discarded**'}` : 'off'}`,
    ...(s.commit ? [`- Committed ${s.files.join(', ')} as \`${s.commit}\``] : []),
  ];
}
