/**
 * The production start path of the Dockerfile, without Docker: runs the Dockerfile's own esbuild
 * command, checks the bundle needs no devDependency, then starts it with plain `node` (no tsx)
 * as a cluster of two processes and talks to it over HTTP.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerfileEsbuildArgs } from './bench/lib/node-bundle';
import manifest from './model/manifest.json';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the repo so that the bundle's bare imports resolve from node_modules, as in the image.
const outDir = `${root}node_modules/.cache/edge-sentiment-bundle-test`;
const outfile = `${outDir}/node-server.mjs`;

describe("the Dockerfile's Node bundle", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('imports only Node built-ins and production dependencies', () => {
    mkdirSync(outDir, { recursive: true });
    const esbuild = `${root}node_modules/.bin/esbuild`;
    execFileSync(esbuild, [...dockerfileEsbuildArgs(root, outfile), `--metafile=${outDir}/meta.json`, '--log-level=warning'], { cwd: root });
    const meta = JSON.parse(readFileSync(`${outDir}/meta.json`, 'utf8')) as { outputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
    const imported = new Set(Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
    const { dependencies } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string> };
    const packageOf = (path: string) => (path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]);
    const notProduction = [...imported].filter((path) => !path.startsWith('node:') && !builtinModules.includes(path) && !(packageOf(path) in dependencies));
    expect(notProduction).toEqual([]);
    expect(imported).toContain('onnxruntime-web');
  });

  it('serves with plain node, two processes sharing the port, and stops on SIGTERM', async () => {
    const proc = spawn(process.execPath, [outfile], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', WEB_CONCURRENCY: '2', MODEL_DIR: 'worker/model', LOG_REQUESTS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const listening = await new Promise<{ url: string; pid: number }[]>((resolve, reject) => {
      const lines: { url: string; pid: number }[] = [];
      let buffered = '';
      proc.stdout!.on('data', (data) => {
        buffered += data;
        const complete = buffered.split('\n');
        buffered = complete.pop()!;
        for (const line of complete) {
          const parsed = JSON.parse(line);
          if (parsed.url) lines.push(parsed);
          if (lines.length === 2) resolve(lines);
        }
      });
      proc.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      setTimeout(() => reject(new Error(`not listening after 20 s: ${stderr}`)), 20_000);
    });
    expect(new Set(listening.map((l) => l.pid)).size).toBe(2);
    expect(listening[0].url).toBe(listening[1].url);
    const { url } = listening[0];

    const response = await fetch(`${url}/v1/sentiment/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['I love it', 'I hate it'] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ model_version: manifest.version, results: [{ label: 'positive' }, { label: 'negative' }] });
    expect((await (await fetch(`${url}/health`)).json()).model.source).toBe('bundled');

    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  }, 30_000);
});
