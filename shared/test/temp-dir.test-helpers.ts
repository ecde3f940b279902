/** A temporary folder for one test file: made in a `beforeAll`, removed after the file's tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** Call at the top of the file (before hooks that use it); read `.path` in tests and hooks. */
export function useTempDir(prefix: string): { readonly path: string } {
  let path: string | undefined;
  beforeAll(async () => {
    path = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (path) await rm(path, { recursive: true, force: true });
  });
  return {
    get path() {
      if (!path) throw new Error('useTempDir: the folder is made in beforeAll; use it in tests and hooks, not at import time');
      return path;
    },
  };
}
