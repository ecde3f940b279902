/** The standalone server: --help, starts, prints its URL, logs one line per request without secrets, stops on SIGTERM. */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { removeDir, tempDir } from './local-hub.test-helpers';

const CLI = ['--import', 'tsx', 'trainer/local-hub/cli.ts'];

describe('local-hub CLI', () => {
  it('explains itself with --help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [...CLI, '--help']);
    expect(stdout).toMatch(/usage: npm run hub:local/);
    expect(stdout).toContain('LOCAL_HUB_TOKEN');
  }, 30_000);

  it('serves the API and logs requests without secrets', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, [...CLI, '--dir', dir, '--port', '0'], { env: { ...process.env, LOCAL_HUB_TOKEN: 'hf_cli_secret' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const url = await new Promise<string>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no URL printed:\n${out}`)), 20_000);
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/[^\s,]+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            ok(m[1]);
          }
        });
      });
      const res = await fetch(`${url}/api/repos/create`, {
        method: 'POST',
        headers: { Authorization: 'Bearer hf_cli_secret', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'r', organization: 'o', type: 'model' }),
      });
      expect(res.status).toBe(200);
      expect((await fetch(`${url}/api/models/o/r`)).status).toBe(200);
      expect((await fetch(`${url}/api/whoami-v2`)).status).toBe(404);
      await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/POST \/api\/repos\/create 200/);
      expect(out).toMatch(/GET \/api\/models\/o\/r 200/);
      expect(out).toMatch(/GET \/api\/whoami-v2 404 \(not implemented\)/);
      expect(out).toContain('only the token in LOCAL_HUB_TOKEN');
      expect(out).not.toContain('hf_cli_secret');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await removeDir(dir);
    }
  }, 30_000);
});
