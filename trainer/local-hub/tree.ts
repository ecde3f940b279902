/**
 * Pure operations on a commit's flat tree: path rules, applying a commit's operations,
 * and deriving the directory view the tree API lists. No I/O, so they are easy to trust.
 */
import { badRequest, entryNotFound, HubError } from './errors';
import { sha1Hex } from './hashing';
import type { Tree, TreeFile } from './types';

/** Repo-relative paths as the Hub accepts them: no empty, `.` or `..` segments, nothing under `.git/`. */
export function validatePath(path: string): string {
  if (typeof path !== 'string' || path.length === 0 || path.length > 1000) throw badRequest(`Invalid path: ${JSON.stringify(path)}`);
  if (path.includes('\0') || path.startsWith('/') || path.endsWith('/')) throw badRequest(`Invalid path: ${path}`);
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..' || segment === '.git') throw badRequest(`Invalid path: ${path}`);
  }
  return path;
}

export type TreeOp =
  | { kind: 'put'; path: string; file: TreeFile }
  | { kind: 'delete'; path: string }
  | { kind: 'deleteFolder'; path: string };

/** Apply operations in order to a copy of `tree`; deleting something absent is an error, as on the Hub. */
export function applyOps(tree: Tree, ops: TreeOp[]): Tree {
  const next: Tree = { ...tree };
  for (const op of ops) {
    if (op.kind === 'put') next[op.path] = op.file;
    else if (op.kind === 'delete') {
      if (!(op.path in next)) throw entryNotFound(op.path);
      delete next[op.path];
    } else {
      const prefix = op.path.replace(/\/+$/, '') + '/';
      const victims = Object.keys(next).filter((p) => p.startsWith(prefix));
      if (victims.length === 0) throw entryNotFound(op.path);
      for (const p of victims) delete next[p];
    }
  }
  assertNoFileDirClash(next);
  return next;
}

/** A path cannot be both a file and a directory (git cannot represent it). */
export function assertNoFileDirClash(tree: Tree): void {
  const dirs = new Set<string>();
  for (const path of Object.keys(tree)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const path of Object.keys(tree)) {
    if (dirs.has(path)) throw new HubError(400, `Path ${path} is both a file and a directory`);
  }
}

export type DirEntry = { type: 'file'; path: string; file: TreeFile } | { type: 'directory'; path: string };

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export const isDirectory = (tree: Tree, dir: string): boolean =>
  dir === '' || Object.keys(tree).some((p) => p.startsWith(dir + '/'));

/**
 * Entries under `dir` ('' = root): its direct children, or with `recursive` every file and
 * directory below it. Sorted by path, so a directory comes before its contents and pages are stable.
 */
export function listDir(tree: Tree, dir: string, recursive: boolean): DirEntry[] {
  const prefix = dir === '' ? '' : dir + '/';
  const files: DirEntry[] = [];
  const dirs = new Set<string>();
  for (const [path, file] of Object.entries(tree)) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length).split('/');
    if (recursive) {
      files.push({ type: 'file', path, file });
      for (let i = 1; i < rest.length; i++) dirs.add(prefix + rest.slice(0, i).join('/'));
    } else if (rest.length === 1) files.push({ type: 'file', path, file });
    else dirs.add(prefix + rest[0]);
  }
  const entries: DirEntry[] = [...files, ...[...dirs].map((path) => ({ type: 'directory' as const, path }))];
  return entries.sort(byPath);
}

/** A stable id for a directory's content (git would give its tree sha; any content hash serves). */
export function dirOid(tree: Tree, dir: string): string {
  const prefix = dir + '/';
  const lines = Object.keys(tree)
    .filter((p) => p.startsWith(prefix))
    .sort()
    .map((p) => `${p} ${tree[p].oid}`);
  return sha1Hex(lines.join('\n'));
}

/** Did the file or folder at `path` change between two trees? (drives `lastCommit`.) */
export function pathChanged(before: Tree | undefined, after: Tree, path: string): boolean {
  const a = before?.[path];
  const b = after[path];
  if (a || b) return a?.oid !== b?.oid;
  const prefix = path + '/';
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)].filter((p) => p.startsWith(prefix)));
  for (const key of keys) if (before?.[key]?.oid !== after[key]?.oid) return true;
  return false;
}
