/** A local Hub for tests: on a free loopback port, over a fresh temp dir, writes need TOKEN. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startLocalHub, type LocalHub, type LocalHubOptions } from './server';

export const TOKEN = 'hf_local_hub_test_token';

export const tempDir = () => mkdtemp(join(tmpdir(), 'local-hub-'));
export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

/** Start a hub now; the caller closes it and removes its dir. */
export async function startTestHub(options: Partial<LocalHubOptions> = {}): Promise<LocalHub> {
  return startLocalHub({ token: TOKEN, dir: options.dir ?? (await tempDir()), ...options });
}

/**
 * One hub for the file's tests: started in a `beforeAll` (call this before hooks that use it),
 * closed and its dir removed after every other `afterAll`. The returned object reads through to
 * that hub, so it can be kept in a constant at the top of the file.
 */
export function useTestHub(options: Partial<LocalHubOptions> = {}): LocalHub {
  let hub: LocalHub | undefined;
  const started = (): LocalHub => {
    if (!hub) throw new Error('useTestHub: the hub starts in beforeAll; use it in tests and hooks, not at import time');
    return hub;
  };
  beforeAll(async () => {
    hub = await startTestHub(options);
  });
  afterAll(async () => {
    await hub?.close();
    if (hub) await removeDir(hub.dir);
  });
  return {
    get url() { return started().url; },
    get port() { return started().port; },
    get dir() { return started().dir; },
    get faults() { return started().faults; },
    get requests() { return started().requests; },
    close: () => started().close(),
  };
}

export const bytesOf = async (blob: Blob | null): Promise<Buffer> => {
  if (!blob) throw new Error('expected a file, got null');
  return Buffer.from(await blob.arrayBuffer());
};
