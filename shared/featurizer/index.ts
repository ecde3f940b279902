/**
 * The featurizer shared by the trainer and every runtime: text -> unique hashed token ids with
 * their counts. It has no learned state; the vocabulary, IDF and weights live in the ONNX graph.
 * Any change to what a version emits for some text (lexicon files included) is a new version;
 * every version a published model may name stays implemented.
 *
 * v1: word n-grams (negation-marked) + hashtags + character n-grams.
 * v2: v1 with contractions written out ("don't" -> "do not"), plus lexicon pseudo-tokens
 *     (AFINN-165 and emoji, negation- and contrast-aware; see lexicon-features.ts) in the word block.
 * v3: v2 where a negation reaches a lexicon word only within NEGATION_REACH words, and a negation
 *     that reached one leaves no negation marks on the rest of its scope.
 */
import { z } from 'zod';
import { PAD_TOKEN_ID } from '../model-contract';
import { FNV_PRIME, fnv1a, namespaceSeed } from './hash';
import { lexiconTokens } from './lexicon-features';
import { countCharNgrams, countWordNgrams, countWords } from './ngram-counts';
import { expandContractions, normalizeText } from './normalize';
import { TokenCounter } from './token-counter';
import { charTokenId, isCharTokenId, wordTokenId } from './token-ids';
import { isNegation, NEGATION_SUFFIX, tokenizeWords } from './tokenize';

export const FEATURIZER_NAME = 'tweet-hash';
/** The version new models are trained with. */
export const FEATURIZER_VERSION = 3;
export const FEATURIZER_VERSIONS = [1, 2, 3] as const;

const ngramRange = z
  .tuple([z.number().int().min(1).max(8), z.number().int().min(1).max(8)])
  .refine(([min, max]) => min <= max, 'n-gram range must be [min, max] with min <= max');

export const featurizerOptionsSchema = z.object({
  /** Word n-gram range, e.g. [1, 2]; null for none. */
  word_ngrams: ngramRange.nullable(),
  /** Character n-gram range over the normalised text, e.g. [2, 6]; null for none. */
  char_ngrams: ngramRange.nullable(),
  /** "char": n-grams across the whole normalised text; "char_wb": within each space-padded word. */
  char_mode: z.enum(['char', 'char_wb']),
  /** Mark words after a negation ("not good" -> "not good_neg") until the next punctuation. */
  negation: z.boolean(),
});

export const featurizerSpecSchema = z.object({
  name: z.literal(FEATURIZER_NAME),
  version: z.union(FEATURIZER_VERSIONS.map((version) => z.literal(version))),
  options: featurizerOptionsSchema,
});

export type FeaturizerOptions = z.infer<typeof featurizerOptionsSchema>;
export type FeaturizerSpec = z.infer<typeof featurizerSpecSchema>;
export type FeaturizerVersion = FeaturizerSpec['version'];

export const DEFAULT_FEATURIZER_OPTIONS: FeaturizerOptions = {
  word_ngrams: [1, 2],
  char_ngrams: [2, 6],
  char_mode: 'char_wb',
  negation: true,
};

export function featurizerSpec(options: Partial<FeaturizerOptions> = {}, version: FeaturizerVersion = FEATURIZER_VERSION): FeaturizerSpec {
  return {
    name: FEATURIZER_NAME,
    version,
    options: featurizerOptionsSchema.parse({ ...DEFAULT_FEATURIZER_OPTIONS, ...options }),
  };
}

/** Parses a spec read from a model; throws when this code does not implement it. */
export function parseFeaturizerSpec(value: unknown): FeaturizerSpec {
  const result = featurizerSpecSchema.safeParse(value);
  if (!result.success) {
    throw new Error(
      `unsupported featurizer ${JSON.stringify(value)}: this runtime implements ${FEATURIZER_NAME} ${FEATURIZER_VERSIONS.map((v) => `v${v}`).join(', ')}`,
    );
  }
  return result.data;
}

const WORD_SEED = namespaceSeed('w');
const CHAR_SEED = namespaceSeed('c');

export { charTokenId, isCharTokenId, wordTokenId } from './token-ids';

/** Rows of unique token ids and counts, padded to one width: the model's two input tensors. */
export interface TokenBatch {
  batch: number;
  width: number;
  /** int64 [batch, width]; PAD_TOKEN_ID where a row has fewer tokens. */
  ids: BigInt64Array;
  /** float32 [batch, width]; 0 for padding. */
  counts: Float32Array;
}

export interface TextTokens {
  ids: Uint32Array;
  counts: Float32Array;
}

export class Featurizer {
  readonly spec: FeaturizerSpec;
  private readonly counter = new TokenCounter();

  /** `spec` as parseFeaturizerSpec or featurizerSpec returned it (a model's is parsed once, when it loads). */
  constructor(spec: FeaturizerSpec) {
    this.spec = spec;
  }

  /** Unique token ids of one text with their counts, in first-occurrence order. */
  tokens(text: string): TextTokens {
    this.count(text);
    const { ids, counts, size } = this.counter;
    return { ids: ids.slice(0, size), counts: Float32Array.from(counts.subarray(0, size)) };
  }

  /** Featurizes many texts into the padded tensors the model takes. */
  batch(texts: readonly string[]): TokenBatch {
    // Pass 1: count every text into one flat scratch buffer, noting where each row starts.
    const rowStart = new Int32Array(texts.length + 1);
    let width = 1;
    for (let r = 0; r < texts.length; r++) {
      this.count(texts[r]);
      const { size } = this.counter;
      const start = rowStart[r];
      this.ensureScratch(start + size);
      this.scratchIds.set(this.counter.ids.subarray(0, size), start);
      this.scratchCounts.set(this.counter.counts.subarray(0, size), start);
      rowStart[r + 1] = start + size;
      if (size > width) width = size;
    }
    // Pass 2: lay rows out padded to one width. int64s are written as two little-endian int32
    // halves (the high half stays 0 for our unsigned 32-bit ids): far cheaper than BigInts.
    const ids = new BigInt64Array(texts.length * width);
    const halves = new Int32Array(ids.buffer);
    const counts = new Float32Array(texts.length * width);
    for (let r = 0; r < texts.length; r++) {
      const start = rowStart[r];
      const length = rowStart[r + 1] - start;
      const cell = r * width;
      for (let j = 0; j < length; j++) halves[2 * (cell + j)] = this.scratchIds[start + j];
      halves.fill(PAD_TOKEN_ID, 2 * (cell + length), 2 * (cell + width)); // -1 in both halves is int64 -1
      counts.set(this.scratchCounts.subarray(start, start + length), cell);
    }
    return { batch: texts.length, width, ids, counts };
  }

  private scratchIds = new Uint32Array(1 << 14);
  private scratchCounts = new Float32Array(1 << 14);

  private ensureScratch(size: number): void {
    if (size <= this.scratchIds.length) return;
    const capacity = 2 ** Math.ceil(Math.log2(size));
    const ids = new Uint32Array(capacity);
    ids.set(this.scratchIds);
    const counts = new Float32Array(capacity);
    counts.set(this.scratchCounts);
    this.scratchIds = ids;
    this.scratchCounts = counts;
  }

  private count(text: string): void {
    const { options } = this.spec;
    const counter = this.counter;
    counter.reset();
    const normalized = normalize(text, this.spec);
    let negated: string[] = [];
    if (options.word_ngrams) {
      const [minN, maxN] = options.word_ngrams;
      const { sequence, extras, dropped } = wordTokens(normalized, this.spec);
      countWordNgrams(counter, WORD_SEED, sequence, minN, maxN);
      if (minN === 1) countWords(counter, WORD_SEED, extras);
      negated = dropped;
    }
    if (options.char_ngrams) {
      const [minN, maxN] = options.char_ngrams;
      countCharNgrams(counter, CHAR_SEED, charText(normalized, negated), minN, maxN, options.char_mode);
    }
  }
}

/** The human-readable tokens behind the ids (for tests, debugging and explanations). */
export function tokenStrings(text: string, spec: FeaturizerSpec): string[] {
  const out: string[] = [];
  forEachTokenString(text, spec, (gram) => out.push(gram));
  return out;
}

export type TokenBlock = 'word' | 'char';

/** Every token of `text` as a string with its block, in the order the ids are counted. */
export function forEachTokenString(text: string, spec: FeaturizerSpec, emit: (gram: string, block: TokenBlock) => void): void {
  const chars = forEachWordTokenString(normalize(text, spec), spec, (gram) => emit(gram, 'word'));
  if (spec.options.char_ngrams) {
    const [minN, maxN] = spec.options.char_ngrams;
    for (const chunk of charNgramChunks(chars, spec.options.char_mode)) {
      for (let start = 0; start < chunk.length; start++) {
        for (let n = minN; n <= maxN && start + n <= chunk.length; n++) emit(chunk.slice(start, start + n), 'char');
      }
    }
  }
}

/** Emits the word-block tokens (word n-grams, then the extras); returns the text character n-grams are read from. */
function forEachWordTokenString(normalized: string, spec: FeaturizerSpec, emit: (gram: string) => void): string {
  if (!spec.options.word_ngrams) return charText(normalized, []);
  const [minN, maxN] = spec.options.word_ngrams;
  const { sequence, extras, dropped } = wordTokens(normalized, spec);
  forEachWordNgram(sequence, minN, maxN, emit);
  if (minN === 1) for (const extra of extras) emit(extra);
  return charText(normalized, dropped);
}

/** The id a token string gets in its block (the hot loops in ngram-counts.ts compute the same). */
export function tokenId(gram: string, block: TokenBlock): number {
  return block === 'word' ? wordTokenId(fnv1a(WORD_SEED, gram)) : charTokenId(fnv1a(CHAR_SEED, gram));
}

/**
 * Names the given ids of one text with the text's own n-grams (pseudo-tokens included): the
 * featurizer needs no table from ids back to strings. Ids no token of the text hashes to stay unnamed.
 */
export function tokenNames(text: string, spec: FeaturizerSpec, ids: Iterable<number>): Map<number, { ngram: string; block: TokenBlock }> {
  const wanted = new Set(ids);
  const names = new Map<number, { ngram: string; block: TokenBlock }>();
  const chars = forEachWordTokenString(normalize(text, spec), spec, (gram) => {
    const id = tokenId(gram, 'word');
    if (wanted.has(id) && !names.has(id)) names.set(id, { ngram: gram, block: 'word' });
  });
  if (spec.options.char_ngrams && [...wanted].some(isCharTokenId)) {
    // The character n-grams hashed as countCharNgrams does, a string made only for the ids wanted.
    const [minN, maxN] = spec.options.char_ngrams;
    for (const chunk of charNgramChunks(chars, spec.options.char_mode)) {
      for (let start = 0; start < chunk.length && names.size < wanted.size; start++) {
        let h = CHAR_SEED | 0;
        for (let end = start; end < Math.min(chunk.length, start + maxN); end++) {
          h = Math.imul(h ^ chunk.charCodeAt(end), FNV_PRIME);
          if (end + 1 - start < minN) continue;
          const id = charTokenId(h >>> 0);
          if (wanted.has(id) && !names.has(id)) names.set(id, { ngram: chunk.slice(start, end + 1), block: 'char' });
        }
      }
    }
  }
  return names;
}

/** v2 also writes contractions out, for words and characters alike. */
function normalize(text: string, spec: FeaturizerSpec): string {
  const normalized = normalizeText(text);
  return spec.version >= 2 ? expandContractions(normalized) : normalized;
}

/**
 * The word sequence n-grams are built from, and the unigrams that take no part in them: hashtags,
 * and from v2 the lexicon pseudo-tokens (which read the negation marks, so they need them on).
 */
function wordTokens(normalized: string, spec: FeaturizerSpec): { sequence: string[]; extras: string[]; dropped: string[] } {
  const words = tokenizeWords(normalized, spec.options);
  if (spec.version < 2) return { ...words, dropped: [] };
  const marked = spec.options.negation ? words : tokenizeWords(normalized, { negation: true });
  const negatedAt = lexiconTokens(marked, words.extras, spec.version);
  if (negatedAt.length === 0) return { ...words, dropped: [] };
  // v2: a negated lexicon word and its negation leave the words (and characters): their lexicon
  // tokens stand for them, as the words' weights would say what the un-negated word says.
  const dropped = negatedAt.map((at) => marked.sequence[at].replace(/_neg$/, ''));
  // v3: the rest of that negation's scope loses its marks too: the lexicon tokens say what the
  // negation did, and marked words learn "a negation was here", which tweets teach as negative.
  const sequence = spec.version >= 3 && spec.options.negation ? unmarkScopes(words.sequence, negatedAt) : words.sequence;
  return { ...words, sequence: sequence.filter((_, at) => !negatedAt.includes(at)), dropped };
}

/** Strips the negation marks of the words governed by the negations among `negatedAt`. */
function unmarkScopes(sequence: readonly string[], negatedAt: readonly number[]): string[] {
  const out = sequence.slice();
  for (const at of negatedAt) {
    if (!isNegation(out[at])) continue;
    for (let k = at + 1; k < out.length && out[k].endsWith(NEGATION_SUFFIX); k++) out[k] = out[k].slice(0, -NEGATION_SUFFIX.length);
  }
  return out;
}

/** The text character n-grams are read from: v2 leaves out the words wordTokens dropped. */
function charText(normalized: string, dropped: readonly string[]): string {
  if (dropped.length === 0) return normalized;
  return normalized
    .split(' ')
    .filter((chunk) => !dropped.includes(chunk.replace(NOT_WORD, '')))
    .join(' ');
}
const NOT_WORD = /[^\p{L}\p{M}\p{N}_\p{Extended_Pictographic}]/gu;

function forEachWordNgram(words: string[], minN: number, maxN: number, emit: (gram: string) => void): void {
  for (let start = 0; start < words.length; start++) {
    let gram = '';
    for (let n = 1; n <= maxN && start + n <= words.length; n++) {
      gram = n === 1 ? words[start] : gram + ' ' + words[start + n - 1];
      if (n >= minN) emit(gram);
    }
  }
}

function charNgramChunks(normalized: string, mode: FeaturizerOptions['char_mode']): string[] {
  if (normalized.length === 0) return [];
  if (mode === 'char') return [` ${normalized} `];
  return normalized.split(' ').map((word) => ` ${word} `);
}
