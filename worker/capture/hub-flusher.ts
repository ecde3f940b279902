/**
 * One flush: the oldest buffered records → one JSONL shard per kind → ONE commit to the dataset
 * repo → only then remove exactly those ids. Anything appended meanwhile is not in the snapshot
 * and stays. Delivery is at-least-once: if the commit lands but the answer is lost (or remove()
 * fails), the same records go out again in a later shard, and readers dedupe by `id`.
 */
import { commit, createRepo, HubApiError, type CommitFile } from '@huggingface/hub';
import { shardPath, type CaptureRecord, type RecordKind } from '../../shared/feedback-record';
import { describeError } from './redact';
import type { RecordBuffer } from './record-buffer';

export interface HubTarget {
  /** HF_ENDPOINT; the client's default (the public Hub) if absent. */
  hubUrl?: string;
  /** HF_TOKEN, with write access to the repo. */
  accessToken: string;
  repo: { type: 'dataset'; name: string };
}

export interface FlushOptions {
  buffer: RecordBuffer;
  hub: HubTarget;
  /** At most this many records per commit (oldest first). */
  maxRecords: number;
  fetch?: typeof fetch;
  /** Clock (ms since epoch), for shard paths. */
  now?: () => number;
  /** Abort the Hub calls after this long (default 2 min), so a hung flush cannot hold the lease forever. */
  timeoutMs?: number;
  /** Visibility of the dataset repo if this flush has to create it. Default private: it holds user text. */
  createVisibility?: 'private' | 'public';
}

export interface ShardInfo {
  path: string;
  kind: RecordKind;
  records: number;
  bytes: number;
}

export interface FlushResult {
  /** Records committed and removed from the buffer (0: nothing to do, no request made). */
  records: number;
  shards: ShardInfo[];
  commit: string | null;
  createdRepo: boolean;
  ms: number;
}

/** A failed flush. `committed`: the commit landed but the buffer could not be trimmed (a rate-limit slot was used). */
export class FlushError extends Error {
  override name = 'FlushError';
  constructor(
    message: string,
    readonly committed: boolean,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;

export async function flushOnce(options: FlushOptions): Promise<FlushResult> {
  const { buffer, hub, maxRecords } = options;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new RangeError(`maxRecords must be a positive integer, got ${maxRecords}`);
  const now = options.now ?? Date.now;
  const started = now();
  const secrets = [hub.accessToken];

  const records = await buffer.oldest(maxRecords);
  if (records.length === 0) return { records: 0, shards: [], commit: null, createdRepo: false, ms: 0 };

  const date = new Date(started);
  const flushId = newFlushId();
  const { files, shards } = buildShards(records, date, flushId);
  const counts = shards.map((s) => `${s.records} ${s.kind}`).join(', ');
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const common = { hubUrl: hub.hubUrl, accessToken: hub.accessToken, fetch: options.fetch };
  const push = () =>
    commit({
      ...common,
      repo: hub.repo,
      title: `Capture ${counts}`,
      description: `flush ${flushId}: ${records.length} records, ids ${records[0].id} … ${records[records.length - 1].id}`,
      operations: files,
      abortSignal: signal,
    });

  let createdRepo = false;
  let output: Awaited<ReturnType<typeof commit>>;
  try {
    try {
      output = await push();
    } catch (err) {
      // First flush into a new repo: create it, then commit once more. A 404 means nothing was committed.
      if (!(err instanceof HubApiError && err.statusCode === 404)) throw err;
      createdRepo = await ensureRepo(options);
      output = await push();
    }
  } catch (err) {
    throw new FlushError(`commit of ${records.length} records failed: ${describeError(err, secrets)}`, false);
  }

  try {
    await buffer.remove(records.map((r) => r.id));
  } catch (err) {
    throw new FlushError(`committed ${output?.commit.oid ?? '?'} but could not remove ${records.length} records from the buffer (they will be sent again; readers dedupe by id): ${describeError(err, secrets)}`, true);
  }
  return { records: records.length, shards, commit: output?.commit.oid ?? null, createdRepo, ms: now() - started };
}

/** One JSONL file per kind present, each line one record, in buffer order. */
export function buildShards(records: readonly CaptureRecord[], date: Date, flushId: string): { files: CommitFile[]; shards: ShardInfo[] } {
  const byKind = new Map<RecordKind, string[]>();
  for (const record of records) {
    const lines = byKind.get(record.kind) ?? [];
    lines.push(JSON.stringify(record));
    byKind.set(record.kind, lines);
  }
  const files: CommitFile[] = [];
  const shards: ShardInfo[] = [];
  for (const [kind, lines] of byKind) {
    const path = shardPath(kind, date, flushId);
    const content = new Blob([lines.join('\n') + '\n'], { type: 'application/jsonl' });
    files.push({ operation: 'addOrUpdate', path, content });
    shards.push({ path, kind, records: lines.length, bytes: content.size });
  }
  return { files, shards };
}

async function ensureRepo(options: FlushOptions): Promise<boolean> {
  try {
    await createRepo({
      repo: options.hub.repo,
      accessToken: options.hub.accessToken,
      hubUrl: options.hub.hubUrl,
      fetch: options.fetch,
      visibility: options.createVisibility ?? 'private',
    });
    return true;
  } catch (err) {
    // Another flusher (or a person) created it in the meantime.
    if (err instanceof HubApiError && err.statusCode === 409) return false;
    throw err;
  }
}

/** 10 random base-36 characters: unique enough to keep two same-millisecond shards apart. */
function newFlushId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => (b % 36).toString(36)).join('');
}
