import { commit, downloadFile, listFiles } from '@huggingface/hub';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { TOKEN, useTestHub } from '../../trainer/local-hub/local-hub.test-helpers';
import { pushSpace, spaceFiles } from './push-space';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hub = useTestHub();
const quiet = () => {};

describe('pushSpace (the Node mirror on a Hugging Face Space)', () => {
  it('takes exactly what the Docker build needs', () => {
    const files = spaceFiles(ROOT);
    expect(files).toEqual(expect.arrayContaining(['Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.json', 'worker/adapter/node/server.ts', 'worker/model/model.onnx', 'shared/labels.ts']));
    expect(files.filter((f) => f.endsWith('.test.ts') || f.startsWith('trainer/') || f.startsWith('datasets/') || f.startsWith('worker/bench/'))).toEqual([]);
  });

  it('creates the Space, pushes the files with the Docker front matter in one commit, and deletes what the mirror no longer has', async () => {
    const target = { space: 'team/sentiment-api', hubUrl: hub.url, accessToken: TOKEN };
    const first = await pushSpace(target, ROOT, 'https://github.com/team/sentiment', quiet);
    const repo = { type: 'space' as const, name: target.space };
    const paths: string[] = [];
    for await (const entry of listFiles({ repo, recursive: true, hubUrl: hub.url, accessToken: TOKEN })) if (entry.type === 'file') paths.push(entry.path);
    expect(paths).toEqual(expect.arrayContaining(['README.md', 'Dockerfile', 'worker/model/model.onnx']));
    const readme = await (await downloadFile({ repo, path: 'README.md', hubUrl: hub.url, accessToken: TOKEN }))!.text();
    expect(readme).toMatch(/^---\n[\s\S]*sdk: docker\napp_port: 7860\n[\s\S]*---\n/);
    const model = await downloadFile({ repo, path: 'worker/model/model.onnx', hubUrl: hub.url, accessToken: TOKEN });
    expect(model!.size).toBeGreaterThan(1_000_000);
    expect(hub.requests.count({ route: 'lfs-upload' })).toBeGreaterThan(0);

    // A file the repo no longer tracks disappears on the next push.
    await commit({ repo, hubUrl: hub.url, accessToken: TOKEN, title: 'stale', operations: [{ operation: 'addOrUpdate', path: 'worker/old.ts', content: new Blob(['x']) }] });
    const second = await pushSpace(target, ROOT, undefined, quiet);
    expect(second.deleted).toBe(1);
    expect(second.commit).not.toBe(first.commit);
  }, 60_000);
});
