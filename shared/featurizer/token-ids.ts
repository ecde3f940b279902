/**
 * Token ids are 31-bit hashes with the top bit naming their block: 0 for word n-grams, 1 for
 * character n-grams. The model normalises each block separately (like scikit-learn's
 * FeatureUnion of a word and a char vectorizer), and the block must be readable from the id alone.
 */
const CHAR_BLOCK_BIT = 0x80000000;
export const wordTokenId = (hash: number): number => hash >>> 1;
export const charTokenId = (hash: number): number => ((hash >>> 1) | CHAR_BLOCK_BIT) >>> 0;
export const isCharTokenId = (id: number): boolean => id >= CHAR_BLOCK_BIT;
