/**
 * Word-level tokenisation of normalised text (see normalize.ts): placeholders, emoticons, emoji,
 * hashtags, words and !/? runs become tokens; other punctuation only ends a negation scope.
 */
const TOKEN = new RegExp(
  [
    '(<url>|<user>|<num>)', // 1 placeholders from normalisation
    "([<>]?[:;=][\\-o*'^]?[)\\](\\[dp/\\\\}{|*]+(?!\\p{L})|[)\\](\\[/\\\\}{|]+[\\-o*'^]?[:;=])", // 2 emoticons: ":)", ":-(", ";p", "(:"
    '#([\\p{L}\\p{M}\\p{N}_]+)', // 3 hashtag
    "([\\p{L}\\p{M}\\p{N}_]+(?:'[\\p{L}\\p{M}]+)*)", // 4 word, with clitics ("don't", "it's")
    '(\\p{Extended_Pictographic})', // 5 emoji
    '([!?]+)', // 6 exclamation / question runs
    '([.,;:])', // 7 clause punctuation (ends negation scope, not a token)
  ].join('|'),
  'gu',
);

export const NEGATIONS = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'nowhere', 'cannot',
  'dont', 'cant', 'wont', 'didnt', 'doesnt', 'isnt', 'arent', 'wasnt', 'werent', 'shouldnt', 'wouldnt', 'couldnt', 'aint',
]);
export const NEGATION_SUFFIX = '_neg';

export interface TokenizeOptions {
  /** Append "_neg" to words that follow a negation until the next punctuation. */
  negation: boolean;
}

export interface WordTokens {
  /** Tokens in text order: the sequence word n-grams are built from. */
  sequence: string[];
  /** Extra unigrams that take no part in n-grams (hashtags with their "#"). */
  extras: string[];
  /** Positions in `sequence` where a clause ended (at . , ; : ! ? an emoticon or an emoji), ascending. */
  clauseEnds: number[];
  /** The clause ends that also end a sentence (. ; ! ?). */
  sentenceEnds: number[];
}

export function isNegation(word: string): boolean {
  return NEGATIONS.has(word) || word.endsWith("n't");
}

export function tokenizeWords(normalized: string, options: TokenizeOptions): WordTokens {
  const sequence: string[] = [];
  const extras: string[] = [];
  const clauseEnds: number[] = [];
  const sentenceEnds: number[] = [];
  let negated = false;
  // exec with lastIndex rather than matchAll: no regexp clone and iterator per text (TOKEN never matches empty).
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(normalized); match !== null; match = TOKEN.exec(normalized)) {
    const [, placeholder, emoticon, hashtag, word, emoji, shout, punctuation] = match;
    if (placeholder ?? emoticon ?? emoji ?? shout) {
      sequence.push((placeholder ?? emoticon ?? emoji ?? shout)!);
      if (!placeholder) {
        negated = false; // emoticons, emoji and !/? close a clause
        clauseEnds.push(sequence.length);
        if (shout) sentenceEnds.push(sequence.length);
      }
    } else if (hashtag !== undefined) {
      extras.push('#' + hashtag);
      sequence.push(negated ? hashtag + NEGATION_SUFFIX : hashtag);
    } else if (word !== undefined) {
      if (options.negation && isNegation(word)) {
        sequence.push(word);
        negated = true;
      } else {
        sequence.push(negated ? word + NEGATION_SUFFIX : word);
      }
    } else {
      negated = false; // clause punctuation
      clauseEnds.push(sequence.length);
      if (punctuation === '.' || punctuation === ';') sentenceEnds.push(sequence.length);
    }
  }
  return { sequence, extras, clauseEnds, sentenceEnds };
}
