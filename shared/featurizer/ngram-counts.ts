/**
 * The featurizer's hot loops: word and character n-grams hashed as they are read and counted
 * straight into a TokenCounter, without building n-gram strings or calling back per n-gram.
 * Each adds exactly the ids of fnv1a(seed, gram) for the grams tokenStrings() lists, in the same
 * order (index.test.ts and the validation digest hold them to it).
 */
import { FNV_PRIME } from './hash';
import type { TokenCounter } from './token-counter';
import { charTokenId, wordTokenId } from './token-ids';

const SPACE = 0x20;

/** Word n-grams are the words joined by single spaces: the hash runs on across the words. */
export function countWordNgrams(counter: TokenCounter, seed: number, words: readonly string[], minN: number, maxN: number): void {
  for (let start = 0; start < words.length; start++) {
    let h = seed | 0;
    for (let n = 1; n <= maxN && start + n <= words.length; n++) {
      if (n > 1) h = Math.imul(h ^ SPACE, FNV_PRIME);
      const word = words[start + n - 1];
      for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
      if (n >= minN) counter.add(wordTokenId(h >>> 0));
    }
  }
}

/** Unigrams that take no part in n-grams (hashtags with their "#"). */
export function countWords(counter: TokenCounter, seed: number, words: readonly string[]): void {
  for (const word of words) {
    let h = seed | 0;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
    counter.add(wordTokenId(h >>> 0));
  }
}

/** The padded text's code units, reused across calls (the featurizer is synchronous). */
let padded = new Uint16Array(1024);

/**
 * Character n-grams of the space-padded chunks of `text`: " text " for "char", " word " for each
 * word of text.split(' ') for "char_wb". The text is copied once, between two spaces, into a
 * reused buffer; then every chunk is a slice of it: word [a, b) of the text is " word " at
 * [a, b + 2) of the buffer, the spaces around it included.
 */
export function countCharNgrams(counter: TokenCounter, seed: number, text: string, minN: number, maxN: number, mode: 'char' | 'char_wb'): void {
  const length = text.length;
  if (length === 0) return;
  if (padded.length < length + 2) padded = new Uint16Array(2 ** Math.ceil(Math.log2(length + 2)));
  const units = padded;
  units[0] = SPACE;
  for (let i = 0; i < length; i++) units[i + 1] = text.charCodeAt(i);
  units[length + 1] = SPACE;
  for (let wordStart = 0; wordStart <= length; ) {
    let wordEnd = mode === 'char' ? length : text.indexOf(' ', wordStart);
    if (wordEnd < 0) wordEnd = length;
    const chunkEnd = wordEnd + 2;
    for (let start = wordStart; start < chunkEnd; start++) {
      const end = Math.min(chunkEnd, start + maxN);
      let h = seed | 0;
      let i = start;
      for (const shortest = Math.min(end, start + minN - 1); i < shortest; i++) h = Math.imul(h ^ units[i], FNV_PRIME);
      for (; i < end; i++) {
        h = Math.imul(h ^ units[i], FNV_PRIME);
        counter.add(charTokenId(h >>> 0));
      }
    }
    wordStart = wordEnd + 1;
  }
}
