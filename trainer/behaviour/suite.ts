/**
 * The behavioural suite (CheckList-style, templates written for this project): labelled tests
 * (minimum functionality: what each case must be labelled) and invariance tests (pairs of texts
 * that must get the same label). Generation is deterministic: same code, same cases.
 *
 * Used to choose features; never trained on.
 */
import type { Label } from '../../shared/labels';
import * as words from './vocabulary';

/** A labelled case passes when the model's label is one of `expect`. */
export interface LabelledCase {
  text: string;
  expect: readonly Label[];
}

export interface BehaviourTest {
  name: string;
  capability: string;
  /** "label": each case has expected labels; "invariance": each pair must get one label. */
  kind: 'label' | 'invariance';
  cases: LabelledCase[];
  pairs: [string, string][];
}

const NEG: readonly Label[] = ['negative'];
const POS: readonly Label[] = ['positive'];
const NEU: readonly Label[] = ['neutral'];
const NOT_NEG: readonly Label[] = ['neutral', 'positive'];
const NOT_POS: readonly Label[] = ['neutral', 'negative'];

const MAX_CASES = 200;

/** A small seeded PRNG (mulberry32), so sampling is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Slots = Record<string, readonly string[]>;

/**
 * Fills `{slot}` placeholders from `slots` with MAX_CASES random combinations (fewer if there are
 * fewer), deduplicated, in a stable order.
 */
function fill(templates: readonly string[], slots: Slots, seed: number, limit = MAX_CASES): string[] {
  const next = random(seed);
  const out = new Set<string>();
  for (let attempt = 0; attempt < limit * 5 && out.size < limit; attempt++) {
    const template = templates[Math.floor(next() * templates.length)];
    out.add(template.replace(/\{(\w+)\}/g, (_, slot: string) => {
      const values = slots[slot.replace(/\d$/, '')];
      if (!values) throw new Error(`template slot {${slot}} has no word list`);
      return values[Math.floor(next() * values.length)];
    }));
  }
  return [...out];
}

const S: Slots = {
  noun: words.NOUNS,
  pos: words.POSITIVE_ADJECTIVES,
  neg: words.NEGATIVE_ADJECTIVES,
  neu: words.NEUTRAL_ADJECTIVES,
  posverb: words.POSITIVE_VERBS,
  negverb: words.NEGATIVE_VERBS,
  neuverb: words.NEUTRAL_VERBS,
  intens: words.INTENSIFIERS,
  reducer: words.REDUCERS,
  posemoji: words.POSITIVE_EMOJI,
  negemoji: words.NEGATIVE_EMOJI,
  name: words.FIRST_NAMES,
  place: words.LOCATIONS,
};

function labelled(name: string, capability: string, expect: readonly Label[], templates: readonly string[], seed: number): BehaviourTest {
  return { name, capability, kind: 'label', cases: fill(templates, S, seed).map((text) => ({ text, expect })), pairs: [] };
}

function emojiOnly(list: readonly string[], seed: number): string[] {
  const next = random(seed);
  const out = new Set<string>();
  for (const emoji of list) {
    out.add(emoji);
    out.add(emoji.repeat(3));
  }
  for (let i = 0; i < 40; i++) out.add(list[Math.floor(next() * list.length)] + list[Math.floor(next() * list.length)]);
  return [...out];
}

/** Neutral base sentences for invariance pairs: each has one slot of each kind it perturbs. */
const INVARIANCE_BASES = [
  '{name} is flying to {place} tomorrow.',
  '{name} just moved to {place} for work.',
  'The {noun} in {place} was {pos}, thanks {name}!',
  'The {noun} in {place} was {neg}, sorry {name}.',
  '{name} said the {noun} was {pos}.',
  '{name} thinks the {noun} is {neg}.',
  'Going to {place} with {name} this weekend',
  'I watched the {noun} with {name} in {place} yesterday.',
  'The {noun} from {place} is {pos}',
  'Honestly the {noun} was {neg} in {place}',
];

function swapPairs(slot: 'name' | 'place', seed: number): [string, string][] {
  const next = random(seed);
  const pairs: [string, string][] = [];
  for (const text of fill(INVARIANCE_BASES.filter((base) => base.includes(`{${slot}}`)), { ...S, [slot]: [`{${slot}}`] }, seed)) {
    const list = S[slot];
    const a = list[Math.floor(next() * list.length)];
    let b = list[Math.floor(next() * list.length)];
    if (b === a) b = list[(list.indexOf(a) + 1) % list.length];
    pairs.push([text.replaceAll(`{${slot}}`, a), text.replaceAll(`{${slot}}`, b)]);
  }
  return pairs;
}

/** Applies `perturb` to filled sentences; pairs where nothing changed are dropped. */
function perturbPairs(templates: readonly string[], seed: number, perturb: (text: string, next: () => number) => string): [string, string][] {
  const next = random(seed + 1);
  return fill(templates, S, seed)
    .map((text): [string, string] => [text, perturb(text, next)])
    .filter(([a, b]) => a !== b);
}

const SENTENCES = [
  'The {noun} was {pos}.',
  'The {noun} was {neg}.',
  'I {posverb} the {noun}.',
  'I {negverb} the {noun}.',
  'We had a {neu} {noun} at 10 today.',
  "It's a {neu} {noun}, I guess.",
  'I do not {posverb} this {noun}.',
  "It isn't a {neg} {noun}.",
  'The {noun} with {name} was {pos}',
  'That {noun} is {intens} {neg}',
];

function typo(text: string, next: () => number): string {
  const positions = [...text.matchAll(/[a-z]{4,}/g)];
  if (positions.length === 0) return text;
  const match = positions[Math.floor(next() * positions.length)];
  const at = match.index + 1 + Math.floor(next() * (match[0].length - 2));
  return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2); // swap two adjacent letters
}

const CONTRACTIONS: [RegExp, string][] = [
  [/\bdo not\b/g, "don't"], [/\bis not\b/g, "isn't"], [/\bit is\b/gi, "it's"], [/\bI am\b/g, "I'm"], [/\bwas not\b/g, "wasn't"],
  [/\bdon't\b/g, 'do not'], [/\bisn't\b/g, 'is not'], [/\bit's\b/gi, 'it is'], [/\bI'm\b/g, 'I am'], [/\bwasn't\b/g, 'was not'],
];

function toggleContractions(text: string): string {
  for (const [pattern, replacement] of CONTRACTIONS) {
    const changed = text.replace(pattern, replacement);
    if (changed !== text) return changed;
  }
  return text;
}

export function behaviourSuite(): BehaviourTest[] {
  const invariance = (name: string, pairs: [string, string][]): BehaviourTest => ({ name, capability: 'invariance', kind: 'invariance', cases: [], pairs });
  return [
    labelled('positive words', 'vocabulary', POS, ['The {noun} was {pos}.', 'What a {pos} {noun}!', 'I {posverb} this {noun}.', 'Such a {pos} {noun}', 'This {noun} is {pos}'], 1),
    labelled('negative words', 'vocabulary', NEG, ['The {noun} was {neg}.', 'What a {neg} {noun}!', 'I {negverb} this {noun}.', 'Such a {neg} {noun}', 'This {noun} is {neg}'], 2),
    labelled('neutral words', 'vocabulary', NEU, ['The {noun} is {neu}.', 'This is a {neu} {noun}.', 'I will {neuverb} the {noun} tomorrow.', 'We {neuverb} a {neu} {noun}'], 3),
    labelled('negated positive', 'negation', NEG, ['The {noun} was not {pos}.', "This {noun} isn't {pos}.", "I don't {posverb} this {noun}.", 'I did not {posverb} the {noun}.', 'Not a {pos} {noun}.', "It's not {pos} at all", "I can't say I {posverb} the {noun}."], 4),
    labelled('negated negative', 'negation', NOT_NEG, ['The {noun} was not {neg}.', "This {noun} isn't {neg}.", "I don't {negverb} this {noun}.", 'I did not {negverb} the {noun}.', 'Not {neg} at all', "It's not a {neg} {noun}.", "I can't say I {negverb} the {noun}."], 5),
    labelled('negated neutral', 'negation', NEU, ['The {noun} is not {neu}.', "This isn't a {neu} {noun}.", "I didn't {neuverb} the {noun}.", 'We did not {neuverb} a {neu} {noun}.'], 6),
    labelled('negated positive, neutral words between', 'negation', NEG, ["I don't think, given what I know about the {noun}, that it is {pos}.", 'I would never say that this {noun}, or any other, was {pos}.', "I don't think the {noun} I saw last week was {pos}."], 7),
    labelled('negated negative, neutral words between', 'negation', NOT_NEG, ["I don't think, given what I know about the {noun}, that it is {neg}.", 'I would never say that this {noun}, or any other, was {neg}.', "I don't think the {noun} I saw last week was {neg}."], 8),
    labelled('positive, but it was not', 'negation at the end', NEG, ["I thought the {noun} would be {pos}, but it wasn't.", 'I expected a {pos} {noun}, but it was not.', "Everyone said the {noun} was {pos}, but it isn't."], 9),
    labelled('negative, but it was not', 'negation at the end', NOT_NEG, ["I thought the {noun} would be {neg}, but it wasn't.", 'I expected a {neg} {noun}, but it was not.', "Everyone said the {noun} was {neg}, but it isn't."], 10),
    labelled('others positive, I negative', 'contrast', NEG, ['Some people think the {noun} is {pos}, but I think it is {neg}.', 'Everyone says the {noun} is {pos}, but to me it was {neg}.', 'I had heard the {noun} was {pos}, but it was {neg}.'], 11),
    labelled('others negative, I positive', 'contrast', POS, ['Some people think the {noun} is {neg}, but I think it is {pos}.', 'Everyone says the {noun} is {neg}, but to me it was {pos}.', 'I had heard the {noun} was {neg}, but it was {pos}.'], 12),
    labelled('although negative, positive', 'contrast', POS, ['Although the {noun} was {neg}, I {posverb} it.', 'The {noun} was {pos}, although the seats were {neg}.'], 13),
    labelled('used to negative, now positive', 'temporal', POS, ['I used to {negverb} this {noun}, now I {posverb} it.', 'I used to think the {noun} was {neg}, now I think it is {pos}.', 'In the past the {noun} was {neg}, but now it is {pos}.'], 14),
    labelled('used to positive, now negative', 'temporal', NEG, ['I used to {posverb} this {noun}, now I {negverb} it.', 'I used to think the {noun} was {pos}, now I think it is {neg}.', 'In the past the {noun} was {pos}, but now it is {neg}.'], 15),
    labelled('intensified positive', 'intensifiers', POS, ['The {noun} was {intens} {pos}.', 'This {noun} is {intens} {pos}!'], 16),
    labelled('intensified negative', 'intensifiers', NEG, ['The {noun} was {intens} {neg}.', 'This {noun} is {intens} {neg}!'], 17),
    labelled('reduced negative', 'reducers', NOT_POS, ['The {noun} was {reducer} {neg}.', 'This {noun} is {reducer} {neg}.'], 18),
    labelled('question, answer yes', 'questions', POS, ['Did I think the {noun} was {pos}? Yes.', 'Was the {noun} {pos}? Yes, it was.'], 19),
    labelled('question, answer no', 'questions', NEG, ['Did I think the {noun} was {pos}? No.', 'Was the {noun} {pos}? No, it was not.'], 20),
    { name: 'positive emoji only', capability: 'emoji', kind: 'label', cases: emojiOnly(words.POSITIVE_EMOJI, 21).map((text) => ({ text, expect: POS })), pairs: [] },
    { name: 'negative emoji only', capability: 'emoji', kind: 'label', cases: emojiOnly(words.NEGATIVE_EMOJI, 22).map((text) => ({ text, expect: NEG })), pairs: [] },
    labelled('neutral text + positive emoji', 'emoji', POS, ['Just landed in {place} {posemoji}', 'Finally got my {noun} {posemoji}{posemoji}', 'The {noun} today {posemoji}', '{name} and the {noun} {posemoji}'], 23),
    labelled('neutral text + negative emoji', 'emoji', NEG, ['Just landed in {place} {negemoji}', 'Finally got my {noun} {negemoji}{negemoji}', 'The {noun} today {negemoji}', '{name} and the {noun} {negemoji}'], 24),
    invariance('change a name', swapPairs('name', 25)),
    invariance('change a location', swapPairs('place', 26)),
    invariance('change a number', perturbPairs(['The {noun} cost 25 dollars and was {pos}.', 'I waited 3 hours for the {noun}.', 'The {noun} at 7 was {neg}.', 'Got 2 tickets for the {neu} {noun}'], 27, (text, next) => text.replace(/\d+/, () => String(2 + Math.floor(next() * 500))))),
    invariance('add a typo', perturbPairs(SENTENCES, 28, typo)),
    invariance('add a URL', perturbPairs(SENTENCES, 29, (text, next) => `${text} https://t.co/${Math.floor(next() * 36 ** 6).toString(36)}`)),
    invariance('add a mention', perturbPairs(SENTENCES, 30, (text, next) => `@${S.name[Math.floor(next() * S.name.length)].toLowerCase()}${Math.floor(next() * 100)} ${text}`)),
    invariance('expand or contract', perturbPairs(SENTENCES, 31, toggleContractions)),
  ];
}
