import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { downloadFile, listCommits } from '@huggingface/hub';
import { describe, expect, it } from 'vitest';
import { manifestSchema } from '../../shared/manifest';
import { readModelMetadata } from '../../shared/sentiment-model';
import { TOKEN, useTestHub } from '../local-hub/local-hub.test-helpers';

const run = promisify(execFile);
const REPO = 'team/sentiment-model';
const hub = useTestHub();
const modelDir = mkdtempSync(join(tmpdir(), 'publish-'));
cpSync('worker/model', modelDir, { recursive: true });

const publish = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'trainer/cli.ts', 'publish', '--model-dir', modelDir, '--repo', REPO, ...args], {
    env: { ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN },
  });
const download = async (path: string, revision = 'main') => {
  const blob = await downloadFile({ repo: { type: 'model', name: REPO }, path, revision, hubUrl: hub.url });
  return new Uint8Array(await blob!.arrayBuffer());
};
const text = async (path: string, revision?: string) => new TextDecoder().decode(await download(path, revision));

describe('publish', () => {
  it('dry-run prints the plan and writes nothing', async () => {
    const { stdout } = await publish('--dry-run');
    expect(JSON.parse(stdout)).toMatchObject({ dry_run: true, version: 'v1', parent_version: null, parent_commit: null });
    expect(hub.requests.count({ route: 'commit' })).toBe(0);
  }, 60_000);

  it('pushes model, manifest, card and history as one commit per version, the version rising by one', async () => {
    for (const expected of ['v1', 'v2']) {
      const before = hub.requests.count({ route: 'commit' });
      const { stdout } = await publish();
      const result = JSON.parse(stdout);
      expect(result.version).toBe(expected);
      expect(hub.requests.count({ route: 'commit' })).toBe(before + 1);

      const manifest = manifestSchema.parse(JSON.parse(await text('manifest.json', result.commit)));
      expect(manifest.version).toBe(expected);
      expect(manifest.parent_version).toBe(expected === 'v1' ? null : 'v1');
      const model = await download('model.onnx', result.commit);
      expect(model.length).toBe(manifest.size_bytes);
      expect(readModelMetadata(model).model_version).toBe(expected);
      expect(await text('README.md', result.commit)).toContain(`— ${expected}`);
      // The plan (also what --dry-run prints) states each file's committed size in bytes.
      for (const [path, size] of Object.entries(result.files)) expect({ path, size: (await download(path, result.commit)).length }).toEqual({ path, size });
    }
    const history = (await text('metrics/history.jsonl')).trim().split('\n').map((line) => JSON.parse(line));
    expect(history.map((line) => [line.version, line.promoted])).toEqual([['v1', true], ['v2', true]]);

    const commits = [];
    for await (const c of listCommits({ repo: { type: 'model', name: REPO }, hubUrl: hub.url })) commits.push(c.title);
    expect(commits.slice(0, 2)).toEqual(['Publish v2', 'Publish v1']);
  }, 120_000);

  it('refuses to publish without a token, with a message that says what to do', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'trainer/cli.ts', 'publish', '--model-dir', modelDir, '--repo', REPO], {
      env: { ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: '' },
    }).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('HF_TOKEN is not set');
  }, 60_000);
});
