import { describe, expect, it } from 'vitest';
import { featurizerSpec, tokenStrings } from './index';
import { NEGATION_REACH } from './lexicon-features';

const v2 = featurizerSpec({ char_ngrams: null }, 2);
const pseudo = (text: string) => tokenStrings(text, v2).filter((token) => token.startsWith('~'));

describe('lexicon pseudo-tokens (featurizer v2)', () => {
  it('scores AFINN words by strength and polarity, with a sum and the last polarity', () => {
    expect(pseudo('I love it')).toEqual(['~lex+3', '~lex+', '~last+', '~sum+2']);
    expect(pseudo('what a terrible day')).toEqual(['~lex-3', '~lex-', '~last-', '~sum-2']);
  });
  it('marks negated hits apart, so "not bad" and "not good" generalise across words', () => {
    expect(pseudo('not bad at all')).toEqual(['~not-', '~lex+1', '~lex+', '~last+', '~sum+1']);
    expect(pseudo("it isn't good")).toEqual(['~not+', '~lex-1', '~lex-', '~last-', '~sum-1']);
  });
  it('flags a negation of nothing the lexicon knows', () => {
    expect(pseudo('this is not a plane')).toEqual(['~not0']);
    expect(pseudo('this is not a plane, sadly')).toEqual(['~not0', '~lex-2', '~lex-', '~last-', '~sum-1']);
  });
  it('discounts what comes before "but" and inside "although" / "used to" clauses', () => {
    expect(pseudo('some people think it is excellent, but I think it is awful')).toEqual(['~pre+', '~lex-3', '~lex-', '~last-', '~sum-2']);
    expect(pseudo('I used to hate it, now I love it')).toEqual(['~pre-', '~lex+3', '~lex+', '~last+', '~sum+2']);
    expect(pseudo('although it was bad, I loved it')).toEqual(['~pre-', '~lex+3', '~lex+', '~last+', '~sum+2']);
  });
  it('negates a whole sentence after a negated opinion verb', () => {
    expect(pseudo("I don't think, given what I know, that it is good.")).toEqual(['~not+', '~lex-1', '~lex-', '~last-', '~sum-1']);
    expect(pseudo("I don't think, given what I know, that it is a plane. Good")).toEqual(['~not0', '~lex+3', '~lex+', '~last+', '~sum+2']);
  });
  it('reads a bare negation as denying what came before', () => {
    expect(pseudo("I thought it would be awful, but it wasn't.")).toEqual(['~pre-', '~not-', '~lex+1', '~lex+', '~last+', '~sum+1']);
    expect(pseudo('I thought it would be great, but it was not')).toEqual(['~pre+', '~not+', '~lex-1', '~lex-', '~last-', '~sum-1']);
    expect(pseudo('Did I think it was good? No.')).toEqual(['~pre+', '~not+', '~lex-1', '~lex-', '~last-', '~sum-1']);
  });
  it('scores emoji with the same tokens as words (the training data has no emoji)', () => {
    expect(pseudo('😍')).toEqual(['~lex+3', '~lex+', '~last+', '~sum+2']);
    expect(pseudo('😡')).toEqual(['~lex-2', '~lex-', '~last-', '~sum-1']);
    expect(pseudo('❤️ 🙂')).toEqual(['~lex+3', '~lex+', '~lex+2', '~lex+', '~last+', '~sum+3']);
  });
  it('matches AFINN phrases before their words', () => {
    expect(pseudo('fed up with this')).toEqual(['~lex-3', '~lex-', '~last-', '~sum-2']);
  });
  it('adds lexicon tokens even when the model does not mark negation in its words', () => {
    const unmarked = featurizerSpec({ char_ngrams: null, negation: false }, 2);
    expect(tokenStrings('not bad, fine', unmarked)).toEqual(['fine', '~not-', '~lex+1', '~lex+', '~lex+2', '~lex+', '~last+', '~sum+2']);
  });
  it('keeps the score of a lexicon word of 5+ letters with two adjacent letters swapped', () => {
    expect(pseudo('the book was bornig')).toEqual(pseudo('the book was boring'));
    expect(pseudo('lots of it')).toEqual([]); // "lost" is too short to have typo variants
  });
  it('lets lexicon tokens stand for a negated lexicon word and its negation, in words and characters', () => {
    const spec = featurizerSpec({ word_ngrams: [1, 2], char_ngrams: [3, 3] }, 2);
    const grams = tokenStrings("This hotel isn't terrible.", spec);
    expect(grams.filter((gram) => !gram.startsWith('~') && gram.length > 3)).toEqual(['this', 'this hotel', 'hotel', 'hotel is']);
    expect(grams.filter((gram) => /not|ter|rib|ble/.test(gram))).toEqual(['~not-']);
    expect(tokenStrings('This hotel is terrible.', spec)).toEqual(expect.arrayContaining(['terrible', 'rib']));
    expect(tokenStrings('not dreadful', spec)).toEqual(['~not-', '~lex+1', '~lex+', '~last+', '~sum+1']);
    // A negation of nothing the lexicon knows stays a word.
    expect(tokenStrings('not a plane', spec)).toContain('not');
  });
  it('writes contractions out, so both spellings give the same tokens', () => {
    const full = featurizerSpec({}, 2);
    expect(tokenStrings("I don't love it, it's meh", full)).toEqual(tokenStrings('I do not love it, it is meh', full));
  });
  it('v3: a negation reaches a lexicon word only within NEGATION_REACH words; a farther word counts as un-negated', () => {
    const v3 = featurizerSpec({ char_ngrams: null }, 3);
    expect(NEGATION_REACH).toBe(3);
    expect(tokenStrings("It isn't a great hotel", v3).filter((t) => t.startsWith('~'))).toEqual(['~not+', '~lex-1', '~lex-', '~last-', '~sum-1']);
    // "bad" is 6 words after "never": a plain negative hit, its marked words stay, and the negation reached nothing.
    const far = tokenStrings('never thought this would be so bad', v3);
    expect(far).toEqual(expect.arrayContaining(['never', 'bad_neg', 'so_neg bad_neg']));
    expect(far.filter((t) => t.startsWith('~'))).toEqual(['~not0', '~lex-3', '~lex-', '~last-', '~sum-2']);
    expect(pseudo('never thought this would be so bad')).toEqual(['~not-', '~lex+1', '~lex+', '~last+', '~sum+1']); // v2
    // Sentence negation by an opinion verb reaches across commas, as in v2.
    expect(tokenStrings("I don't think, given what I know, that it is good.", v3).filter((t) => t.startsWith('~'))).toEqual(['~not+', '~lex-1', '~lex-', '~last-', '~sum-1']);
  });
  it('v3: a negated negative word is a moderately good word and nothing else', () => {
    const v3 = featurizerSpec({ char_ngrams: null }, 3);
    const lexical = (text: string) => tokenStrings(text, v3).filter((t) => t.startsWith('~'));
    expect(lexical('not bad at all')).toEqual(['~lex+2', '~lex+', '~last+', '~sum+1']);
    expect(lexical("I thought it would be awful, but it wasn't.")).toEqual(['~pre-', '~lex+2', '~lex+', '~last+', '~sum+1']);
    expect(lexical('not good')).toEqual(['~not+', '~lex-1', '~lex-', '~last-', '~sum-1']); // negated positives as in v2
  });
  it('v3: a negation that reached a lexicon word leaves no marks on the rest of its scope', () => {
    const v3 = featurizerSpec({ char_ngrams: null }, 3);
    expect(tokenStrings('I do not hate this movie', v3)).toEqual(['i', 'i do', 'do', 'do this', 'this', 'this movie', 'movie', '~lex+2', '~lex+', '~last+', '~sum+1']);
    expect(tokenStrings('I do not hate this movie', featurizerSpec({ char_ngrams: null }, 2))).toContain('this_neg movie_neg');
    expect(tokenStrings('this is not a plane', v3)).toContain('plane_neg'); // no lexicon word reached: marks stay
  });
  it('v1 emits no pseudo-tokens', () => {
    expect(tokenStrings('not bad 😍', featurizerSpec({ char_ngrams: null }, 1))).toEqual(['not', 'not bad_neg', 'bad_neg', 'bad_neg 😍', '😍']);
  });
});
