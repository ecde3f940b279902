/** Every npm script checks the Node version first, so an old Node gets one sentence instead of ERR_UNKNOWN_BUILTIN_MODULE. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
/** Debian's Node on these machines is 20; elsewhere there may be no older Node to try. */
const OLD_NODE = '/usr/bin/node';
const oldVersion = existsSync(OLD_NODE) ? execFileSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).trim() : null;
const isOld = oldVersion !== null && /^v(1\d|2[01])\.|^v22\.(\d|1[012])\./.test(oldVersion);

describe('Node version preflight', () => {
  it('needs Node 22.13 (node:sqlite without a flag), names a version for nvm, and npm install refuses older ones', () => {
    expect(pkg.engines.node).toBe('>=22.13');
    expect(Number(readFileSync('.nvmrc', 'utf8').trim())).toBeGreaterThanOrEqual(22);
    expect(readFileSync('.npmrc', 'utf8')).toMatch(/^engine-strict=true$/m);
    expect(readFileSync('.ci/run', 'utf8')).toContain('node scripts/check-node.cjs --quiet');
  });

  it('runs first in every npm script', () => {
    const unchecked = Object.entries(pkg.scripts).filter(([, command]) => !command.startsWith('node scripts/check-node.cjs && '));
    expect(unchecked).toEqual([]);
  });

  it('lets this Node through silently', () => {
    const run = spawnSync(process.execPath, ['scripts/check-node.cjs'], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  // Skipped where no Node older than 22.13 is installed at /usr/bin/node.
  it.runIf(isOld)(`stops an npm command under an older Node (${oldVersion}) with one sentence`, () => {
    const run = spawnSync('npm', ['run', '--silent', 'trainer', '--', '--help'], { encoding: 'utf8', env: { ...process.env, PATH: `${dirname(OLD_NODE)}:${process.env.PATH}` } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`edge-sentiment needs Node ≥ 22.13 (this is Node ${oldVersion})`);
    expect(run.stderr).not.toContain('ERR_');
  });
});
