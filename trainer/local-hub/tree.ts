/**
 * Pure operations on a commit's flat tree: path rules, applying a commit's operations, and the
 * directory view the tree API lists. No I/O, so they are easy to trust.
 */
import { badRequest, entryNotFound } from './errors';
import { sha1Hex } from './hashing';
import type { Tree, TreeFile } from './types';

/** Repo-relative paths as the Hub accepts them: no empty, `.` or `..` segments, nothing under `.git/`. */
export function validatePath(path: string): string {
  const bad = path.length === 0 || path.length > 1000 || path.includes('\0');
  if (bad || path.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '.git')) throw badRequest(`Invalid path: ${JSON.stringify(path)}`);
  return path;
}

export type TreeOp = { kind: 'put'; path: string; file: TreeFile } | { kind: 'delete'; path: string };

/** Apply operations in order to a copy of `tree`; deleting something absent is an error, as on the Hub. */
export function applyOps(tree: Tree, ops: TreeOp[]): Tree {
  const next: Tree = { ...tree };
  for (const op of ops) {
    if (op.kind === 'put') next[op.path] = op.file;
    else if (!Object.hasOwn(next, op.path)) throw entryNotFound(op.path);
    else delete next[op.path];
  }
  // git cannot store a path that is both a file and a directory.
  const dirs = new Set(Object.keys(next).flatMap((p) => p.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  const clash = Object.keys(next).find((p) => dirs.has(p));
  if (clash) throw badRequest(`Path ${clash} is both a file and a directory`);
  return next;
}

export type DirEntry = { type: 'file'; path: string; file: TreeFile } | { type: 'directory'; path: string; oid: string };

/**
 * The root's direct children, or with `recursive` every file and directory. Sorted by path,
 * so a directory comes before its contents and pages are stable.
 */
export function listDir(tree: Tree, recursive: boolean): DirEntry[] {
  const files: DirEntry[] = [];
  const dirs = new Set<string>();
  for (const [path, file] of Object.entries(tree)) {
    const parts = path.split('/');
    if (recursive || parts.length === 1) files.push({ type: 'file', path, file });
    for (let i = 1; i < (recursive ? parts.length : Math.min(parts.length, 2)); i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const entries = [...files, ...[...dirs].map((path) => ({ type: 'directory' as const, path, oid: dirOid(tree, path) }))];
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A stable id for a directory's content (git would give its tree sha; any content hash serves). */
function dirOid(tree: Tree, dir: string): string {
  const lines = Object.keys(tree)
    .filter((p) => p.startsWith(dir + '/'))
    .sort()
    .map((p) => `${p} ${tree[p].oid}`);
  return sha1Hex(lines.join('\n'));
}
