/**
 * Every request the hub answered (admin calls excluded), so tests can count what a client really
 * sent: "a version check costs one small request", "the model went through LFS". An entry is
 * completed before its response is sent, so counts are right by the time the client sees an answer.
 */

export interface RequestLogEntry {
  seq: number;
  method: string;
  /** URL path, without the query string (which may carry an LFS upload signature). */
  path: string;
  /** Route name: `create-repo`, `repo-info`, `tree`, `commits`, `preupload`, `lfs-batch`, `lfs-upload`, `commit`, `resolve`. */
  route: string;
  /** 0 while in flight, and for connections the fault injector dropped. */
  status: number;
  requestBytes: number;
  responseBytes: number;
  fault?: 'status' | 'drop' | 'delay';
}

export interface RequestFilter {
  method?: string;
  route?: string | string[];
  /** Substring of, or pattern for, the path. */
  path?: string | RegExp;
  /** Only entries after this sequence number (see `lastSeq`). */
  since?: number;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly limit = 10_000) {}

  start(init: Pick<RequestLogEntry, 'method' | 'path' | 'route'>): RequestLogEntry {
    const entry: RequestLogEntry = { seq: ++this.seq, ...init, status: 0, requestBytes: 0, responseBytes: 0 };
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  /** Entries oldest first, optionally filtered. */
  list(f: RequestFilter = {}): RequestLogEntry[] {
    const routes = f.route === undefined ? undefined : [f.route].flat();
    return this.entries.filter(
      (e) =>
        (!f.method || e.method === f.method.toUpperCase()) &&
        (!routes || routes.includes(e.route)) &&
        (!f.path || (typeof f.path === 'string' ? e.path.includes(f.path) : f.path.test(e.path))) &&
        (f.since === undefined || e.seq > f.since),
    );
  }

  count(filter: RequestFilter = {}): number {
    return this.list(filter).length;
  }

  /** The sequence number of the latest request: pass it as `since` to look only at what follows. */
  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries = [];
  }
}
