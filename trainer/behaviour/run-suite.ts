/** Scores a model on the behavioural suite: failure rate per test. */
import { LABELS, NUM_LABELS, type Label } from '../../shared/labels';
import type { BehaviourResult } from '../../shared/manifest';
import type { BehaviourTest } from './suite';

/** Row-major [texts.length, 3] probabilities, as SentimentModel.probabilities gives them. */
export type Predict = (texts: readonly string[]) => Promise<Float32Array>;

/** n counts cases (labelled tests) or pairs (invariance tests). */
export interface TestResult extends BehaviourResult {
  failures: number;
  /** A few failing inputs, to read. */
  examples: string[];
}

function argmax(probabilities: Float32Array, row: number): Label {
  let best = 0;
  for (let c = 1; c < NUM_LABELS; c++) if (probabilities[row * NUM_LABELS + c] > probabilities[row * NUM_LABELS + best]) best = c;
  return LABELS[best];
}

export async function runSuite(tests: readonly BehaviourTest[], predict: Predict): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const test of tests) {
    const examples: string[] = [];
    let failures = 0;
    if (test.kind === 'label') {
      const probabilities = await predict(test.cases.map((c) => c.text));
      test.cases.forEach((c, row) => {
        const label = argmax(probabilities, row);
        if (c.expect.includes(label)) return;
        failures++;
        if (examples.length < 3) examples.push(`${c.text} -> ${label}`);
      });
    } else {
      const probabilities = await predict(test.pairs.flat());
      test.pairs.forEach(([a, b], i) => {
        const [labelA, labelB] = [argmax(probabilities, 2 * i), argmax(probabilities, 2 * i + 1)];
        if (labelA === labelB) return;
        failures++;
        if (examples.length < 3) examples.push(`${a} -> ${labelA} | ${b} -> ${labelB}`);
      });
    }
    const n = test.kind === 'label' ? test.cases.length : test.pairs.length;
    results.push({ name: test.name, capability: test.capability, kind: test.kind, n, failures, failure_rate: n ? failures / n : 0, examples });
  }
  return results;
}

/** Failures over all labelled cases, and over all invariance pairs. */
export function summarise(results: readonly BehaviourResult[]): { labelled: number; invariance: number } {
  const rate = (kind: BehaviourTest['kind']) => {
    const of = results.filter((r) => r.kind === kind);
    const n = of.reduce((sum, r) => sum + r.n, 0);
    return n ? of.reduce((sum, r) => sum + r.failure_rate * r.n, 0) / n : 0;
  };
  return { labelled: rate('label'), invariance: rate('invariance') };
}

/** A Markdown table, one column of failure rates per model (for the terminal, the README and the model card). */
export function behaviourTable(columns: readonly { name: string; results: readonly BehaviourResult[] }[]): string {
  const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
  const lines = [
    `| test | capability | n | ${columns.map((c) => `${c.name} failures`).join(' | ')} |`,
    `|---|---|---:|${columns.map(() => '---:').join('|')}|`,
  ];
  columns[0].results.forEach((result, i) => {
    lines.push(`| ${result.name} | ${result.capability} | ${result.n} | ${columns.map((c) => percent(c.results[i].failure_rate)).join(' | ')} |`);
  });
  const totals = columns.map((c) => summarise(c.results));
  lines.push(`| **all labelled cases** | | | ${totals.map((t) => `**${percent(t.labelled)}**`).join(' | ')} |`);
  lines.push(`| **all invariance pairs** (label flips) | | | ${totals.map((t) => `**${percent(t.invariance)}**`).join(' | ')} |`);
  return lines.join('\n');
}
