/**
 * A shared store for model files downloaded from the Hub, keyed by repo + commit sha + path, so
 * that isolates in one location do not all download the same 8 MB model. The content under a
 * key never changes (a commit is immutable), so entries need no revalidation; the provider still
 * verifies every hit against the manifest's sha256 and only stores files that passed it.
 *
 * Implementations: the Cache API (workerd: `caches.default` or `await caches.open(...)`), and an
 * in-memory map (tests; a Node process has one isolate, so it gains nothing from one).
 * A cache is an optimisation: the provider treats every cache error as a miss.
 */

export interface ModelFileCache {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
}

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

/** A Map; for tests (and to share downloads between providers in one process). */
export function memoryModelFileCache(): ModelFileCache & { readonly size: number } {
  const entries = new Map<string, Uint8Array>();
  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      const bytes = entries.get(key);
      return bytes ? bytes.slice() : null;
    },
    async put(key, bytes) {
      entries.set(key, bytes.slice());
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

/** repo + sha + path: the identity of a file's content on one Hub. */
export function modelFileKey(hubUrl: string, repo: string, sha: string, path: string): string {
  return `${new URL(hubUrl).host}/${repo}@${sha}/${path}`;
}
