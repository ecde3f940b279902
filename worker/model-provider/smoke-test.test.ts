import { describe, expect, it } from 'vitest';
import { SentimentModel } from '../../shared/sentiment-model';
import { ortNode } from '../../shared/ort/node';
import { tinyModel } from './hub.test-helpers';
import { SMOKE_TEXTS, smokeTest, SmokeTestError } from './smoke-test';

const fake = (values: number[] | Error) => ({
  probabilities: async () => {
    if (values instanceof Error) throw values;
    return Float32Array.from(values);
  },
});
const rows = (n: number, row: number[]) => Array.from({ length: n }, () => row).flat();

describe('smokeTest', () => {
  it('passes a working model', async () => {
    await expect(smokeTest(await SentimentModel.load(ortNode, tinyModel().bytes))).resolves.toBeUndefined();
  });

  it('fails NaN weights', async () => {
    const model = await SentimentModel.load(ortNode, tinyModel({ bias: [Number.NaN, 0, 0] }).bytes);
    await expect(smokeTest(model)).rejects.toThrow(/text 0 got probabilities \[NaN, NaN, NaN\]/);
  });

  it.each([
    ['a wrong shape', rows(SMOKE_TEXTS.length - 1, [0.2, 0.3, 0.5]), /expected 6x3 probabilities, got 15 values/],
    ['rows not summing to 1', rows(SMOKE_TEXTS.length, [0.2, 0.3, 0.6]), /sum to 1\.1/],
    ['infinite values', rows(SMOKE_TEXTS.length, [Number.POSITIVE_INFINITY, 0, 0]), /not all finite/],
    ['negative values', rows(SMOKE_TEXTS.length, [-0.5, 0.5, 1]), /not all finite in \[0, 1\]/],
  ])('fails %s', async (_, values, error) => {
    const failure = smokeTest(fake(values));
    await expect(failure).rejects.toBeInstanceOf(SmokeTestError);
    await expect(failure).rejects.toThrow(error);
  });

  it('accepts rounding within 1e-4 and reports a model that throws', async () => {
    await expect(smokeTest(fake(rows(SMOKE_TEXTS.length, [0.2, 0.3, 0.50009])))).resolves.toBeUndefined();
    await expect(smokeTest(fake(new Error('bad input')))).rejects.toThrow(/failed to run: bad input/);
  });
});
