/**
 * The Hub model provider's file cache on workerd: the Cache API (`caches.default` or
 * `await caches.open(...)`), shared by the isolates of one location.
 */
import type { ModelFileCache } from '../../model-provider/model-file-cache';

/** The part of the Cache API this needs (workerd's `Cache`, the browser's, miniflare's). */
export interface CacheLike {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
  delete(request: Request): Promise<boolean>;
}

export interface CacheApiModelFileCacheOptions {
  /** How long an entry may live (Cache-Control max-age); default 7 days. */
  maxAgeS?: number;
  /** Host of the synthetic key URLs; never contacted. */
  keyHost?: string;
}

/**
 * Over the Cache API. On Cloudflare the cache is per data centre and only works for Workers on a
 * custom domain: on *.workers.dev (and in the dashboard preview) put() silently stores nothing,
 * which the provider survives (every lookup is a miss). Pass a function (`() => caches.open('…')`)
 * to get the cache afresh for every operation, so that no object opened during one request is
 * reused by another.
 */
export function cacheApiModelFileCache(
  source: CacheLike | Promise<CacheLike> | (() => CacheLike | Promise<CacheLike>),
  { maxAgeS = 7 * 24 * 3600, keyHost = 'model-file-cache.invalid' }: CacheApiModelFileCacheOptions = {},
): ModelFileCache {
  const request = (key: string) => new Request(`https://${keyHost}/${encodeURIComponent(key)}`);
  const open = async (): Promise<CacheLike> => (typeof source === 'function' ? source() : source);
  return {
    async get(key) {
      const response = await (await open()).match(request(key));
      return response ? new Uint8Array(await response.arrayBuffer()) : null;
    },
    async put(key, bytes) {
      const response = new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(bytes.byteLength),
          'Cache-Control': `public, max-age=${maxAgeS}, immutable`,
        },
      });
      await (await open()).put(request(key), response);
    },
    async delete(key) {
      await (await open()).delete(request(key));
    },
  };
}
