/**
 * `npm run bench:models -- --model <dir> --model <other dir> [--rounds 10] [--seconds 1]`:
 * serving cost per text of two or more models in one process (Node, onnxruntime-web, one wasm
 * thread, as the Node server runs it), SentimentModel.predict on batches of 100 validation tweets.
 * The models take turns in short windows, so a noisy, shared machine slows them alike; it prints
 * µs per text for each (median over rounds) and each one's ratio to the first, in wall time and in
 * this process's CPU time (steadier when other processes crowd the cores: waiting for a core is
 * not counted).
 *
 * Old shipped models come from git: `git show <commit>:worker/model/model.onnx > dir/model.onnx`
 * (and the same for manifest.json).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadVerifiedModel } from '../model-provider/load-verified-model';
import { ortNode } from '../../shared/ort/node';
import { exitOnHelp } from './lib/cli';
import { benchTexts } from './lib/texts';

const usage = 'usage: tsx worker/bench/compare-models.ts --model <dir> --model <other dir> [--rounds 10] [--seconds 1]';
exitOnHelp(usage);
const { values } = parseArgs({
  options: { model: { type: 'string', multiple: true }, rounds: { type: 'string', default: '10' }, seconds: { type: 'string', default: '1' } },
});
const dirs = values.model ?? [];
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
if (dirs.length < 2 || !(rounds >= 1 && rounds <= 100) || !(seconds > 0 && seconds <= 10)) {
  console.error(`need two --model directories, --rounds in [1, 100] and --seconds in (0, 10]\n${usage}`);
  process.exit(2);
}

const { batch } = await benchTexts();
const models = await Promise.all(
  dirs.map(async (dir) => {
    const { model, manifest } = await loadVerifiedModel(ortNode, {
      bytes: new Uint8Array(await readFile(join(dir, 'model.onnx'))),
      manifest: JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')),
    });
    return { dir, model, version: manifest.version, featurizer: manifest.featurizer.version, perRound: [] as number[], cpuPerRound: [] as number[] };
  }),
);

for (const { model } of models) for (let i = 0; i < 50; i++) await model.predict(batch); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const entry of models) {
    let texts = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const end = start + seconds * 1000;
    while (performance.now() < end) {
      await entry.model.predict(batch);
      texts += batch.length;
    }
    const cpu = process.cpuUsage(cpuStart);
    entry.perRound.push(((performance.now() - start) * 1000) / texts);
    entry.cpuPerRound.push((cpu.user + cpu.system) / texts);
  }
  console.error(`round ${round + 1}/${rounds}: ${models.map((m) => `${m.version} ${m.perRound.at(-1)!.toFixed(1)} µs/text (CPU ${m.cpuPerRound.at(-1)!.toFixed(1)})`).join(', ')}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const first = median(models[0].perRound);
const firstCpu = median(models[0].cpuPerRound);
console.log(
  JSON.stringify(
    models.map(({ dir, version, featurizer, perRound, cpuPerRound }) => ({
      dir,
      model_version: version,
      featurizer_version: featurizer,
      us_per_text_median: median(perRound),
      ratio_to_first: median(perRound) / first,
      cpu_us_per_text_median: median(cpuPerRound),
      cpu_ratio_to_first: median(cpuPerRound) / firstCpu,
    })),
    null,
    2,
  ),
);
await Promise.all(models.map(({ model }) => model.release()));
