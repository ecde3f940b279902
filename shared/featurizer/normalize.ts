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

export function normalizeText(text: string): string {
  return text
    .replace(ESCAPED_UNICODE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(HTML_ENTITY, (entity) => HTML_ENTITIES[entity] ?? entity)
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase()
    .replace(/<\/3/g, ' \u{1f494} ') // broken heart, before numbers are replaced
    .replace(/<3/g, ' \u2764 ') // heart
    .replace(URL, ` ${URL_TOKEN} `)
    .replace(MENTION, ` ${USER_TOKEN} `)
    .replace(NUMBER, NUMBER_TOKEN)
    .replace(ELONGATION, '$1$1')
    .replace(WHITESPACE, ' ')
    .trim();
}
