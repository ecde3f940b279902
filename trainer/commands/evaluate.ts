/** `evaluate --model <file.onnx> --data <file.csv>`: prints the model's metrics on the data as JSON. */
import { parseArgs } from 'node:util';
import { readLabelledCsv } from '../data/csv';
import { evaluateModel } from '../evaluate/evaluate-model';
import { loadModelFile } from '../onnx/load-model';
import { UsageError } from './usage-error';

export const usage = 'evaluate --model <file.onnx> --data <file.csv>';

export async function evaluateCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { model: { type: 'string' }, data: { type: 'string' } },
  });
  if (!values.model || !values.data) throw new UsageError(`missing --model or --data\nusage: ${usage}`);
  const model = await loadModelFile(values.model);
  const rows = await readLabelledCsv(values.data);
  const metrics = await evaluateModel(model, rows);
  console.log(JSON.stringify({ model: values.model, model_version: model.version, data: values.data, ...metrics }, null, 2));
}
