import { describe, expect, it } from 'vitest';
import { ortNode } from '../../shared/ort/node';
import { fixtureModelProvider } from '../test/fixture-provider';
import { createStaticModelProvider, ModelUnavailableError } from './model-provider';
import type { ModelFiles } from './load-verified-model';

describe('createStaticModelProvider', () => {
  it('loads once for concurrent callers and reports ready', async () => {
    const provider = fixtureModelProvider();
    expect(provider.status().state).toBe('idle');
    const [a, b] = await Promise.all([provider.current(), provider.current()]);
    expect(a).toBe(b);
    expect(provider.status()).toMatchObject({ state: 'ready', version: 'v999', error: null });
  });

  it('retries after a failed load', async () => {
    const good = await fixtureFiles();
    let attempts = 0;
    const provider = createStaticModelProvider({
      ort: ortNode,
      source: 'flaky',
      files: async () => (++attempts === 1 ? { ...good, manifest: { ...(good.manifest as object), version: 'v5' } } : good),
    });
    await expect(provider.current()).rejects.toBeInstanceOf(ModelUnavailableError);
    expect(provider.status()).toMatchObject({ state: 'failed', error: expect.stringContaining('v5') });
    await expect(provider.current()).resolves.toMatchObject({ source: 'flaky' });
    expect(attempts).toBe(2);
  });

  it('refuses bytes whose sha256 differs from the manifest', async () => {
    const good = await fixtureFiles();
    const bytes = good.bytes.slice();
    bytes[bytes.length - 1] ^= 1;
    const provider = createStaticModelProvider({ ort: ortNode, source: 'tampered', files: async () => ({ ...good, bytes }) });
    await expect(provider.current()).rejects.toThrow(/sha256/);
  });
});

async function fixtureFiles(): Promise<ModelFiles> {
  const { readFileSync } = await import('node:fs');
  return {
    bytes: new Uint8Array(readFileSync(new URL('../test/fixtures/test-model.onnx', import.meta.url))),
    manifest: JSON.parse(readFileSync(new URL('../test/fixtures/test-model.manifest.json', import.meta.url), 'utf8')),
    verifyDigest: true,
  };
}
