/**
 * Featurizer v2's lexicon pseudo-tokens: what AFINN-165 and the emoji lexicon say about a text,
 * aware of negation and contrast, as extra word-block tokens ("~lex+3", "~not-", "~last+"…). They
 * go through the same hashed-id path as words, so the graph is unchanged; the model learns their
 * weights from the many words of the training data that hit the lexicon, and emoji (absent from
 * that data) share the same tokens, so a text of emoji alone is scored through them.
 *
 * Pseudo-tokens start with "~", which no word, emoticon or emoji token can contain.
 */
import { AFINN_165 } from './lexicons/afinn-165';
import { EMOJI_SENTIMENT } from './lexicons/emoji-sentiment';
import { isNegation, NEGATION_SUFFIX, type WordTokens } from './tokenize';

/** Word (or phrase, or emoji) -> integer valence in [-5, 5]. */
const SCORES = new Map<string, number>([...Object.entries(AFINN_165), ...Object.entries(EMOJI_SENTIMENT)]);
const PHRASE_LENGTHS = new Map<string, number[]>(); // first word -> lengths of the phrases it starts, longest first
for (const key of SCORES.keys()) {
  const words = key.split(' ');
  // Phrases that start with a negation ("not good", "can't stand") are left to the negation handling below.
  if (words.length < 2 || isNegation(words[0])) continue;
  PHRASE_LENGTHS.set(words[0], [...(PHRASE_LENGTHS.get(words[0]) ?? []), words.length].sort((a, b) => b - a));
}

/** Words after which what came before in the text is the less important part: "nice, but slow". */
const CONTRAST = new Set(['but', 'however', 'nevertheless', 'nonetheless', 'except']);
/** Words that open a clause that is the less important part: "although it was slow, I liked it". */
const CONCESSIVE = new Set(['although', 'though', 'despite', 'whereas']);
/** A negated opinion verb negates the rest of the sentence, across commas: "I don't think, given…, that it is good". */
const OPINION_VERBS = new Set(['think', 'believe', 'say', 'feel', 'expect', 'guess', 'suppose', 'agree']);

interface Hit {
  score: number;
  negated: boolean;
  /** Before a contrast word or inside a concessive clause. */
  discounted: boolean;
}

const sign = (score: number) => (score > 0 ? '+' : '-');

/**
 * Appends the pseudo-tokens of a tokenised text to `out`. `words` is tokenizeWords' output with
 * negation marking on.
 */
export function lexiconTokens(words: Readonly<WordTokens>, out: string[]): void {
  const { sequence, clauseEnds, sentenceEnds } = words;
  const hits: Hit[] = [];
  let clause = 0;
  let sentence = 0;
  let discountUntil = -1; // end of the current concessive clause
  let negatedUntil = -1; // end of a sentence negated as a whole: "I don't think, given…, that it is good"
  let negationScopeEnd = -1; // end of the open negation scope that has had no hit yet
  for (let i = 0; i < sequence.length; i++) {
    while (clause < clauseEnds.length && clauseEnds[clause] <= i) clause++;
    while (sentence < sentenceEnds.length && sentenceEnds[sentence] <= i) sentence++;
    const clauseEnd = clause < clauseEnds.length ? clauseEnds[clause] : sequence.length;
    if (negationScopeEnd >= 0 && i >= negationScopeEnd) {
      out.push('~not0'); // a negation of nothing the lexicon knows: "this is not a plane"
      negationScopeEnd = -1;
    }
    let word = sequence[i];
    const marked = word.endsWith(NEGATION_SUFFIX);
    if (marked) word = word.slice(0, -NEGATION_SUFFIX.length);

    if (CONTRAST.has(word)) {
      for (const hit of hits) hit.discounted = true;
      continue;
    }
    if (CONCESSIVE.has(word) || (word === 'used' && sequence[i + 1] === 'to')) {
      discountUntil = clauseEnd;
      continue;
    }
    if (!marked && isNegation(word)) {
      if (i + 1 < clauseEnd) {
        negationScopeEnd = clauseEnd;
        if (OPINION_VERBS.has(stripNegation(sequence[i + 1]))) {
          negatedUntil = sentence < sentenceEnds.length ? sentenceEnds[sentence] : sequence.length;
          negationScopeEnd = negatedUntil;
        }
      } else {
        // A bare negation denies what came before: "I thought it would be awful, but it wasn't", "Good? No."
        for (const hit of hits.splice(0)) hits.push({ ...hit, discounted: true }, { score: hit.score, negated: !hit.negated, discounted: false });
      }
      continue;
    }

    let score = SCORES.get(word);
    const phraseLengths = PHRASE_LENGTHS.get(word);
    if (phraseLengths) {
      for (const length of phraseLengths) {
        if (i + length > sequence.length) continue;
        let phrase = word;
        for (let k = 1; k < length; k++) phrase += ' ' + stripNegation(sequence[i + k]);
        const phraseScore = SCORES.get(phrase);
        if (phraseScore !== undefined) {
          score = phraseScore;
          i += length - 1;
          break;
        }
      }
    }
    if (score === undefined) continue;
    hits.push({ score, negated: marked || i < negatedUntil, discounted: i < discountUntil });
    negationScopeEnd = -1;
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
    if (negated) {
      out.push(`~not${s}`);
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
}

function stripNegation(word: string): string {
  return word.endsWith(NEGATION_SUFFIX) ? word.slice(0, -NEGATION_SUFFIX.length) : word;
}
