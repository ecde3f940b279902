/**
 * TF-IDF over hashed tokens, as scikit-learn's FeatureUnion of a word and a character
 * TfidfVectorizer(smooth_idf=True, norm="l2"): per block, the vocabulary is the maxFeatures ids
 * most frequent in the corpus among those in at least minDf documents; idf = ln((1 + n) / (1 + df)) + 1;
 * each block of a row is L2-normalised on its own.
 */
import { isCharTokenId, type TextTokens } from '../../shared/featurizer/index';
import { TokenCounter } from '../../shared/featurizer/token-counter';
import type { CsrMatrix } from './sparse-matrix';

export interface VectorizerOptions {
  minDf: number;
  maxFeatures: number;
  sublinearTf: boolean;
}

export interface Vocabulary {
  /** Hashed token ids, ascending; index = column. */
  ids: Uint32Array;
  idf: Float64Array;
}

export function fitVocabulary(documents: readonly TextTokens[], options: VectorizerOptions): Vocabulary {
  const documentFrequency = new TokenCounter(1 << 20);
  const termFrequency = new TokenCounter(1 << 20);
  for (const doc of documents) {
    for (let i = 0; i < doc.ids.length; i++) {
      documentFrequency.add(doc.ids[i]);
      termFrequency.add(doc.ids[i], doc.counts[i]);
    }
  }
  // Both counters saw the ids in the same order, so entry e is the same id in each.
  const blocks: [number[], number[]] = [[], []];
  for (let entry = 0; entry < documentFrequency.size; entry++) {
    if (documentFrequency.counts[entry] >= options.minDf) blocks[isCharTokenId(documentFrequency.ids[entry]) ? 1 : 0].push(entry);
  }
  // Keep the maxFeatures most frequent in the corpus, ties to the smaller id. The key packs both
  // (frequency, then inverted id) into one float64, so a native sort finds the cut-off fast.
  const mostFrequent = (entries: number[]) => {
    if (entries.length <= options.maxFeatures) return entries;
    const keys = Float64Array.from(entries, (e) => termFrequency.counts[e] * 2 ** 32 + (0xffffffff - documentFrequency.ids[e]));
    const cutOff = Float64Array.from(keys).sort()[keys.length - options.maxFeatures];
    return entries.filter((_, i) => keys[i] >= cutOff);
  };
  const kept = [...mostFrequent(blocks[0]), ...mostFrequent(blocks[1])];
  const ids = Uint32Array.from(kept, (entry) => documentFrequency.ids[entry]).sort();
  const n = documents.length;
  const idf = Float64Array.from(ids, (id) => Math.log((1 + n) / (1 + documentFrequency.counts[documentFrequency.find(id)])) + 1);
  return { ids, idf };
}

export function vectorize(documents: readonly TextTokens[], vocabulary: Vocabulary, sublinearTf: boolean): CsrMatrix {
  // Entry order of the counter is insertion order, so an id's entry index is its column.
  const columnOf = new TokenCounter(vocabulary.ids.length * 2);
  vocabulary.ids.forEach((id) => columnOf.add(id));
  const rowStart = new Int32Array(documents.length + 1);
  let nonZeros = 0;
  for (const doc of documents) for (const id of doc.ids) if (columnOf.find(id) >= 0) nonZeros++;
  const columnIndex = new Int32Array(nonZeros);
  const values = new Float32Array(nonZeros);
  let k = 0;
  documents.forEach((doc, row) => {
    const start = k;
    const squares = [0, 0]; // word block, char block
    const raw: number[] = [];
    for (let i = 0; i < doc.ids.length; i++) {
      const column = columnOf.find(doc.ids[i]);
      if (column < 0) continue;
      const tf = sublinearTf ? 1 + Math.log(doc.counts[i]) : doc.counts[i];
      const value = tf * vocabulary.idf[column];
      columnIndex[k++] = column;
      raw.push(value);
      squares[isCharTokenId(doc.ids[i]) ? 1 : 0] += value * value;
    }
    const norms = squares.map((sum) => (sum > 0 ? Math.sqrt(sum) : 1));
    for (let j = start; j < k; j++) values[j] = raw[j - start] / norms[isCharTokenId(vocabulary.ids[columnIndex[j]]) ? 1 : 0];
    rowStart[row + 1] = k;
  });
  return { rows: documents.length, columns: vocabulary.ids.length, rowStart, columnIndex, values };
}
