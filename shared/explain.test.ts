import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLabelledCsv } from '../trainer/data/csv';
import { worstExplanationError } from './test/explanation-check.test-helpers';
import { tokenId, tokenNames } from './featurizer/index';
import { useShippedModel } from './test/shipped-model.test-helpers';

const shipped = useShippedModel();

describe('explanations of the shipped model', () => {
  it('reproduce the logit difference of 1,000 validation texts within 1e-4', async () => {
    const texts = parseLabelledCsv(readFileSync('datasets/tweeteval/val.csv', 'utf8')).slice(0, 1000).map((row) => row.text);
    const { worst, explained } = await worstExplanationError(shipped.model, texts);
    expect(explained).toBe(1000);
    expect(worst).toBeLessThan(1e-4);
  });

  it('name the n-grams that drive a prediction, from the text itself', async () => {
    const [prediction] = await shipped.model.predict(['I love this so much, but the ending was not good :('], { explain: true });
    const explanation = prediction.explanation!;
    expect(explanation.label).toBe(prediction.label);
    expect(explanation.toward.length).toBe(5);
    expect(explanation.against.length).toBe(5);
    const all = [...explanation.toward, ...explanation.against];
    expect(all.map((item) => item.ngram)).toEqual(expect.arrayContaining(['love']));
    expect(all.every((item) => !item.ngram.startsWith('#'))).toBe(true); // every id found its n-gram
    expect(explanation.toward.map((item) => item.contribution)).toEqual([...explanation.toward.map((item) => item.contribution)].sort((a, b) => b - a));
  });

  it('are not computed unless asked for', async () => {
    const [plain] = await shipped.model.predict(['I love this']);
    expect(plain).not.toHaveProperty('explanation');
  });

  it('know how much of a text the model knows', async () => {
    const [english, unknown] = await shipped.model.predict(['I love this so much', 'これはすごい']);
    expect(english.known!.words).toBe(1);
    expect(unknown.known).toEqual({ all: 0, words: 0 });
  });
});

describe('tokenNames', () => {
  it('maps ids back to the text\'s own word and character n-grams', () => {
    const ids = [tokenId('so good', 'word'), tokenId(' go', 'char'), tokenId('absent', 'word')];
    const names = tokenNames('so good', shipped.model.featurizerSpec, ids);
    expect(names.get(ids[0])).toEqual({ ngram: 'so good', block: 'word' });
    expect(names.get(ids[1])).toEqual({ ngram: ' go', block: 'char' });
    expect(names.has(ids[2])).toBe(false);
  });
});
