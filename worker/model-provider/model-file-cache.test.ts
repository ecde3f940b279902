import { describe, expect, it } from 'vitest';
import { cacheApiModelFileCache, type CacheLike } from '../adapter/workerd/cache-api-file-cache';
import { memoryModelFileCache, modelFileKey } from './model-file-cache';

/** The Cache API's contract as far as the adapter uses it (Node has no `caches`; workerd's is tested in hub-model-provider.workers.test.ts). */
function fakeCacheApi(): CacheLike & { stored: Map<string, Response> } {
  const stored = new Map<string, Response>();
  return {
    stored,
    async match(request) {
      return stored.get(request.url)?.clone();
    },
    async put(request, response) {
      if (request.method !== 'GET') throw new TypeError('only GET');
      stored.set(request.url, response);
    },
    async delete(request) {
      return stored.delete(request.url);
    },
  };
}

describe('model file caches', () => {
  it.each([
    ['memory', () => memoryModelFileCache()],
    ['Cache API', () => cacheApiModelFileCache(fakeCacheApi())],
  ])('%s: get / put / delete round trip', async (_, make) => {
    const cache = make();
    const key = modelFileKey('https://huggingface.co', 'acme/sentiment', 'a'.repeat(40), 'model.onnx');
    expect(key).toBe(`huggingface.co/acme/sentiment@${'a'.repeat(40)}/model.onnx`);
    expect(await cache.get(key)).toBeNull();
    await cache.put(key, new Uint8Array([1, 2, 3]));
    expect(Array.from((await cache.get(key))!)).toEqual([1, 2, 3]);
    expect(await cache.get(key.replace('model.onnx', 'manifest.json'))).toBeNull();
    await cache.delete(key);
    expect(await cache.get(key)).toBeNull();
  });

  it('stores immutable, long-lived entries under a synthetic URL', async () => {
    const api = fakeCacheApi();
    await cacheApiModelFileCache(Promise.resolve(api), { maxAgeS: 60 }).put('h/acme/x@sha/model.onnx', new Uint8Array(10));
    const [[url, response]] = [...api.stored];
    expect(url).toBe('https://model-file-cache.invalid/h%2Facme%2Fx%40sha%2Fmodel.onnx');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60, immutable');
    expect(response.headers.get('content-length')).toBe('10');
  });
});
