/**
 * Pushes the Node server to a Hugging Face Space (the Docker mirror of the API) as one commit:
 * the files the Dockerfile builds from, plus a README carrying the Space's settings. Files the
 * mirror no longer has are deleted in the same commit. Binary files (the model) go through LFS,
 * which a plain `git push` to the Hub would refuse without git-lfs set up.
 *
 *   HF_TOKEN=hf_… npx tsx worker/deploy/push-space.ts --space owner/name [--hub-url <url>]
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commit, createRepo, listFiles, spaceInfo, type CommitOperation, type RepoDesignation } from '@huggingface/hub';
import { PUBLIC_HUB_URL } from '../../shared/hub-endpoint';

/** What `docker build` needs (see Dockerfile); tests and benchmarks stay out. */
const INCLUDE = [/^Dockerfile$/, /^package(-lock)?\.json$/, /^tsconfig\.json$/, /^shared\//, /^worker\//];
const EXCLUDE = [/\.test\.ts$/, /^worker\/(bench|test|deploy)\//];

export interface SpaceTarget {
  space: string;
  hubUrl: string;
  accessToken: string;
}

/** The repo's tracked files that the Space needs, relative to `root`. */
export function spaceFiles(root: string): string[] {
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  return tracked.filter((path) => INCLUDE.some((re) => re.test(path)) && !EXCLUDE.some((re) => re.test(path))).sort();
}

/** The Space's README: its settings live in the front matter (Docker SDK, port 7860). */
export function spaceReadme(source: string | undefined): string {
  return `---
title: Edge Sentiment API
emoji: 💬
colorFrom: blue
colorTo: green
sdk: docker
app_port: 7860
pinned: false
---

# Edge Sentiment API (Node mirror)

The same Hono app that runs on Cloudflare Workers, served by Node in Docker. It answers
\`POST /v1/sentiment\` and \`POST /v1/sentiment/batch\`; \`GET /docs\` describes the API.
${source ? `\nSource and documentation: ${source}\n` : ''}`;
}

export async function pushSpace(target: SpaceTarget, root: string, source?: string, log: (message: string) => void = console.error): Promise<{ commit: string; files: number; deleted: number }> {
  const repo: RepoDesignation = { type: 'space', name: target.space };
  const credentials = { hubUrl: target.hubUrl, accessToken: target.accessToken };
  let exists = true;
  await spaceInfo({ name: target.space, ...credentials }).catch((error: { statusCode?: number }) => {
    if (error.statusCode !== 404) throw error;
    exists = false;
  });
  if (!exists) {
    log(`creating Space ${target.space}`);
    await createRepo({ repo, sdk: 'docker', ...credentials });
  }

  const paths = spaceFiles(root);
  const keep = new Set([...paths, 'README.md', '.gitattributes']);
  const stale: string[] = [];
  for await (const entry of listFiles({ repo, recursive: true, ...credentials })) {
    if (entry.type === 'file' && !keep.has(entry.path)) stale.push(entry.path);
  }
  const operations: CommitOperation[] = [
    ...(await Promise.all(paths.map(async (path) => ({ operation: 'addOrUpdate' as const, path, content: new Blob([await readFile(join(root, path))]) })))),
    { operation: 'addOrUpdate', path: 'README.md', content: new Blob([spaceReadme(source)]) },
    ...stale.map((path) => ({ operation: 'delete' as const, path })),
  ];
  const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  log(`pushing ${paths.length + 1} files (${stale.length} deleted) to ${target.space}`);
  const result = await commit({ repo, ...credentials, title: `Deploy ${sha}`, operations });
  if (!result?.commit.oid) throw new Error('the Hub did not return a commit');
  return { commit: result.commit.oid, files: paths.length + 1, deleted: stale.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { space: { type: 'string', default: process.env.HF_SPACE_REPO }, 'hub-url': { type: 'string' }, source: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const usage = 'usage: HF_TOKEN=hf_… npm run deploy:space -- --space owner/name [--hub-url <url>] [--source <repo url>]\n(--space defaults to HF_SPACE_REPO; pushes the Dockerfile, shared/ and worker/ to that Space as one commit)';
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const token = process.env.HF_TOKEN;
  if (!values.space || !token) {
    console.error(`${!values.space ? 'no Space given' : 'HF_TOKEN is not set'}\n${usage}`);
    process.exit(2);
  }
  const hubUrl = values['hub-url'] || process.env.HF_ENDPOINT || PUBLIC_HUB_URL;
  const result = await pushSpace({ space: values.space, hubUrl, accessToken: token }, process.cwd(), values.source);
  console.log(JSON.stringify(result));
}
