/**
 * A record of every request the hub answered (admin calls excluded), so tests can count what a
 * client really sent: "a version check costs one small request", "the model went through LFS".
 * Entries are created when a request arrives and completed when its response starts, so the
 * count is already right by the time the client sees an answer.
 */

export interface RequestLogEntry {
  seq: number;
  time: string;
  method: string;
  /** URL path; the query string is separate, with LFS upload signatures redacted. */
  path: string;
  query: string;
  /** Route name, e.g. `preupload`, `lfs-batch`, `lfs-upload`, `commit`, `resolve`, `repo-info`, `unknown`. */
  route: string;
  /** 0 while in flight, and for connections the fault injector dropped. */
  status: number;
  ms: number;
  requestBytes: number;
  responseBytes: number;
  fault?: 'status' | 'drop' | 'delay';
  /** Route-specific facts worth asserting on (LFS transfers offered/chosen, commit sha, ...). */
  detail?: Record<string, unknown>;
}

export interface RequestFilter {
  method?: string;
  route?: string | string[];
  /** Substring of, or pattern for, the path. */
  path?: string | RegExp;
  since?: number;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly limit = 10_000) {}

  start(init: Pick<RequestLogEntry, 'method' | 'path' | 'query' | 'route'>): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: ++this.seq,
      time: new Date().toISOString(),
      ...init,
      status: 0,
      ms: 0,
      requestBytes: 0,
      responseBytes: 0,
    };
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  /** Entries oldest first, optionally filtered. */
  list(filter: RequestFilter = {}): RequestLogEntry[] {
    return this.entries.filter((e) => matches(e, filter));
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

function matches(e: RequestLogEntry, f: RequestFilter): boolean {
  if (f.method && e.method !== f.method.toUpperCase()) return false;
  if (f.route && !(Array.isArray(f.route) ? f.route : [f.route]).includes(e.route)) return false;
  if (f.path && !(typeof f.path === 'string' ? e.path.includes(f.path) : f.path.test(e.path))) return false;
  if (f.since !== undefined && e.seq <= f.since) return false;
  return true;
}

/** Query strings as logged: anything that authorises a request is replaced by `***`. */
export function redactQuery(params: URLSearchParams): string {
  const copy = new URLSearchParams(params);
  for (const key of ['sig', 'token', 'access_token']) if (copy.has(key)) copy.set(key, '***');
  const text = copy.toString();
  return text ? `?${text}` : '';
}
