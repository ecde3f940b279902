/** The README's deploy guide against the files it describes: every secret and variable the workflows read is listed for that workflow, the limits are current, and the weekly schedule is kept alive. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync('README.md', 'utf8');
const guide = readme.slice(readme.indexOf('## Deploying'), readme.indexOf('\n## ', readme.indexOf('## Deploying') + 3));
const workflow = (name: string) => readFileSync(`.github/workflows/${name}`, 'utf8');

describe('README: Deploying', () => {
  it('walks through Cloudflare, the Space and GitHub', () => {
    for (const step of ['wrangler d1 create edge-sentiment-capture', 'database_id', 'wrangler secret put HF_TOKEN', 'wrangler secret put ADMIN_API_KEY', 'keep_vars = true', 'HF_MODEL_REPO = "owner/sentiment"', 'MODEL_REVISION = "<commit sha>"', 'Persistent storage', '/data', 'Variables and secrets']) {
      expect(guide).toContain(step);
    }
    // Cloudflare's current limits: one 64 MiB uncompressed size limit on every plan; the Free plan's CPU, memory and start-up.
    expect(guide).toMatch(/64 MiB uncompressed on Free and Paid/);
    expect(guide).toMatch(/10 ms CPU per request, 128 MB memory per isolate, 1 s of start-up/);
    expect(readme).not.toMatch(/3 MB gzip/);
  });

  it('lists, per workflow, exactly the secrets and variables it reads', () => {
    for (const name of ['ci.yml', 'deploy.yml', 'weekly_retrain.yml']) {
      const text = workflow(name);
      const row = guide.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      expect(row, name).toBeDefined();
      const [, secretsCell, varsCell] = row!.split(' | ');
      const used = (kind: string) => [...new Set([...text.matchAll(new RegExp(`\\$\\{\\{ ${kind}\\.(\\w+) \\}\\}`, 'g'))].map((m) => m[1]))].sort();
      const listed = (cell: string) => [...cell.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]).sort();
      expect({ name, secrets: listed(secretsCell) }).toEqual({ name, secrets: used('secrets') });
      expect({ name, vars: listed(varsCell) }).toEqual({ name, vars: used('vars') });
    }
  });

  it('keeps the weekly schedule from being disabled after 60 days without repository activity', () => {
    const retrain = workflow('weekly_retrain.yml');
    expect(retrain).toMatch(/^ {2}keepalive:\n(?:.*\n)*? {6}actions: write/m);
    expect(retrain).toContain('gh api --method PUT "repos/${GITHUB_REPOSITORY}/actions/workflows/weekly_retrain.yml/enable"');
  });
});
