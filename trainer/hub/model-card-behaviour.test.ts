import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestSchema, type Manifest } from '../../shared/manifest';
import { renderModelCard } from './model-card';
import { behaviourSection, lexiconSection } from './model-card-behaviour';

const shipped: Manifest = manifestSchema.parse(JSON.parse(readFileSync('worker/model/manifest.json', 'utf8')));
const withBehaviour: Manifest = {
  ...shipped,
  featurizer: { ...shipped.featurizer, version: 2 },
  behaviour: [
    { name: 'negated negative', capability: 'negation', kind: 'label', n: 200, failure_rate: 0.125 },
    { name: 'add a typo', capability: 'invariance', kind: 'invariance', n: 100, failure_rate: 0.03 },
  ],
};

describe('the model card', () => {
  it('shows the behavioural failure rates the manifest records', () => {
    const card = renderModelCard(withBehaviour, 'team/sentiment');
    expect(card).toContain('## Behaviour');
    expect(card).toContain('| negated negative | negation | 200 | 12.5% |');
    expect(card).toContain('| **all invariance pairs** (label flips) | | | **3.0%** |');
  });

  it('credits the lexicons, with their licences, for featurizer v2 and later', () => {
    const card = renderModelCard(withBehaviour, 'team/sentiment');
    expect(card).toContain('AFINN-165');
    expect(card).toContain('Open Database License (ODbL) v1.0');
    expect(card).toContain('CC BY-SA 4.0');
    const v1 = { ...withBehaviour, featurizer: { ...withBehaviour.featurizer, version: 1 as const }, behaviour: undefined };
    expect(lexiconSection(v1)).toBe('');
    expect(behaviourSection(v1)).toBe('');
  });
});
