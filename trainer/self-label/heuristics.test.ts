import { describe, expect, it } from 'vitest';
import type { Label } from '../../shared/labels';
import { capPerLabel, humanAgreement, judgeText, type JudgedText } from './heuristics';
import { PROMPT_VERSIONS } from './prompts';
import { selfLabelConfigSchema } from './settings';

const h = selfLabelConfigSchema.parse({}).heuristics;
const [A, B] = PROMPT_VERSIONS;
const item = (a: Label | null, b: Label | null, extra: Partial<JudgedText> = {}, confidence: number | null = null): JudgedText => ({
  key: 't',
  text: 't',
  hash: 'h',
  production: { label: a ?? 'neutral', confidence: 0.5, model_version: 'v1' },
  correction: null,
  answers: { [A]: a && { label: a, confidence }, [B]: b && { label: b, confidence } },
  ...extra,
});

describe('judgeText', () => {
  it('keeps a label both prompts and the production model agree on', () => {
    expect(judgeText(item('positive', 'positive'), PROMPT_VERSIONS, h)).toEqual({ label: 'positive', rejectedBy: null });
  });

  it('names the first check that rejects, each switchable', () => {
    expect(judgeText(item(null, 'positive'), PROMPT_VERSIONS, h).rejectedBy).toBe('answered');
    expect(judgeText(item('positive', 'negative'), PROMPT_VERSIONS, h).rejectedBy).toBe('prompts_agree');
    expect(judgeText(item('positive', 'negative'), PROMPT_VERSIONS, { ...h, prompts_agree: false }).label).toBe('positive');
    expect(judgeText(item('positive', 'positive', {}, 0.6), PROMPT_VERSIONS, h).rejectedBy).toBe('confidence_floor');
    expect(judgeText(item('positive', 'positive', {}, 0.6), PROMPT_VERSIONS, { ...h, confidence_floor: { enabled: false, min: 0.7 } }).label).toBe('positive');
    const modelSaysNeutral = { production: { label: 'neutral' as const, confidence: 0.5, model_version: 'v1' } };
    expect(judgeText(item('positive', 'positive', modelSaysNeutral), PROMPT_VERSIONS, h).rejectedBy).toBe('model_agrees');
    const modelUnsure = { production: { label: 'positive' as const, confidence: 0.4, model_version: 'v1' } };
    expect(judgeText(item('positive', 'positive', modelUnsure), PROMPT_VERSIONS, h).rejectedBy).toBe('model_agrees');
    expect(judgeText(item('positive', 'positive', modelSaysNeutral), PROMPT_VERSIONS, { ...h, model_agrees: { enabled: false, min_probability: 0 } }).label).toBe('positive');
    expect(judgeText(item('positive', 'positive', { correction: 'negative' }), PROMPT_VERSIONS, h).rejectedBy).toBe('no_correction_conflict');
  });

  it('judges the first prompt alone before asking about the second', () => {
    expect(judgeText(item('positive', null, { production: { label: 'negative', confidence: 0.5, model_version: 'v1' } }), PROMPT_VERSIONS, h).rejectedBy).toBe('model_agrees');
    expect(judgeText(item('positive', null), [A], h).label).toBe('positive');
  });
});

describe('capPerLabel', () => {
  it('keeps no label above its share of the kept labels (beyond min_count), earliest first', () => {
    const labels: Label[] = [...Array(50).fill('neutral'), ...Array(6).fill('positive'), ...Array(4).fill('negative')];
    const keep = capPerLabel(labels, 0.5, 5);
    const kept = labels.filter((_, i) => keep.has(i));
    expect(kept.filter((l) => l === 'neutral')).toHaveLength(10);
    expect(kept.length).toBe(20);
    expect([...keep].filter((i) => labels[i] === 'neutral')).toEqual([...Array(10).keys()]);
    expect(capPerLabel(['positive', 'positive'], 0.5, 5).size).toBe(2);
    expect(capPerLabel(labels, 1, 0).size).toBe(60);
  });
});

describe('humanAgreement', () => {
  it('measures kept labels against corrections and fails the run below the floor', () => {
    const audit = [...Array(8)].map(() => item('positive', 'positive', { correction: 'positive' })).concat([...Array(4)].map(() => item('negative', 'negative', { correction: 'positive' })));
    expect(humanAgreement(audit, PROMPT_VERSIONS, h)).toEqual({ samples: 12, agreed: 8, rate: 8 / 12, passed: false });
    expect(humanAgreement(audit.slice(0, 9), PROMPT_VERSIONS, h).passed).toBe(true);
    expect(humanAgreement(audit.slice(4), PROMPT_VERSIONS, h)).toMatchObject({ samples: 8, passed: true }); // too few to judge
  });
});
