/**
 * Repos as plain files on disk, so a restart over the same directory keeps everything.
 *
 *   {dir}/tmp/                       scratch for atomic writes and uploads (emptied on start)
 *   {dir}/{models|datasets}/{owner}/{name}/
 *     repo.json                      type, id, visibility, creation date
 *     refs.json                      {"branches": {"main": "<commit sha>"}}
 *     commits/<sha>.json             one immutable snapshot per commit: parents, message, date, full tree
 *     blobs/<aa>/<git-blob-sha1>     regular file contents, content-addressed
 *     lfs/<aa>/<bb>/<sha256>         LFS objects, content-addressed
 *
 * Atomicity: contents are written first under their content address (an orphan is harmless),
 * then the commit file, then refs.json is replaced by rename. That rename is the commit point,
 * so a commit lands whole or not at all, and readers never see half of one.
 * Writers to one repo are serialised in-process (one server per directory).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HubError, repoNotFound, revisionNotFound } from './errors';
import { DEFAULT_GITATTRIBUTES } from './gitattributes';
import { gitBlobSha1, isSha1, lfsPointer, sha1Hex } from './hashing';
import { applyOps, type TreeOp } from './tree';
import { DEFAULT_BRANCH, repoId, type CommitRecord, type RepoMeta, type RepoRef, type Tree, type TreeFile } from './types';

interface Refs {
  branches: Record<string, string>;
}

export interface CommitInput {
  title: string;
  message: string;
  parentCommit?: string;
  ops: TreeOp[];
  author: string;
}

const NAME = /^(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;
const BRANCH = /^(?!.*\.\.)(?![0-9a-f]{40}$)[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Owner and name as the Hub allows them (letters, digits, `-`, `_`, `.`); also keeps paths inside `dir`. */
export function assertRepoRef(ref: RepoRef): void {
  for (const part of [ref.owner, ref.name]) {
    if (!NAME.test(part) || part.endsWith('.git')) throw new HubError(400, `Invalid repo name: ${ref.owner}/${ref.name}`);
  }
}

export function assertBranchName(branch: string): void {
  if (!BRANCH.test(branch)) throw new HubError(400, `Invalid branch name: ${branch}`);
}

export class RepoStore {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly commitCache = new Map<string, CommitRecord>();

  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true });
  }

  get tmpDir(): string {
    return join(this.dir, 'tmp');
  }

  /** A fresh path in the scratch area (same filesystem as the repos, so rename is atomic). */
  tmpPath(): string {
    return join(this.tmpDir, randomBytes(12).toString('hex'));
  }

  repoDir(ref: RepoRef): string {
    assertRepoRef(ref);
    return join(this.dir, `${ref.type}s`, ref.owner, ref.name);
  }

  blobPath(ref: RepoRef, oid: string): string {
    return join(this.repoDir(ref), 'blobs', oid.slice(0, 2), oid);
  }

  lfsPath(ref: RepoRef, oid: string): string {
    return join(this.repoDir(ref), 'lfs', oid.slice(0, 2), oid.slice(2, 4), oid);
  }

  // ---- reads -------------------------------------------------------------------------------

  async meta(ref: RepoRef): Promise<RepoMeta> {
    const text = await readFile(join(this.repoDir(ref), 'repo.json'), 'utf8').catch(() => null);
    if (text === null) throw repoNotFound();
    return JSON.parse(text) as RepoMeta;
  }

  async branches(ref: RepoRef): Promise<Record<string, string>> {
    return (await this.readRefs(ref)).branches;
  }

  /** Branch name (`HEAD` = default branch) or full commit sha → commit sha. */
  async resolve(ref: RepoRef, rev: string): Promise<{ sha: string; branch?: string }> {
    const refs = await this.readRefs(ref);
    const branch = rev === 'HEAD' ? DEFAULT_BRANCH : rev.replace(/^refs\/heads\//, '');
    if (refs.branches[branch]) return { sha: refs.branches[branch], branch };
    if (isSha1(rev) && (await this.tryCommit(ref, rev))) return { sha: rev };
    throw revisionNotFound(rev);
  }

  async commitAt(ref: RepoRef, rev: string): Promise<CommitRecord> {
    return this.getCommit(ref, (await this.resolve(ref, rev)).sha);
  }

  async getCommit(ref: RepoRef, sha: string): Promise<CommitRecord> {
    const commit = await this.tryCommit(ref, sha);
    if (!commit) throw revisionNotFound(sha);
    return commit;
  }

  /** First-parent history from `sha`, newest first. */
  async *history(ref: RepoRef, sha: string): AsyncGenerator<CommitRecord> {
    let next: string | undefined = sha;
    while (next) {
      const commit = await this.getCommit(ref, next);
      yield commit;
      next = commit.parents[0];
    }
  }

  async hasLfs(ref: RepoRef, oid: string, size: number): Promise<boolean> {
    const info = await stat(this.lfsPath(ref, oid)).catch(() => null);
    return info !== null && info.size === size;
  }

  /** Where the bytes of `file` live on disk (the LFS object, or the regular blob). */
  contentPath(ref: RepoRef, file: TreeFile): string {
    return file.lfs ? this.lfsPath(ref, file.lfs.oid) : this.blobPath(ref, file.oid);
  }

  // ---- writes ------------------------------------------------------------------------------

  /** Store a regular file's bytes under their git blob sha1 and describe it as a tree entry. */
  async putBlob(ref: RepoRef, bytes: Uint8Array): Promise<TreeFile> {
    const oid = gitBlobSha1(bytes);
    const path = this.blobPath(ref, oid);
    if (!(await exists(path))) await this.writeAtomic(path, bytes);
    return { oid, size: bytes.byteLength };
  }

  /** Tree entry for an LFS object already in the store (the commit refers to it by sha256). */
  async lfsEntry(ref: RepoRef, oid: string, size: number, path: string): Promise<TreeFile> {
    if (!(await this.hasLfs(ref, oid, size))) {
      throw new HubError(
        400,
        `Your push was rejected because an LFS pointer pointed to a file that does not exist (upload it through the LFS batch API first). Offending file: ${path}`,
      );
    }
    const pointer = lfsPointer(oid, size);
    return { oid: gitBlobSha1(pointer), size, lfs: { oid, size, pointerSize: Buffer.byteLength(pointer) } };
  }

  /** Move a verified upload (a file in tmp/) into the LFS store. */
  async adoptLfs(ref: RepoRef, oid: string, tmpFile: string): Promise<void> {
    const path = this.lfsPath(ref, oid);
    await mkdir(join(path, '..'), { recursive: true });
    await rename(tmpFile, path);
  }

  async createRepo(
    ref: RepoRef,
    opts: { private: boolean; files: Array<{ path: string; bytes: Uint8Array }>; author: string },
  ): Promise<RepoMeta> {
    const final = this.repoDir(ref);
    return this.withLock(lockKey(ref), async () => {
      if (await exists(final)) throw new HubError(409, `You already created this ${ref.type} repo`);
      // Build the whole repo in scratch, then rename it into place: it appears complete or not at all.
      const staging = this.tmpPath();
      await mkdir(staging, { recursive: true });
      const meta: RepoMeta = { type: ref.type, id: repoId(ref), private: opts.private, createdAt: new Date().toISOString() };
      const tree: Tree = {};
      const files = [{ path: '.gitattributes', bytes: Buffer.from(DEFAULT_GITATTRIBUTES[ref.type]) }, ...opts.files];
      for (const file of files) {
        const oid = gitBlobSha1(file.bytes);
        await this.writeAtomic(join(staging, 'blobs', oid.slice(0, 2), oid), file.bytes);
        tree[file.path] = { oid, size: file.bytes.byteLength };
      }
      const commit = makeCommit({ parents: [], title: 'initial commit', message: '', tree, author: opts.author });
      await this.writeAtomic(join(staging, 'commits', `${commit.id}.json`), JSON.stringify(commit));
      await this.writeAtomic(join(staging, 'refs.json'), JSON.stringify({ branches: { [DEFAULT_BRANCH]: commit.id } }));
      await this.writeAtomic(join(staging, 'repo.json'), JSON.stringify(meta));
      await mkdir(join(final, '..'), { recursive: true });
      await rename(staging, final);
      return meta;
    });
  }

  async deleteRepo(ref: RepoRef): Promise<void> {
    const dir = this.repoDir(ref);
    await this.withLock(lockKey(ref), async () => {
      await this.meta(ref);
      const trash = this.tmpPath();
      await rename(dir, trash);
      for (const key of this.commitCache.keys()) if (key.startsWith(dir + '@')) this.commitCache.delete(key);
      await rm(trash, { recursive: true, force: true });
    });
  }

  /**
   * Apply operations on top of `branch` as one new commit. `parentCommit` is the Hub's optimistic
   * concurrency check: if the branch has moved since the caller read it, fail with 412.
   */
  async commit(ref: RepoRef, branch: string, input: CommitInput): Promise<CommitRecord> {
    return this.withLock(lockKey(ref), async () => {
      const refs = await this.readRefs(ref);
      const head = refs.branches[branch];
      if (!head) throw revisionNotFound(branch);
      if (input.parentCommit && input.parentCommit !== head) {
        throw new HubError(412, 'A commit has happened since. Please refresh and try again.');
      }
      const parent = await this.getCommit(ref, head);
      const tree = applyOps(parent.tree, input.ops);
      const commit = makeCommit({ parents: [head], title: input.title, message: input.message, tree, author: input.author });
      await this.writeAtomic(this.commitPath(ref, commit.id), JSON.stringify(commit));
      refs.branches[branch] = commit.id;
      await this.writeAtomic(this.refsPath(ref), JSON.stringify(refs));
      return commit;
    });
  }

  async createBranch(
    ref: RepoRef,
    branch: string,
    opts: { startingPoint?: string; empty?: boolean; overwrite?: boolean; author: string },
  ): Promise<void> {
    assertBranchName(branch);
    await this.withLock(lockKey(ref), async () => {
      const refs = await this.readRefs(ref);
      if (refs.branches[branch] && !opts.overwrite) throw new HubError(409, `Reference already exists: ${branch}`);
      let sha: string;
      if (opts.empty) {
        const commit = makeCommit({ parents: [], title: 'initial commit', message: '', tree: {}, author: opts.author });
        await this.writeAtomic(this.commitPath(ref, commit.id), JSON.stringify(commit));
        sha = commit.id;
      } else sha = (await this.resolve(ref, opts.startingPoint ?? DEFAULT_BRANCH)).sha;
      refs.branches[branch] = sha;
      await this.writeAtomic(this.refsPath(ref), JSON.stringify(refs));
    });
  }

  async deleteBranch(ref: RepoRef, branch: string): Promise<void> {
    await this.withLock(lockKey(ref), async () => {
      const refs = await this.readRefs(ref);
      if (branch === DEFAULT_BRANCH) throw new HubError(403, 'Cannot delete the default branch');
      if (!refs.branches[branch]) throw revisionNotFound(branch);
      delete refs.branches[branch];
      await this.writeAtomic(this.refsPath(ref), JSON.stringify(refs));
    });
  }

  // ---- internals ---------------------------------------------------------------------------

  private commitPath(ref: RepoRef, sha: string): string {
    return join(this.repoDir(ref), 'commits', `${sha}.json`);
  }

  private refsPath(ref: RepoRef): string {
    return join(this.repoDir(ref), 'refs.json');
  }

  private async readRefs(ref: RepoRef): Promise<Refs> {
    const text = await readFile(this.refsPath(ref), 'utf8').catch(() => null);
    if (text === null) throw repoNotFound();
    return JSON.parse(text) as Refs;
  }

  private async tryCommit(ref: RepoRef, sha: string): Promise<CommitRecord | null> {
    if (!isSha1(sha)) return null;
    const key = `${this.repoDir(ref)}@${sha}`;
    const cached = this.commitCache.get(key);
    if (cached) return cached;
    const text = await readFile(this.commitPath(ref, sha), 'utf8').catch(() => null);
    if (text === null) return null;
    const commit = JSON.parse(text) as CommitRecord;
    this.commitCache.set(key, commit); // commits are immutable: caching them is always safe
    return commit;
  }

  private async writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
    await mkdir(join(path, '..'), { recursive: true });
    const tmp = this.tmpPath();
    await writeFile(tmp, data);
    await rename(tmp, path);
  }

  private async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }
}

const lockKey = (ref: RepoRef) => `${ref.type}:${repoId(ref)}`;

/** A commit's id: sha1 over everything that defines it, so it is deterministic and unique per parent. */
function makeCommit(fields: Omit<CommitRecord, 'id' | 'date'>): CommitRecord {
  const date = new Date().toISOString();
  const tree = Object.keys(fields.tree)
    .sort()
    .map((path) => [path, fields.tree[path].oid]);
  const id = sha1Hex(JSON.stringify([fields.parents, fields.title, fields.message, fields.author, date, tree]));
  return { id, parents: fields.parents, title: fields.title, message: fields.message, date, author: fields.author, tree: fields.tree };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
