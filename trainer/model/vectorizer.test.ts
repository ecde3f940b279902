import { describe, expect, it } from 'vitest';
import { charTokenId, isCharTokenId, wordTokenId, type TextTokens } from '../../shared/featurizer/index';
import { loadSklearnFixture } from './sklearn-fixture';
import { fitVocabulary, vectorize, type Vocabulary } from './vectorizer';

const { fixture, documents } = loadSklearnFixture();
const options = { minDf: fixture.vectorizer.min_df, maxFeatures: fixture.vectorizer.max_features, sublinearTf: fixture.vectorizer.sublinear_tf };

/** Row r of a CSR matrix as token id → value. */
function rowById(vocabulary: Vocabulary, matrix: ReturnType<typeof vectorize>, r: number): Map<number, number> {
  const row = new Map<number, number>();
  for (let k = matrix.rowStart[r]; k < matrix.rowStart[r + 1]; k++) row.set(vocabulary.ids[matrix.columnIndex[k]], matrix.values[k]);
  return row;
}

const doc = (tokens: Array<[number, number]>): TextTokens => ({ ids: Uint32Array.from(tokens, ([id]) => id), counts: Float32Array.from(tokens, ([, count]) => count) });

describe('fitVocabulary, against scikit-learn', () => {
  const vocabulary = fitVocabulary(documents, options);

  it('keeps the same features: min_df, then the max_features most frequent per block', () => {
    expect(Array.from(vocabulary.ids)).toEqual([...fixture.vocabulary.ids].sort((a, b) => a - b));
    // The fixture cuts the char block (and not the word block): max_features is exercised.
    expect(fixture.vocabulary.ids.filter((id) => isCharTokenId(id))).toHaveLength(fixture.vectorizer.max_features);
  });

  it('has scikit-learn\'s smoothed IDF', () => {
    const expected = new Map(fixture.vocabulary.ids.map((id, i) => [id, fixture.vocabulary.idf[i]]));
    vocabulary.ids.forEach((id, column) => expect(vocabulary.idf[column]).toBeCloseTo(expected.get(id)!, 12));
  });
});

describe('vectorize, against scikit-learn', () => {
  const vocabulary = fitVocabulary(documents, options);
  const matrix = vectorize(documents, vocabulary, options.sublinearTf);

  it('gives the same TF-IDF rows (sublinear TF, each block L2-normalised on its own)', () => {
    fixture.rows.forEach((expected, r) => {
      const row = rowById(vocabulary, matrix, r);
      expect([...row.keys()].sort()).toEqual([...expected.ids].sort());
      expected.ids.forEach((id, k) => expect(Math.abs(row.get(id)! - expected.values[k])).toBeLessThan(1e-6));
    });
  });

  it('has one row per document and only vocabulary columns', () => {
    expect(matrix.rows).toBe(documents.length);
    expect(matrix.columns).toBe(vocabulary.ids.length);
    expect(Math.max(...matrix.columnIndex)).toBeLessThan(vocabulary.ids.length);
  });
});

describe('vectorizer edge cases', () => {
  const [w1, w2, w3] = [wordTokenId(20), wordTokenId(40), wordTokenId(60)];
  const c1 = charTokenId(20);

  it('drops tokens below min_df and leaves a row with no known token empty', () => {
    const docs = [doc([[w1, 1], [w2, 1]]), doc([[w1, 2]]), doc([[w3, 1]])];
    const vocabulary = fitVocabulary(docs, { minDf: 2, maxFeatures: 10, sublinearTf: false });
    expect(Array.from(vocabulary.ids)).toEqual([w1]);
    const matrix = vectorize(docs, vocabulary, false);
    expect(Array.from(matrix.rowStart)).toEqual([0, 1, 2, 2]);
    expect(Array.from(matrix.values)).toEqual([1, 1]);
  });

  it('breaks a frequency tie at the max_features cut in favour of the smaller id', () => {
    const [small, large] = [Math.min(w2, w3), Math.max(w2, w3)];
    const docs = [doc([[w1, 3], [w2, 1], [w3, 1]]), doc([[w1, 1], [w2, 1], [w3, 1]])];
    const vocabulary = fitVocabulary(docs, { minDf: 1, maxFeatures: 2, sublinearTf: false });
    expect(Array.from(vocabulary.ids)).toEqual([w1, small].sort((a, b) => a - b));
    expect(Array.from(vocabulary.ids)).not.toContain(large);
  });

  it('normalises the word and char blocks of a row separately', () => {
    const docs = [doc([[w1, 1], [w2, 4], [c1, 9]]), doc([[w1, 1], [w2, 1], [c1, 1]])];
    const vocabulary = fitVocabulary(docs, { minDf: 1, maxFeatures: 10, sublinearTf: true });
    const row = rowById(vocabulary, vectorize(docs, vocabulary, true), 0);
    expect(row.get(c1)).toBeCloseTo(1, 6);
    expect(row.get(w1)! ** 2 + row.get(w2)! ** 2).toBeCloseTo(1, 6);
    // sublinear TF: count 4 weighs 1 + ln 4 against count 1's 1 (equal IDF here)
    expect(row.get(w2)! / row.get(w1)!).toBeCloseTo(1 + Math.log(4), 5);
  });
});
