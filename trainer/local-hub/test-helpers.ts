/** Shared by the local-hub tests: a hub on a random loopback port over a fresh temp dir. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalHub, type LocalHub, type LocalHubOptions } from './server';

export const TOKEN = 'hf_local_hub_test_token';

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'local-hub-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function startTestHub(options: Partial<LocalHubOptions> = {}): Promise<LocalHub> {
  return startLocalHub({ dir: options.dir ?? (await tempDir()), ...options });
}

export const bytesOf = async (blob: Blob | null): Promise<Buffer> => {
  if (!blob) throw new Error('expected a file, got null');
  return Buffer.from(await blob.arrayBuffer());
};
