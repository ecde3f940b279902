/**
 * The settings `npm start` hands to `wrangler dev`: every documented setting present in the
 * environment (serving, feedback, capture, model repo), plus the local Hub's when it runs. They go
 * to wrangler in a .env file that only this user can read (`--env-file`), never as `--var` arguments:
 * a command line is visible to every user of the machine (`ps`), and HF_TOKEN is among them.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RENAMED, WORKER_VARIABLES } from '../../shared/settings';

/** Every variable the worker reads, in the order of the README's tables, then the old names still read. */
export const WORKER_SETTINGS: readonly string[] = [...WORKER_VARIABLES, ...Object.keys(RENAMED)];

/** The documented settings set (non-blank) in `env`, then `overrides`. */
export function workerSettings(env: Record<string, string | undefined>, overrides: Record<string, string> = {}): Record<string, string> {
  const picked = Object.fromEntries(WORKER_SETTINGS.flatMap((key) => (env[key]?.trim() ? [[key, env[key]!]] : [])));
  return { ...picked, ...overrides };
}

/** KEY='value' lines; single quotes keep a value literal in dotenv (wrangler's parser). */
export function dotenv(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([key, value]) => {
      if (/['\r\n]/.test(value)) throw new Error(`${key} contains a quote or a line break, which a .env file cannot carry; remove it`);
      return `${key}='${value}'\n`;
    })
    .join('');
}

/** Writes the settings to a fresh 0600 file in a 0700 folder; `remove()` deletes both. */
export function writePrivateEnvFile(settings: Record<string, string>): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'edge-sentiment-dev-'));
  chmodSync(dir, 0o700);
  const path = join(dir, 'worker.env');
  writeFileSync(path, dotenv(settings), { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
