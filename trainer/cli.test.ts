import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { manifestSchema } from '../shared/manifest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'trainer-cli-'));
const trainer = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'trainer/cli.ts', ...args]);
const failure = (...args: string[]) => trainer(...args).then(() => { throw new Error('expected the command to fail'); }, (error) => error);

describe('trainer CLI', () => {
  it('trains, exports and evaluates a model end to end', async () => {
    const train = join(dir, 'train.csv');
    writeFileSync(train, readFileSync('datasets/tweeteval/train.csv', 'utf8').split('\n').slice(0, 1501).join('\n'));
    const out = join(dir, 'model');
    await trainer('train', '--data', train, '--validation', 'datasets/tweeteval/val.csv', '--out', out, '--version', 'v3', '--max-features', '3000');
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    expect(manifest.version).toBe('v3');
    expect(manifest.training_data.rows).toBe(1500);

    const { stdout } = await trainer('evaluate', '--model', join(out, 'model.onnx'), '--data', 'datasets/tweeteval/val.csv');
    const metrics = JSON.parse(stdout);
    expect(metrics).toMatchObject({ n: 2000, model_version: 'v3', labels: ['negative', 'neutral', 'positive'] });
    expect(metrics.macro_recall).toBeCloseTo(manifest.metrics!.macro_recall, 10);
    for (const key of ['accuracy', 'macro_f1', 'expected_calibration_error', 'low_confidence_rate']) expect(metrics[key]).toBeTypeOf('number');
    expect(metrics.confusion_matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(2000);

    // The manifest records the behavioural suite as the graph scored it; the command measures the same.
    const behaviour = JSON.parse((await trainer('behaviour', '--model', join(out, 'model.onnx'), '--json')).stdout);
    expect(behaviour[0].results.map(({ name, failure_rate }: { name: string; failure_rate: number }) => ({ name, failure_rate }))).toEqual(
      manifest.behaviour!.map(({ name, failure_rate }) => ({ name, failure_rate })),
    );
  }, 120_000);

  it('prints the behavioural failure rates of several models side by side', async () => {
    const { stdout } = await trainer('behaviour', '--model', 'worker/model/model.onnx', '--model', 'worker/model/model.onnx');
    expect(stdout).toMatch(/^\| test \| capability \| n \| v\d+ failures \| v\d+ failures \|$/m);
    expect(stdout).toMatch(/^\| negated negative \| negation \| 200 \| [\d.]+% \| [\d.]+% \|$/m);
    expect(stdout).toContain('all invariance pairs');
  }, 60_000);

  it('explains bad input in one line and exits non-zero', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'text,label\nhello,happy\n');
    const unknownLabel = await failure('evaluate', '--model', 'worker/model/model.onnx', '--data', bad);
    expect(unknownLabel.code).toBe(1);
    expect(unknownLabel.stderr.trim()).toBe(`error: ${bad} line 2: unknown label "happy"; expected one of negative, neutral, positive`);

    const missing = await failure('evaluate', '--model', 'worker/model/model.onnx', '--data', join(dir, 'nope.csv'));
    expect(missing.stderr).toContain('file not found');

    const usage = await failure('evaluate', '--model', 'worker/model/model.onnx');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage:');
  }, 60_000);

  it("prints a command's usage for --help, and for an unknown flag or a missing value exits 2 with it, without a stack", async () => {
    const [help, unknown, noValue] = await Promise.all([trainer('train', '--help'), failure('retrain', '--dryrun'), failure('evaluate', '--data')]);
    expect(help.stdout).toMatch(/^usage: train --data <train\.csv> --out <dir>/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: Unknown option '--dryrun'\nusage: retrain /);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toMatch(/^error: Option '--data <value>' argument missing\nusage: evaluate /);
    for (const { stderr } of [unknown, noValue]) expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
