/** What every route handler gets besides the request: the store and the server's settings. */
import type { Faults } from './faults';
import type { LfsSigner } from './lfs';
import type { RequestLog } from './request-log';
import type { RepoStore } from './storage';

export interface HubEnv {
  store: RepoStore;
  /** When set, the only accepted bearer token. */
  token?: string;
  /** Name shown as the author of commits and as the whoami user. */
  user: string;
  /** Files above this size go to LFS. */
  lfsThreshold: number;
  /** Entries per page in tree listings (the Hub uses 1000). */
  pageSize: number;
  signer: LfsSigner;
  faults: Faults;
  requests: RequestLog;
}
