/**
 * A fingerprint of everything the featurizer emits for a list of texts. Tests compute it on
 * Node and inside workerd and compare both with the committed value: same texts, same tokens.
 */
import { Featurizer, type FeaturizerSpec } from './index';

export function featurizerDigest(texts: readonly string[], spec: FeaturizerSpec): { tokens: number; digest: string } {
  const featurizer = new Featurizer(spec);
  let h = 0x811c9dc5;
  let tokens = 0;
  const mix = (value: number) => {
    h = Math.imul(h ^ value, 0x01000193);
  };
  for (const text of texts) {
    const { ids, counts } = featurizer.tokens(text);
    tokens += ids.length;
    mix(ids.length);
    for (let i = 0; i < ids.length; i++) {
      mix(ids[i]);
      mix(counts[i]);
    }
  }
  return { tokens, digest: (h >>> 0).toString(16).padStart(8, '0') };
}
