/** The local Hub's data model: repos, and commits that each snapshot a flat file tree. */

export type RepoType = 'model' | 'dataset' | 'space';

export interface RepoRef {
  type: RepoType;
  owner: string;
  name: string;
}

/** One file in a commit's tree. `oid` is the git blob sha1 of what git would store (the pointer, for LFS). */
export interface TreeFile {
  oid: string;
  size: number;
  lfs?: { oid: string; size: number; pointerSize: number };
}

/** Flat map path → file. Directories are implied by the paths, as in the Hub's API. */
export type Tree = Record<string, TreeFile>;

export interface CommitRecord {
  id: string;
  parents: string[];
  title: string;
  message: string;
  date: string;
  author: string;
  tree: Tree;
}

export interface RepoMeta {
  type: RepoType;
  id: string;
  private: boolean;
  createdAt: string;
}

export const repoId = (ref: RepoRef): string => `${ref.owner}/${ref.name}`;

/** The URL prefix of a repo's git-side routes: models have none, datasets `datasets/`, spaces `spaces/`. */
export const urlPrefix = (type: RepoType): string => (type === 'model' ? '' : `${type}s/`);

export const DEFAULT_BRANCH = 'main';

/** The author of every commit, as the Hub would show the token's user. */
export const AUTHOR = 'local';
