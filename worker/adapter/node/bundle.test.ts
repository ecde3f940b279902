/**
 * The production start path of the Dockerfile, without Docker: runs the Dockerfile's own esbuild
 * command, checks the bundle needs no devDependency, then starts it with plain `node` (no tsx)
 * the way the image does: from a root-owned folder it cannot write to, as uid 1000 (when the tests
 * run as root; otherwise as the current user), with the image's ENV, as a cluster of two processes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerfileEnv, dockerfileEsbuildArgs, dockerfileNodeFlags } from '../../bench/lib/node-bundle';
import manifest from '../../model/manifest.json';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// Inside the repo so that the bundle's bare imports resolve from node_modules, as in the image.
const outDir = `${root}node_modules/.cache/edge-sentiment-bundle-test`;
const outfile = `${outDir}/node-server.mjs`;
const ADMIN_KEY = 'admin-key-for-the-bundle-test';
/** The Space's user. Only root may switch to it; other users run the processes as themselves. */
const asSpaceUser = process.getuid?.() === 0 ? { uid: 1000, gid: 1000 } : {};

const children: ChildProcess[] = [];
const folders: string[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A folder like the image's: /app (root's, read-only for uid 1000) with dist/, model/, node_modules/, and a /data uid 1000 owns. */
function imageLikeFolders(): { app: string; data: string } {
  const base = mkdtempSync(join(tmpdir(), 'edge-sentiment-image-'));
  folders.push(base);
  chmodSync(base, 0o755);
  const app = join(base, 'app');
  mkdirSync(`${app}/dist`, { recursive: true });
  cpSync(outfile, `${app}/dist/node-server.mjs`);
  cpSync(`${root}worker/model`, `${app}/model`, { recursive: true });
  symlinkSync(`${root}node_modules`, `${app}/node_modules`);
  const data = join(base, 'data');
  mkdirSync(data);
  if (asSpaceUser.uid !== undefined) chownSync(data, asSpaceUser.uid, asSpaceUser.gid);
  return { app, data };
}

/** Starts the bundle with the Dockerfile's flags and ENV (overridden by `env`); resolves with the listening lines of `processes`. */
async function startBundle(app: string, env: Record<string, string>, processes: number): Promise<{ proc: ChildProcess; urls: { url: string; pid: number }[]; stderr: () => string }> {
  const image = dockerfileEnv(root);
  const proc = spawn(process.execPath, [...dockerfileNodeFlags(root), 'dist/node-server.mjs'], {
    cwd: app,
    ...asSpaceUser,
    env: { PATH: process.env.PATH, ...image, PORT: '0', HOST: '127.0.0.1', MODEL_DIR: `${app}/model`, LOG_REQUESTS: 'false', ADMIN_API_KEY: ADMIN_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const urls = await new Promise<{ url: string; pid: number }[]>((resolve, reject) => {
    const lines: { url: string; pid: number }[] = [];
    let buffered = '';
    proc.stdout!.on('data', (data) => {
      buffered += data;
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      for (const line of complete) {
        const parsed = JSON.parse(line);
        if (parsed.url) lines.push(parsed);
        if (lines.length === processes) resolve(lines);
      }
    });
    proc.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`not listening after 20 s: ${stderr}`)), 20_000);
  });
  return { proc, urls, stderr: () => stderr };
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const FEEDBACK = { text: 'not bad at all', model_label: 'negative', correct_label: 'positive' };
const adminHealth = async (url: string) => (await fetch(`${url}/health`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json();

describe("the Dockerfile's Node bundle", () => {
  beforeAll(() => {
    mkdirSync(outDir, { recursive: true });
    const esbuild = `${root}node_modules/.bin/esbuild`;
    execFileSync(esbuild, [...dockerfileEsbuildArgs(root, outfile), `--metafile=${outDir}/meta.json`, '--log-level=warning'], { cwd: root });
  });

  it('imports only Node built-ins and production dependencies', () => {
    const meta = JSON.parse(readFileSync(`${outDir}/meta.json`, 'utf8')) as { outputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
    const imported = new Set(Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
    const { dependencies } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string> };
    const packageOf = (path: string) => (path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]);
    const notProduction = [...imported].filter((path) => !path.startsWith('node:') && !builtinModules.includes(path) && !(packageOf(path) in dependencies));
    expect(notProduction).toEqual([]);
    expect(imported).toContain('onnxruntime-web');
  });

  it('keeps the feedback buffer outside the app folder, in the folder the image gives uid 1000', () => {
    const { CAPTURE_DB_PATH } = dockerfileEnv(root);
    expect(CAPTURE_DB_PATH).toMatch(/^\/data\/[\w.-]+$/);
    expect(readFileSync(`${root}Dockerfile`, 'utf8')).toMatch(/^RUN mkdir -p \/data && chown node:node \/data$/m);
  });

  it('serves as uid 1000 from a read-only app folder: two processes share the port, feedback is stored in /data, SIGTERM stops it', async () => {
    const { app, data } = imageLikeFolders();
    // The image's /data/capture.sqlite, moved to this test's own /data.
    const { proc, urls, stderr } = await startBundle(app, { CAPTURE_DB_PATH: `${data}/capture.sqlite` }, 2);
    expect(new Set(urls.map((l) => l.pid)).size).toBe(2);
    expect(urls[0].url).toBe(urls[1].url);
    const { url } = urls[0];

    const response = await post(`${url}/v1/sentiment/batch`, { texts: ['I love it', 'I hate it'] });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ model_version: manifest.version, results: [{ label: 'positive' }, { label: 'negative' }] });
    expect((await post(`${url}/v1/feedback`, FEEDBACK)).status).toBe(202);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok', version: manifest.version, depth: 1, alerts: expect.any(Object) });
    expect((await adminHealth(url)).details).toMatchObject({ model: { source: 'bundled' }, capture: { depth: 1 }, capture_error: null });

    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr()).toBe('');
  }, 60_000);

  // The other unusable paths (a folder, a file that is not SQLite) are covered in-process by capture.test.ts.
  it('serves predictions when CAPTURE_DB_PATH cannot be used: under /proc (used to hang before listening), in the read-only app folder (used to crash-loop)', async () => {
    const { app } = imageLikeFolders();
    const cases: Array<[string, string, RegExp]> = [['a folder under /proc, where Node’s recursive mkdir never returns', '/proc/edge-sentiment/capture.sqlite', /ENOENT/]];
    // The default (.data/capture.sqlite) under the app folder uid 1000 cannot write to: what crash-looped the image.
    if (asSpaceUser.uid !== undefined) cases.push(['the default path in the read-only app folder', '', /EACCES.*uid 1000/]);
    await Promise.all(
      cases.map(async ([what, path, why]) => {
        const { proc, urls, stderr } = await startBundle(app, { WEB_CONCURRENCY: '1', CAPTURE_DB_PATH: path }, 1);
        const { url } = urls[0];
        const prediction = await post(`${url}/v1/sentiment`, { text: 'I love it' });
        const feedback = await post(`${url}/v1/feedback`, FEEDBACK);
        const health = await (await fetch(`${url}/health`)).json();
        expect({ what, prediction: prediction.status, feedback: feedback.status, code: (await feedback.json()).error.code, health }).toEqual({
          what,
          prediction: 200,
          feedback: 503,
          code: 'capture_unavailable',
          health: { status: 'degraded', version: manifest.version, depth: null, alerts: expect.any(Object) },
        });
        expect((await adminHealth(url)).details.capture_error, what).toMatch(why);
        expect(stderr().trim().split('\n'), what).toEqual([expect.stringMatching(/feedback buffer .* cannot be used/)]);
        proc.kill('SIGKILL');
      }),
    );
  }, 60_000);
});
