/** push-base and pull's reading of it, against the local Hub through the real client. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFeedbackRecord } from '../../shared/feedback-record';
import { TOKEN, useTestHub } from '../local-hub/local-hub.test-helpers';
import { writeShard } from '../retrain/retrain.test-helpers';
import { pullDataset } from './pull';
import { DATASET_REPO_FILES } from '../../shared/hub-repos';
import { pushBase } from './push-base';

const hub = useTestHub();
let dir: string;
const REPO = 'team/data';
const quiet = () => {};
const settings = () => ({ hubUrl: hub.url, accessToken: TOKEN });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'push-base-'));
  await writeFile(join(dir, 'train.csv'), 'text,label\nloved it,positive\n"awful, truly",negative\nat noon,neutral\n');
  await writeFile(join(dir, 'val.csv'), 'text,label\ngreat,positive\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('push-base', () => {
  it('uploads the base splits and a dataset card in one commit; pull then reads the base at that revision', async () => {
    const pushed = await pushBase({ repo: REPO, ...settings(), train: join(dir, 'train.csv'), validation: join(dir, 'val.csv') });
    expect(pushed.rows).toEqual({ train: 3, validation: 1 });

    const card = await (await downloadFile({ repo: { type: 'dataset', name: REPO }, path: 'README.md', hubUrl: hub.url, accessToken: TOKEN }))!.text();
    const yaml = card.split('---')[1];
    for (const line of ['license: other', '- en', '- text-classification', '- config_name: base', '- config_name: feedback', '- config_name: low_confidence', `    path: ${DATASET_REPO_FILES.base.train}`, '    path: feedback/**/*.jsonl', '  - name: correct_label', '  - name: source']) {
      expect(yaml).toContain(line);
    }
    expect(card).toContain('This dataset holds user-submitted text');

    await writeShard(REPO, settings(), 'feedback', [newFeedbackRecord({ text: 'meh', model_label: 'positive', correct_label: 'neutral' })]);
    const pulled = await pullDataset({ ...settings(), repo: REPO, dir: join(dir, 'pulled'), log: quiet });
    expect(pulled.files).toHaveLength(1);
    expect(await readFile(join(dir, 'pulled', pulled.base!.train), 'utf8')).toBe(await readFile(join(dir, 'train.csv'), 'utf8'));
    expect(await readFile(join(dir, 'pulled', pulled.base!.validation), 'utf8')).toBe(await readFile(join(dir, 'val.csv'), 'utf8'));

    // Pushed again with other content: the next pull reads the new files, not the cached ones.
    await writeFile(join(dir, 'train.csv'), 'text,label\nloved it,positive\n');
    await pushBase({ repo: REPO, ...settings(), train: join(dir, 'train.csv'), validation: join(dir, 'val.csv') });
    const again = await pullDataset({ ...settings(), repo: REPO, dir: join(dir, 'pulled'), log: quiet });
    expect(again.base!.train).not.toBe(pulled.base!.train);
    expect(again.base!.validation).toBe(pulled.base!.validation);
    expect(await readFile(join(dir, 'pulled', again.base!.train), 'utf8')).toBe('text,label\nloved it,positive\n');
  });

  it('refuses a CSV that would not load at retrain time, and a repo without a base pulls none', async () => {
    await writeFile(join(dir, 'bad.csv'), 'text,label\nhello,happy\n');
    await expect(pushBase({ repo: 'team/other', ...settings(), train: join(dir, 'bad.csv'), validation: join(dir, 'val.csv') })).rejects.toThrow(/happy/);
    await writeShard('team/no-base', settings(), 'feedback', [newFeedbackRecord({ text: 'meh', model_label: 'positive', correct_label: 'neutral' })]);
    expect((await pullDataset({ ...settings(), repo: 'team/no-base', dir: join(dir, 'no-base'), log: quiet })).base).toBeNull();
  });
});
