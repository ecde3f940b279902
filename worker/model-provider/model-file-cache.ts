/**
 * A shared store for model files downloaded from the Hub, keyed by repo + commit sha + path, so
 * that isolates in one location do not all download the same 8 MB model. The content under a
 * key never changes (a commit is immutable), so entries need no revalidation; the provider still
 * verifies every hit against the manifest's sha256 and only stores files that passed it.
 *
 * Implementations: the Cache API on workerd (worker/adapter/workerd/cache-api-file-cache.ts), and
 * an in-memory map (tests; a Node process has one isolate, so it gains nothing from one).
 * A cache is an optimisation: the provider treats every cache error as a miss.
 */

export interface ModelFileCache {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
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
