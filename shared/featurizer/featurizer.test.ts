import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLabelledCsv } from '../../trainer/data/csv';
import { featurizerDigest } from './digest';
import { fnv1a, namespaceSeed } from './hash';
import { Featurizer, FEATURIZER_VERSIONS, featurizerSpec, isCharTokenId, parseFeaturizerSpec, tokenStrings } from './index';
import { expandContractions, normalizeText } from './normalize';
import { tokenizeWords } from './tokenize';
import golden from './validation-digest.json';

const spec = featurizerSpec();
const words = (text: string, negation = true) => tokenizeWords(normalizeText(text), { negation }).sequence;

describe('normalizeText', () => {
  it('replaces mentions, URLs and numbers with placeholders', () => {
    expect(normalizeText('@bob see https://t.co/abc and www.x.com at 10:30 or 3.5')).toBe(
      '<user> see <url> and <url> at <num> or <num>',
    );
  });
  it('squashes elongations to two characters', () => {
    expect(normalizeText('Sooooo goooood!!!!!')).toBe('soo good!!');
  });
  it('decodes TweetEval escapes, HTML entities and typographic quotes', () => {
    expect(normalizeText('it\\u2019s &amp; &lt;3 \u201cok\u201d')).toBe('it\'s & \u2764 "ok"');
  });
  it('collapses whitespace and trims', () => {
    expect(normalizeText('  a \t\n b  ')).toBe('a b');
  });
});

describe('expandContractions (featurizer v2)', () => {
  it('writes negations, pronoun + is and clitics out, and leaves possessives alone', () => {
    expect(expandContractions("i don't know, it's john's, i'm sure we'll see. won't, can't, ain't, let's")).toBe(
      'i do not know, it is john\'s, i am sure we will see. will not, can not, is not, let us',
    );
  });
});

describe('tokenizeWords', () => {
  it('keeps emoticons and emoji as tokens', () => {
    expect(words('great :) :-( ;p 😀🔥')).toEqual(['great', ':)', ':-(', ';p', '😀', '🔥']);
  });
  it('does not cut words that start like emoticons', () => {
    expect(words('note:please xpress')).toEqual(['note', 'please', 'xpress']);
  });
  it('keeps hashtags as words and as #tag extras', () => {
    const tokens = tokenizeWords(normalizeText('so #blessed today'), { negation: false });
    expect(tokens.sequence).toEqual(['so', 'blessed', 'today']);
    expect(tokens.extras).toEqual(['#blessed']);
  });
  it('marks negated words until punctuation when asked', () => {
    expect(words("I don't like it. Fine")).toEqual(['i', "don't", 'like_neg', 'it_neg', 'fine']);
    expect(words('not good', false)).toEqual(['not', 'good']);
  });
  it('keeps words of any script', () => {
    expect(words('日本語 テスト mixed русский عربى')).toEqual(['日本語', 'テスト', 'mixed', 'русский', 'عربى']);
  });
});

describe('Featurizer', () => {
  const featurizer = new Featurizer(spec);

  it('gives no tokens for empty or blank text, and a padded row in a batch', () => {
    expect(featurizer.tokens('').ids.length).toBe(0);
    expect(featurizer.tokens('   \n').ids.length).toBe(0);
    const batch = featurizer.batch(['']);
    expect([batch.batch, batch.width]).toEqual([1, 1]);
    expect(batch.ids[0]).toBe(-1n);
    expect(batch.counts[0]).toBe(0);
  });

  it('featurizes emoji-only text', () => {
    const { ids } = featurizer.tokens('😀');
    expect(ids.length).toBeGreaterThan(0);
    expect(tokenStrings('😀', spec)).toContain('😀');
  });

  it('handles a 10,000-character text', () => {
    const text = 'the quick brown fox jumps over the lazy dog '.repeat(230).slice(0, 10_000);
    const { ids, counts } = featurizer.tokens(text);
    expect(ids.length).toBeGreaterThan(100);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(tokenStrings(text, spec).length);
  });

  it('handles invalid surrogates deterministically', () => {
    for (const text of ['\ud800abc', 'abc\udc00', '\udc00\ud800', 'a\ud83d']) {
      const first = featurizer.tokens(text);
      expect(featurizer.tokens(text)).toEqual(first);
      expect(first.ids.length).toBeGreaterThan(0);
    }
  });

  it('counts repeated tokens once with their count', () => {
    const { ids, counts } = featurizer.tokens('ha ha ha');
    expect(new Set(ids).size).toBe(ids.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(tokenStrings('ha ha ha', spec).length);
  });

  it('ids are the hashes of the token strings, word and char n-grams in separate blocks', () => {
    const text = 'Not bad at all :)';
    const wordOnly = featurizerSpec({ char_ngrams: null });
    const { ids } = featurizer.tokens(text);
    const wordIds = new Featurizer(wordOnly).tokens(text).ids;
    expect([...wordIds].every((id) => !isCharTokenId(id))).toBe(true);
    expect(ids.filter((id) => isCharTokenId(id)).length).toBe(ids.length - wordIds.length);
    const expected = new Set(tokenStrings(text, wordOnly).map((gram) => fnv1a(namespaceSeed('w'), gram) >>> 1));
    expect(new Set(wordIds)).toEqual(expected);
  });

  it('pads batch rows to the widest row with id -1 and count 0', () => {
    const batch = featurizer.batch(['a much longer text than the other one', 'hi']);
    const shortRow = featurizer.tokens('hi').ids.length;
    expect(batch.ids[batch.width + shortRow]).toBe(-1n);
    expect(batch.counts[batch.width + shortRow]).toBe(0);
    expect(batch.ids[batch.width]).toBe(BigInt(featurizer.tokens('hi').ids[0]));
  });

  it('implements every version a published model may name', () => {
    for (const version of FEATURIZER_VERSIONS) expect(parseFeaturizerSpec({ ...spec, version }).version).toBe(version);
  });

  it('refuses a featurizer version it does not implement', () => {
    expect(() => parseFeaturizerSpec({ ...spec, version: 99 })).toThrow(/unsupported featurizer/);
    expect(() => parseFeaturizerSpec({ ...spec, name: 'other' })).toThrow(/unsupported featurizer/);
  });
});

describe('counting n-grams in place', () => {
  const texts = ['Not bad at all :) #win', ' h\u00e9llo 😀 wORLD ', 'soooo goooood!!!! 😀😀😀😀', 'a\ud83d b \udc00 c', 'x', "don't like it, fine"];
  const unique = (ids: number[]) => [...new Set(ids)];
  const expectedIds = (text: string, s: ReturnType<typeof featurizerSpec>) => {
    const wordOnly = { ...s, options: { ...s.options, char_ngrams: null } };
    const words = tokenStrings(text, wordOnly).map((gram) => fnv1a(namespaceSeed('w'), gram) >>> 1);
    const chars = tokenStrings(text, s).slice(words.length).map((gram) => ((fnv1a(namespaceSeed('c'), gram) >>> 1) | 0x80000000) >>> 0);
    return unique([...words, ...chars]);
  };

  for (const char_mode of ['char_wb', 'char'] as const) {
    it(`gives the hashes of tokenStrings, in first-occurrence order (${char_mode})`, () => {
      const s = featurizerSpec({ char_mode, word_ngrams: [1, 3], char_ngrams: [1, 5] });
      const f = new Featurizer(s);
      for (const text of texts) expect([...f.tokens(text).ids]).toEqual(expectedIds(text, s));
    });
  }
});

describe('normalizeText skips only steps that cannot match', () => {
  it('still squashes repeated emoji (two code units each) and leaves alternations alone', () => {
    expect(normalizeText('😀😀😀😀 ababab xx')).toBe('😀😀 ababab xx');
  });
});

describe('the validation split', () => {
  const rows = parseLabelledCsv(readFileSync('datasets/tweeteval/val.csv', 'utf8'));
  for (const version of FEATURIZER_VERSIONS) {
    it(`featurizes, with the default options and featurizer v${version}, to the committed digest (the workerd test checks the same values)`, () => {
      expect(featurizerDigest(rows.map((row) => row.text), featurizerSpec({}, version))).toEqual(golden[`v${version}`]);
    });
  }
});
