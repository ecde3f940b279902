/**
 * URL → route, for the subset of the Hub's HTTP API that @huggingface/hub calls.
 * Pure and synchronous, so the route name is known before faults are applied and logged.
 *
 *   /api/...                                  JSON API (repos, info, tree, commits, preupload, commit)
 *   /{owner}/{name}.git/info/lfs/...          git-lfs batch API (datasets, spaces: /datasets|spaces/{owner}/{name}.git/...)
 *   /{owner}/{name}/resolve|raw/{rev}/{path}  file downloads (datasets: /datasets/..., spaces: /spaces/...)
 *   /_lfs/...                                 where LFS bytes are PUT/GET (the Hub uses presigned S3 URLs)
 *   /_admin/...                               faults and request log, for tests
 */
import type { RepoRef, RepoType } from './types';

export type Route =
  | { name: 'create-repo' | 'delete-repo' | 'whoami' | 'admin-faults' | 'admin-requests' }
  | { name: 'repo-info'; repo: RepoRef; rev?: string }
  | { name: 'tree'; repo: RepoRef; rev: string; path: string }
  | { name: 'paths-info' | 'commits' | 'preupload' | 'commit'; repo: RepoRef; rev: string }
  | { name: 'create-branch' | 'delete-branch'; repo: RepoRef; branch: string }
  | { name: 'lfs-batch'; repo: RepoRef }
  | { name: 'lfs-upload' | 'lfs-download'; repo: RepoRef; oid: string }
  | { name: 'resolve' | 'raw'; repo: RepoRef; rev: string; path: string };

const API_TYPES: Record<string, RepoType> = { models: 'model', datasets: 'dataset', spaces: 'space' };

/** Split a pathname into decoded segments (`null` if it is not valid percent-encoding). */
export function segmentsOf(pathname: string): string[] | null {
  try {
    const parts = pathname.split('/').slice(1).map(decodeURIComponent);
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts;
  } catch {
    return null;
  }
}

export function matchRoute(method: string, s: string[]): Route | null {
  const read = method === 'GET' || method === 'HEAD';
  if (s[0] === '_admin' && s.length === 2 && (s[1] === 'faults' || s[1] === 'requests')) {
    return { name: s[1] === 'faults' ? 'admin-faults' : 'admin-requests' };
  }
  if (s[0] === 'api') return matchApi(method, read, s.slice(1));
  if (s[0] === '_lfs' && s.length === 5 && API_TYPES[s[1]]) {
    const repo = { type: API_TYPES[s[1]], owner: s[2], name: s[3] };
    if (method === 'PUT') return { name: 'lfs-upload', repo, oid: s[4] };
    if (read) return { name: 'lfs-download', repo, oid: s[4] };
    return null;
  }
  const type: RepoType = s[0] === 'datasets' || s[0] === 'spaces' ? API_TYPES[s[0]] : 'model';
  const g = type === 'model' ? s : s.slice(1);
  if (g.length < 3) return null;
  const [owner, name, kind] = g;
  if (name.endsWith('.git') && g.slice(2).join('/') === 'info/lfs/objects/batch' && method === 'POST') {
    return { name: 'lfs-batch', repo: { type, owner, name: name.slice(0, -4) } };
  }
  if ((kind === 'resolve' || kind === 'raw') && g.length >= 5 && read) {
    return { name: kind, repo: { type, owner, name }, rev: g[3], path: g.slice(4).join('/') };
  }
  return null;
}

function matchApi(method: string, read: boolean, s: string[]): Route | null {
  if (s[0] === 'repos' && s.length === 2) {
    if (s[1] === 'create' && method === 'POST') return { name: 'create-repo' };
    if (s[1] === 'delete' && method === 'DELETE') return { name: 'delete-repo' };
    return null;
  }
  if (s[0] === 'whoami-v2' && s.length === 1 && read) return { name: 'whoami' };
  const type = API_TYPES[s[0]];
  if (!type || s.length < 3) return null;
  const repo: RepoRef = { type, owner: s[1], name: s[2] };
  const [action, rev, ...rest] = s.slice(3);
  if (action === undefined) return read ? { name: 'repo-info', repo } : null;
  if (rev === undefined) return null;
  if (action === 'revision' && rest.length === 0 && read) return { name: 'repo-info', repo, rev };
  if (action === 'tree' && read) return { name: 'tree', repo, rev, path: rest.join('/') };
  if (rest.length > 0) return null;
  if (action === 'commits' && read) return { name: 'commits', repo, rev };
  if (method !== 'POST' && !(action === 'branch' && method === 'DELETE')) return null;
  switch (action) {
    case 'paths-info':
    case 'preupload':
    case 'commit':
      return { name: action, repo, rev };
    case 'branch':
      return { name: method === 'POST' ? 'create-branch' : 'delete-branch', repo, branch: rev };
    default:
      return null;
  }
}
