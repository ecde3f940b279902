/**
 * Repos as plain files on disk, so a restart over the same directory keeps everything.
 *
 *   {dir}/tmp/                       scratch for atomic writes and uploads (emptied on start)
 *   {dir}/{models|datasets|spaces}/{owner}/{name}/
 *     repo.json                      type, id, visibility, creation date
 *     refs.json                      {"branches": {"main": "<commit sha>"}}
 *     commits/<sha>.json             one immutable snapshot per commit: parents, message, date, full tree
 *     blobs/<aa>/<git-blob-sha1>     regular file contents, content-addressed
 *     lfs/<aa>/<bb>/<sha256>         LFS objects, content-addressed
 *
 * Contents are written first under their content address (an orphan is harmless), then the
 * commit file, then refs.json is replaced by rename: that rename is the commit point, so a
 * commit lands whole or not at all. Writers to one repo are serialised in-process (one server
 * per directory).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HubError, repoNotFound, revisionNotFound } from './errors';
import { gitBlobSha1, isSha1, lfsPointer, sha1Hex } from './hashing';
import { applyOps, type TreeOp } from './tree';
import { DEFAULT_GITATTRIBUTES } from './upload-mode';
import { DEFAULT_BRANCH, repoId, type CommitRecord, type RepoMeta, type RepoRef, type TreeFile } from './types';

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

/** Owner and name as the Hub allows them; this also keeps every path inside `dir`. */
const NAME = /^(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;

export class RepoStore {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly commitCache = new Map<string, CommitRecord>();

  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await rm(join(this.dir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.dir, 'tmp'), { recursive: true });
  }

  /** A fresh path in the scratch area (same filesystem as the repos, so rename is atomic). */
  tmpPath(): string {
    return join(this.dir, 'tmp', randomBytes(12).toString('hex'));
  }

  repoDir(ref: RepoRef): string {
    for (const part of [ref.owner, ref.name]) {
      if (!NAME.test(part) || part.endsWith('.git')) throw new HubError(400, `Invalid repo name: ${ref.owner}/${ref.name}`);
    }
    return join(this.dir, `${ref.type}s`, ref.owner, ref.name);
  }

  lfsPath(ref: RepoRef, oid: string): string {
    return join(this.repoDir(ref), 'lfs', oid.slice(0, 2), oid.slice(2, 4), oid);
  }

  /** Where the bytes of `file` live on disk (the LFS object, or the regular blob). */
  contentPath(ref: RepoRef, file: TreeFile): string {
    return file.lfs ? this.lfsPath(ref, file.lfs.oid) : this.blobPath(ref, file.oid);
  }

  async meta(ref: RepoRef): Promise<RepoMeta> {
    const text = await readFile(join(this.repoDir(ref), 'repo.json'), 'utf8').catch(() => null);
    if (text === null) throw repoNotFound();
    return JSON.parse(text) as RepoMeta;
  }

  /** Branch name (`HEAD` = the default branch) or full commit sha → that commit. */
  async commitAt(ref: RepoRef, rev: string): Promise<CommitRecord> {
    const refs = await this.readRefs(ref);
    const sha = refs.branches[rev === 'HEAD' ? DEFAULT_BRANCH : rev] ?? (isSha1(rev) ? rev : undefined);
    const commit = sha && (await this.tryCommit(ref, sha));
    if (!commit) throw revisionNotFound(rev);
    return commit;
  }

  /** First-parent history from `sha`, newest first. */
  async *history(ref: RepoRef, sha: string): AsyncGenerator<CommitRecord> {
    for (let next: string | undefined = sha; next; ) {
      const commit = await this.tryCommit(ref, next);
      if (!commit) throw revisionNotFound(next);
      yield commit;
      next = commit.parents[0];
    }
  }

  async hasLfs(ref: RepoRef, oid: string, size: number): Promise<boolean> {
    const info = await stat(this.lfsPath(ref, oid)).catch(() => null);
    return info !== null && info.size === size;
  }

  /** Store a regular file's bytes under their git blob sha1 and describe it as a tree entry. */
  async putBlob(ref: RepoRef, bytes: Uint8Array): Promise<TreeFile> {
    const oid = gitBlobSha1(bytes);
    const path = this.blobPath(ref, oid);
    if (!(await stat(path).catch(() => null))) await this.writeAtomic(path, bytes);
    return { oid, size: bytes.byteLength };
  }

  /** Tree entry for an LFS object already in the store (the commit refers to it by sha256). */
  async lfsEntry(ref: RepoRef, oid: string, size: number, path: string): Promise<TreeFile> {
    if (!(await this.hasLfs(ref, oid, size))) {
      throw new HubError(400, `LFS object for ${path} was never uploaded: send it through the LFS batch API before committing`);
    }
    const pointer = Buffer.from(lfsPointer(oid, size));
    return { oid: gitBlobSha1(pointer), size, lfs: { oid, size, pointerSize: pointer.byteLength } };
  }

  /** Move a verified upload (a file in tmp/) into the LFS store. */
  async adoptLfs(ref: RepoRef, oid: string, tmpFile: string): Promise<void> {
    const path = this.lfsPath(ref, oid);
    await mkdir(dirname(path), { recursive: true });
    await rename(tmpFile, path);
  }

  /** A new repo whose first commit holds the Hub's default `.gitattributes`; 409 if it exists. */
  async createRepo(ref: RepoRef, opts: { private: boolean; author: string }): Promise<void> {
    const final = this.repoDir(ref);
    await this.withLock(ref, async () => {
      if (await stat(final).catch(() => null)) throw new HubError(409, `You already created this ${ref.type} repo`);
      // Built in scratch, then renamed into place: it appears complete or not at all.
      const staging = this.tmpPath();
      const attributes = Buffer.from(DEFAULT_GITATTRIBUTES);
      const oid = gitBlobSha1(attributes);
      const commit = makeCommit({ parents: [], title: 'initial commit', message: '', tree: { '.gitattributes': { oid, size: attributes.byteLength } }, author: opts.author });
      const meta: RepoMeta = { type: ref.type, id: repoId(ref), private: opts.private, createdAt: commit.date };
      await this.writeAtomic(join(staging, 'blobs', oid.slice(0, 2), oid), attributes);
      await this.writeAtomic(join(staging, 'commits', `${commit.id}.json`), JSON.stringify(commit));
      await this.writeAtomic(join(staging, 'refs.json'), JSON.stringify({ branches: { [DEFAULT_BRANCH]: commit.id } } satisfies Refs));
      await this.writeAtomic(join(staging, 'repo.json'), JSON.stringify(meta));
      await mkdir(dirname(final), { recursive: true });
      await rename(staging, final);
    });
  }

  /**
   * Apply operations on top of `branch` as one new commit. `parentCommit` is the Hub's optimistic
   * concurrency check: if the branch has moved since the caller read it, fail with 412.
   */
  async commit(ref: RepoRef, branch: string, input: CommitInput): Promise<CommitRecord> {
    return this.withLock(ref, async () => {
      const refs = await this.readRefs(ref);
      const head = refs.branches[branch];
      if (!head) throw revisionNotFound(branch);
      if (input.parentCommit && input.parentCommit !== head) throw new HubError(412, 'A commit has happened since. Please refresh and try again.');
      const parent = await this.commitAt(ref, head);
      const commit = makeCommit({ parents: [head], title: input.title, message: input.message, tree: applyOps(parent.tree, input.ops), author: input.author });
      await this.writeAtomic(join(this.repoDir(ref), 'commits', `${commit.id}.json`), JSON.stringify(commit));
      refs.branches[branch] = commit.id;
      await this.writeAtomic(this.refsPath(ref), JSON.stringify(refs));
      return commit;
    });
  }

  private blobPath(ref: RepoRef, oid: string): string {
    return join(this.repoDir(ref), 'blobs', oid.slice(0, 2), oid);
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
    const path = join(this.repoDir(ref), 'commits', `${sha}.json`);
    const cached = this.commitCache.get(path);
    if (cached) return cached;
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text === null) return null;
    const commit = JSON.parse(text) as CommitRecord;
    this.commitCache.set(path, commit); // commits are immutable: caching them is always safe
    return commit;
  }

  private async writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = this.tmpPath();
    await writeFile(tmp, data);
    await rename(tmp, path);
  }

  /** Run `fn` after every earlier locked call on the same repo has settled. */
  private async withLock<T>(ref: RepoRef, fn: () => Promise<T>): Promise<T> {
    const key = `${ref.type}:${repoId(ref)}`;
    const run = (this.locks.get(key) ?? Promise.resolve()).then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }
}

/** A commit's id: sha1 over everything that defines it, so it is deterministic and unique per parent. */
function makeCommit(fields: Omit<CommitRecord, 'id' | 'date'>): CommitRecord {
  const date = new Date().toISOString();
  const tree = Object.keys(fields.tree)
    .sort()
    .map((path) => [path, fields.tree[path].oid]);
  const id = sha1Hex(JSON.stringify([fields.parents, fields.title, fields.message, fields.author, date, tree]));
  return { id, ...fields, date };
}
