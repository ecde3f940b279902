/**
 * Tweet normalisation shared by training and serving. Deterministic and locale-independent:
 * the same string gives the same output on Node and on workerd.
 */
const ESCAPED_UNICODE = /\\u([0-9a-fA-F]{4})/g; // TweetEval ships literal "\u2019"-style escapes
const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };
const HTML_ENTITY = /&(?:amp|lt|gt|quot|#39|apos);/g;
const URL = /(?:https?:\/\/|www\.)\S+/g;
const MENTION = /@\w+/g;
const NUMBER = /\d+(?:[.,:]\d+)*/g;
const ELONGATION = /(.)\1{2,}/gsu; // "soooo" -> "soo", "!!!!" -> "!!"
const WHITESPACE = /\s+/g;

export const URL_TOKEN = '<url>';
export const USER_TOKEN = '<user>';
export const NUMBER_TOKEN = '<num>';

/**
 * Each step runs only when the text holds what it replaces (a replace that cannot match returns
 * its input unchanged, so skipping it changes nothing): most tweets need only a few of them.
 */
export function normalizeText(text: string): string {
  let s = text;
  if (s.includes('\\u')) s = s.replace(ESCAPED_UNICODE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  if (s.includes('&')) s = s.replace(HTML_ENTITY, (entity) => HTML_ENTITIES[entity] ?? entity);
  s = s
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase();
  if (s.includes('<')) s = s.replace(/<\/3/g, ' \u{1f494} ').replace(/<3/g, ' \u2764 '); // broken heart first, before numbers are replaced
  if (s.includes('http') || s.includes('www.')) s = s.replace(URL, ` ${URL_TOKEN} `);
  if (s.includes('@')) s = s.replace(MENTION, ` ${USER_TOKEN} `);
  s = s.replace(NUMBER, NUMBER_TOKEN);
  if (mayRepeatThrice(s)) s = s.replace(ELONGATION, '$1$1');
  return s.replace(WHITESPACE, ' ').trim();
}

/**
 * False only when no character occurs three times in a row: no three equal code units, and no
 * surrogate pair repeated three times (an astral character is two code units).
 */
function mayRepeatThrice(s: string): boolean {
  for (let i = 0; i + 2 < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === s.charCodeAt(i + 1) && c === s.charCodeAt(i + 2)) return true;
    if (c === s.charCodeAt(i + 2) && c === s.charCodeAt(i + 4) && s.charCodeAt(i + 1) === s.charCodeAt(i + 3) && s.charCodeAt(i + 1) === s.charCodeAt(i + 5)) return true;
  }
  return false;
}

const CONTRACTION = /\b(?:(won|can|shan|ain)'t|(\p{L}+)n't|(it|that|what|he|she|there|here|who|where|let)'s|(\p{L}+)'(re|ve|ll|m|d))(?!\p{L})/gu;
const IRREGULAR_NEGATIONS: Record<string, string> = { won: 'will not', can: 'can not', shan: 'shall not', ain: 'is not' };
const CLITICS: Record<string, string> = { re: 'are', ve: 'have', ll: 'will', m: 'am', d: 'would' };

/**
 * Featurizer v2 writes contractions out ("don't" -> "do not", "it's" -> "it is", "I'm" -> "i am"),
 * so both spellings give the same tokens. Runs on normalizeText's output (lowercase, straight quotes).
 * A possessive "'s" ("john's") is left alone: only pronouns take "is".
 */
export function expandContractions(normalized: string): string {
  if (!normalized.includes("'")) return normalized;
  return normalized.replace(CONTRACTION, (match, irregular?: string, stem?: string, pronoun?: string, word?: string, clitic?: string) => {
    if (irregular) return IRREGULAR_NEGATIONS[irregular];
    if (stem) return `${stem} not`;
    if (pronoun) return pronoun === 'let' ? 'let us' : `${pronoun} is`;
    return `${word} ${CLITICS[clitic!]}`;
  });
}
