/**
 * Vitest global setup (Node) for capture's workerd tests: starts the local Hub stand-in and
 * provides its URL, so code inside workerd can commit to it over loopback. Add it to the workers
 * project's `globalSetup`; without it hub-flusher.workers.test.ts skips.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalHub } from '../../trainer/local-hub/server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of a local Hub stand-in reachable from workerd. */
    captureHubUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'capture-workerd-hub-'));
  const hub = await startLocalHub({ dir, port: 0 });
  project.provide('captureHubUrl', hub.url);
  return async () => {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  };
}
