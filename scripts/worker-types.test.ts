/** The committed Env (worker/worker-configuration.d.ts) is what `npm run types` generates from wrangler.toml now. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { generateWorkerTypes, TYPES_FILE } from './worker-types';

it(`${TYPES_FILE} is current (npm run types rewrites it after a change to wrangler.toml)`, () => {
  const generated = generateWorkerTypes();
  expect(generated).toContain('CAPTURE_DB: D1Database');
  expect(generated).not.toContain('interface ProcessEnv');
  expect(readFileSync(TYPES_FILE, 'utf8')).toBe(generated);
}, 60_000);
