/**
 * "Can this model judge this text?": the model is a bag of English n-grams, so its answer means
 * little for another language or for text it has almost no features for. The cheap signal comes
 * first: a text most of whose word n-grams the model knows is English enough (99.5% of TweetEval
 * tweets, none of the mixed-language sample), and skips the language detector. Only the rest pays
 * for tinyld (light build, ISO 639-1 codes), and is supported only when tinyld says English and
 * the model knows most of its n-grams. Thresholds were chosen on the tune half of
 * language-sample.csv and TweetEval train rows (worker/support/README.md has the numbers).
 */
import { detect } from 'tinyld/light';
import type { KnownShares } from '../../shared/explain';

/** At or above this share of known word n-grams, a text is taken as English without detection. */
export const MIN_KNOWN_WORD_SHARE = 0.5;
/** Below the word threshold, an English text still needs this share of all its n-grams known. */
export const MIN_KNOWN_SHARE = 0.7;
/** tinyld's answer when it cannot tell. */
const UNDETERMINED = 'und';

export interface TextSupport {
  /** ISO 639-1 code, or `und` when it cannot be told. */
  language: string;
  supported: boolean;
}

/** `known` null (a model without readable weights): the detector alone decides. */
export function textSupport(text: string, known: KnownShares | null): TextSupport {
  if (known && known.words >= MIN_KNOWN_WORD_SHARE) return { language: 'en', supported: true };
  const language = detect(text) || UNDETERMINED;
  return { language, supported: language === 'en' && (known === null || known.all >= MIN_KNOWN_SHARE) };
}
