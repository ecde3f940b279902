/**
 * `behaviour --model <file.onnx> [--model <other.onnx>…] [--json]`: runs the behavioural suite
 * (trainer/behaviour/) and prints each test's failure rate, one column per model.
 */
import { parseArgs } from 'node:util';
import { runSuite, behaviourTable, type TestResult } from '../behaviour/run-suite';
import { behaviourSuite } from '../behaviour/suite';
import { loadModelFile, predictAll } from '../onnx/load-model';
import { UsageError } from './usage-error';

export const usage = 'behaviour --model <file.onnx> [--model <other.onnx>…] [--json] [--examples]';

export async function behaviourCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { model: { type: 'string', multiple: true }, json: { type: 'boolean' }, examples: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) return console.log(`usage: ${usage}\nPrints the failure rate of each behavioural test (negation, contrast, emoji, invariance…) for each model.`);
  if (!values.model?.length) throw new UsageError(`missing --model\nusage: ${usage}`);
  const tests = behaviourSuite();
  const columns: { name: string; version: string; results: TestResult[] }[] = [];
  for (const path of values.model) {
    const model = await loadModelFile(path);
    try {
      columns.push({ name: model.version, version: model.version, results: await runSuite(tests, (texts) => predictAll(model, texts)) });
    } finally {
      await model.release();
    }
  }
  if (values.json) return console.log(JSON.stringify(columns.map((c, i) => ({ model: values.model![i], ...c })), null, 2));
  console.log(behaviourTable(columns));
  if (values.examples) {
    for (const column of columns) {
      console.log(`\nfailing examples, ${column.name}:`);
      for (const result of column.results) for (const example of result.examples) console.log(`  [${result.name}] ${example}`);
    }
  }
}
