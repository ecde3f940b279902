/**
 * Featurizer v2 and v3's lexicon pseudo-tokens: what AFINN-165 and the emoji lexicon say about a text,
 * aware of negation and contrast, as extra word-block tokens ("~lex+3", "~not-", "~last+"…). They
 * go through the same hashed-id path as words, so the graph is unchanged; the model learns their
 * weights from the many words of the training data that hit the lexicon, and emoji (absent from
 * that data) share the same tokens, so a text of emoji alone is scored through them.
 *
 * Pseudo-tokens start with "~", which no word, emoticon or emoji token can contain.
 */
import { AFINN_165 } from './lexicons/afinn-165';
import { EMOJI_SENTIMENT } from './lexicons/emoji-sentiment';
import { isNegation, NEGATION_SUFFIX, NEGATIONS, type WordTokens } from './tokenize';
import { WordIndex } from './word-index';

/** What a word means to the scan below; one map lookup per word, as most words are none of these. */
interface Entry {
  /** Integer valence in [-5, 5] (AFINN-165 word or emoji). */
  score?: number;
  role?: 'contrast' | 'concessive' | 'negation' | 'used';
  /** Lengths of the AFINN phrases the word starts ("fed up"), longest first. */
  phrases?: number[];
}

/** Words after which what came before in the text is the less important part: "nice, but slow". */
const CONTRAST = ['but', 'however', 'nevertheless', 'nonetheless', 'except'];
/** Words that open a clause that is the less important part: "although it was slow, I liked it". */
const CONCESSIVE = ['although', 'though', 'despite', 'whereas'];
/** A negated opinion verb negates the rest of the sentence, across commas: "I don't think, given…, that it is good". */
const OPINION_VERBS = new Set(['think', 'believe', 'say', 'feel', 'expect', 'guess', 'suppose', 'agree']);

/** Word (or emoji) -> its entry; phrases ("fed up") are looked up in PHRASES from their first word. */
const ENTRIES = new Map<string, Entry>();
const PHRASES = new Map<string, number>();
const AFINN_PHRASE_WORDS = new Set(Object.keys(AFINN_165).flatMap((key) => key.split(' ')));
const entry = (word: string): Entry => ENTRIES.get(word) ?? (ENTRIES.set(word, {}), ENTRIES.get(word)!);
for (const [key, score] of [...Object.entries(AFINN_165), ...Object.entries(EMOJI_SENTIMENT)]) {
  const words = key.split(' ');
  if (words.length === 1) entry(key).score = score;
  // Phrases that start with a negation ("not good", "can't stand") are left to the negation handling below.
  else if (!isNegation(words[0])) {
    PHRASES.set(key, score);
    const first = entry(words[0]);
    first.phrases = [...(first.phrases ?? []), words.length].sort((a, b) => b - a);
  }
}
// A typo (two adjacent letters swapped, as CheckList makes them) keeps a word's score: "bornig" is
// "boring". Only words of 5+ letters, and never where the variant is a lexicon word itself.
const TYPO_MIN_LENGTH = 5;
for (const [word, { score }] of [...ENTRIES]) {
  if (score === undefined || word.length < TYPO_MIN_LENGTH || !/^[a-z]+$/.test(word)) continue;
  for (let k = 0; k + 1 < word.length; k++) {
    if (word[k] === word[k + 1]) continue;
    const variant = word.slice(0, k) + word[k + 1] + word[k] + word.slice(k + 2);
    if (!ENTRIES.has(variant) && !AFINN_PHRASE_WORDS.has(variant)) ENTRIES.set(variant, { score });
  }
}
for (const word of CONTRAST) entry(word).role = 'contrast';
for (const word of CONCESSIVE) entry(word).role = 'concessive';
for (const word of NEGATIONS) entry(word).role = 'negation';
entry('used').role = 'used';
/** What the scan reads, once per word of every text. */
const INDEX = new WordIndex(ENTRIES);

interface Hit {
  score: number;
  negated: boolean;
  /** Before a contrast word or inside a concessive clause. */
  discounted: boolean;
}

const sign = (score: number) => (score > 0 ? '+' : '-');

/**
 * v3: a negation reaches a lexicon word at most this many words after it ("not bad", "not a bad",
 * "not that bad"). In the training tweets a negated negative word right after its negation is
 * mostly in positive or neutral tweets, one farther away mostly in negative ones ("no need to
 * waste time on…"): scope detection is unreliable there, so a farther word counts as un-negated.
 */
export const NEGATION_REACH = 3;

/**
 * Appends the pseudo-tokens of a tokenised text to `out`. `words` is tokenizeWords' output with
 * negation marking on. Returns the positions in `words.sequence` of negated lexicon words and of
 * the negations governing them: the featurizer drops those words, whose lexicon tokens say what the
 * negation did ("not dreadful" is "~not- ~lex+1 …", not the words of "dreadful" plus a "not").
 */
export function lexiconTokens(words: Readonly<WordTokens>, out: string[], version: number): number[] {
  const negatedAt: number[] = [];
  let negationAt = -1; // the negation whose scope is open
  const { sequence, clauseEnds, sentenceEnds } = words;
  const hits: Hit[] = [];
  let clause = 0;
  let sentence = 0;
  let discountUntil = -1; // end of the current concessive clause
  let negatedUntil = -1; // end of a sentence negated as a whole: "I don't think, given…, that it is good"
  let negationScopeEnd = -1; // end of the open negation scope that has had no hit yet
  for (let i = 0; i < sequence.length; i++) {
    while (clause < clauseEnds.length && clauseEnds[clause] <= i) clause++;
    if (negationScopeEnd >= 0 && i >= negationScopeEnd) {
      out.push('~not0'); // a negation of nothing the lexicon knows: "this is not a plane"
      negationScopeEnd = -1;
    }
    let word = sequence[i];
    let marked = false;
    let found = INDEX.get(word);
    if (found === undefined) {
      if (word.endsWith(NEGATION_SUFFIX)) {
        found = INDEX.get(word, word.length - NEGATION_SUFFIX.length);
        if (found === undefined) continue;
        marked = true;
        word = word.slice(0, -NEGATION_SUFFIX.length);
      } else if (word.endsWith("n't")) {
        found = { role: 'negation' };
      }
      if (found === undefined) continue;
    }
    const clauseEnd = clause < clauseEnds.length ? clauseEnds[clause] : sequence.length;
    const { role } = found;

    if (role === 'contrast') {
      for (const hit of hits) hit.discounted = true;
      continue;
    }
    if (role === 'concessive' || (role === 'used' && sequence[i + 1] === 'to')) {
      discountUntil = clauseEnd;
      continue;
    }
    if (role === 'negation' && !marked) {
      if (i + 1 < clauseEnd) {
        negationAt = i;
        negationScopeEnd = clauseEnd;
        if (OPINION_VERBS.has(stripNegation(sequence[i + 1]))) {
          while (sentence < sentenceEnds.length && sentenceEnds[sentence] <= i) sentence++;
          negatedUntil = sentence < sentenceEnds.length ? sentenceEnds[sentence] : sequence.length;
          negationScopeEnd = negatedUntil;
        }
      } else {
        // A bare negation denies what came before: "I thought it would be awful, but it wasn't", "Good? No."
        for (const hit of hits.splice(0)) hits.push({ ...hit, discounted: true }, { score: hit.score, negated: !hit.negated, discounted: false });
      }
      continue;
    }

    let score = found.score;
    const at = i;
    if (found.phrases) {
      for (const length of found.phrases) {
        if (i + length > sequence.length) continue;
        let phrase = word;
        for (let k = 1; k < length; k++) phrase += ' ' + stripNegation(sequence[i + k]);
        const phraseScore = PHRASES.get(phrase);
        if (phraseScore !== undefined) {
          score = phraseScore;
          i += length - 1;
          break;
        }
      }
    }
    if (score === undefined) continue;
    const negated = i < negatedUntil || (marked && (version < 3 || at - negationAt <= NEGATION_REACH));
    if (negated) {
      if (negationAt >= 0 && negatedAt.at(-1) !== negationAt && !negatedAt.includes(negationAt)) negatedAt.push(negationAt);
      for (let k = at; k <= i; k++) negatedAt.push(k);
    }
    hits.push({ score, negated, discounted: i < discountUntil });
    if (negated || version < 3) negationScopeEnd = -1; // v3: a negation that reached no hit is still "~not0"
  }
  if (negationScopeEnd >= 0) out.push('~not0');

  let sum = 0;
  let last = 0;
  for (const { score, negated, discounted } of hits) {
    const s = sign(score);
    if (discounted) {
      out.push(negated ? `~prenot${s}` : `~pre${s}`);
      continue;
    }
    if (negated && score < 0 && version >= 3) {
      // v3: a negated negative word is a moderately good word and nothing else. A token of its own
      // ("~not-") learns what tweets teach about negation, which is "negative", while "not bad",
      // "don't worry", "never fails" mean the opposite: the lexicon knows better than that data.
      out.push('~lex+2', '~lex+');
    } else if (negated) {
      // Also a mild hit of the other polarity, so "not bad" shares weights with mildly good words.
      const opposite = sign(-score);
      out.push(`~not${s}`, `~lex${opposite}1`, `~lex${opposite}`);
    } else {
      out.push(`~lex${s}${Math.min(Math.abs(score), 4)}`, `~lex${s}`);
    }
    // A negated word counts half, the other way: "not bad" is mildly good, "not great" mildly bad.
    const effective = negated ? -score / 2 : score;
    sum += effective;
    last = effective;
  }
  if (last !== 0) out.push(`~last${sign(last)}`);
  if (sum !== 0) {
    const bucket = Math.sign(sum) * Math.min(3, Math.round(Math.abs(sum) / 2)); // symmetric: -1.5 -> -2 as 1.5 -> 2
    out.push(bucket === 0 ? '~sum0' : `~sum${sign(bucket)}${Math.abs(bucket)}`);
  }
  return negatedAt;
}

function stripNegation(word: string): string {
  return word.endsWith(NEGATION_SUFFIX) ? word.slice(0, -NEGATION_SUFFIX.length) : word;
}
