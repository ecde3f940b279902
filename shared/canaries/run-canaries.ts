/**
 * Runs the behavioural canaries on any model that gives [texts, 3] probabilities. Used by the
 * retrain gate (a candidate may not fail more canaries than production) and by the registry on
 * both runtimes (a downloaded version that reads polarity backwards is refused). One batch, no
 * I/O: the whole suite is a few hundred short texts.
 */
import { labelIndex, LABELS, NUM_LABELS, type Label } from '../labels';
import { CANARY_SUITE_V1, LABEL_GROUPS, type CanarySuite, type LabelCanary, type LabelGroup } from './suite-v1';

export type Probabilities = (texts: readonly string[]) => Promise<Float32Array>;

export interface CanaryReport {
  suite_version: number;
  /** Label canaries plus invariance pairs. */
  total: number;
  failed: number;
  groups: Record<LabelGroup | 'invariance', { n: number; failed: number }>;
  /** Clear-polarity canaries whose opposite polarity scored higher than the expected one. */
  polarity: { n: number; wrong_way: number; agreement: number };
  /** Up to 10 failed canaries, `text → label (expected)`: canary texts, never user text. */
  examples: string[];
}

const OPPOSITE: Partial<Record<Label, Label>> = { positive: 'negative', negative: 'positive' };
const argmax = (p: Float32Array, row: number) => {
  let best = 0;
  for (let k = 1; k < NUM_LABELS; k++) if (p[row * NUM_LABELS + k] > p[row * NUM_LABELS + best]) best = k;
  return best;
};

/** Share of clear-polarity canaries not scored the wrong way round (ties are not wrong). */
export function polarityAgreement(canaries: readonly LabelCanary[], probabilities: Float32Array): CanaryReport['polarity'] {
  let n = 0;
  let wrongWay = 0;
  canaries.forEach(({ expected }, row) => {
    const opposite = OPPOSITE[expected];
    if (!opposite) return;
    n++;
    if (probabilities[row * NUM_LABELS + labelIndex(opposite)] > probabilities[row * NUM_LABELS + labelIndex(expected)]) wrongWay++;
  });
  return { n, wrong_way: wrongWay, agreement: n === 0 ? 1 : (n - wrongWay) / n };
}

/** Only the clear-polarity canaries (what the registry checks on every new version). */
export async function runPolarityCanaries(probabilities: Probabilities, suite: CanarySuite = CANARY_SUITE_V1): Promise<CanaryReport['polarity'] & { examples: string[] }> {
  const canaries = suite.clear_polarity;
  const p = await probabilities(canaries.map((c) => c.text));
  const examples = canaries.flatMap(({ text, expected }, row) => {
    const label = LABELS[argmax(p, row)];
    return label === OPPOSITE[expected] ? [`"${text}" → ${label} (expected ${expected})`] : [];
  });
  return { ...polarityAgreement(canaries, p), examples: examples.slice(0, 3) };
}

export async function runCanaries(probabilities: Probabilities, suite: CanarySuite = CANARY_SUITE_V1): Promise<CanaryReport> {
  const labelled = LABEL_GROUPS.flatMap((group) => suite[group].map((canary) => ({ ...canary, group })));
  const pairTexts = suite.invariance.flatMap(([a, b]) => [a, b]);
  const p = await probabilities([...labelled.map((c) => c.text), ...pairTexts]);

  const groups = Object.fromEntries([...LABEL_GROUPS, 'invariance'].map((g) => [g, { n: 0, failed: 0 }])) as CanaryReport['groups'];
  const examples: string[] = [];
  labelled.forEach(({ text, expected, group }, row) => {
    const label = LABELS[argmax(p, row)];
    groups[group].n++;
    if (label === expected) return;
    groups[group].failed++;
    examples.push(`${group}: "${text}" → ${label} (expected ${expected})`);
  });
  suite.invariance.forEach(([a, b], i) => {
    const row = labelled.length + 2 * i;
    const [la, lb] = [LABELS[argmax(p, row)], LABELS[argmax(p, row + 1)]];
    groups.invariance.n++;
    if (la === lb) return;
    groups.invariance.failed++;
    examples.push(`invariance: "${a}" → ${la} but "${b}" → ${lb}`);
  });
  const values = Object.values(groups);
  return {
    suite_version: suite.version,
    total: values.reduce((sum, g) => sum + g.n, 0),
    failed: values.reduce((sum, g) => sum + g.failed, 0),
    groups,
    polarity: polarityAgreement(suite.clear_polarity, p.subarray(0, suite.clear_polarity.length * NUM_LABELS)),
    examples: examples.slice(0, 10),
  };
}
