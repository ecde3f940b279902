/**
 * A local stand-in for the Hugging Face Hub's HTTP API: enough of it that @huggingface/hub
 * (createRepo, commit/uploadFile(s)/deleteFile, downloadFile, fileDownloadInfo, modelInfo,
 * datasetInfo, repoExists, listFiles, listCommits, pathsInfo, snapshotDownload, ...) runs
 * unchanged against it with only `hubUrl` / HF_ENDPOINT pointing here.
 *
 *   const hub = await startLocalHub({ dir });          // port 0 = any free port
 *   await uploadFile({ repo, file, accessToken: 'hf_x', hubUrl: hub.url });
 *   hub.requests.count({ route: 'lfs-upload' });      // what the client really sent
 *   hub.faults.failNext(3);                           // the next 3 requests answer 500
 *   await hub.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin } from './admin';
import type { HubEnv } from './env';
import { Faults, type FaultRuleInput } from './faults';
import { HubError } from './errors';
import { Ctx } from './http-context';
import { LfsSigner, lfsBatch, lfsDownload, lfsUpload } from './lfs';
import { redactQuery, RequestLog, type RequestLogEntry } from './request-log';
import { matchRoute, segmentsOf, type Route } from './router';
import { commit, preupload } from './routes-commit';
import { commits, pathsInfo, tree } from './routes-files';
import { createBranch, createRepo, deleteBranch, deleteRepo, repoInfo, whoami } from './routes-repo';
import { resolveFile } from './routes-resolve';
import { RepoStore } from './storage';
import { DEFAULT_LFS_THRESHOLD } from './upload-mode';

export interface LocalHubOptions {
  /** Where repos live; created if missing. Reusing a directory keeps everything across restarts. */
  dir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** If set, the only bearer token accepted for writes (and for private repos). Otherwise any token is. */
  token?: string;
  /** Fault rules active from the start. */
  faults?: FaultRuleInput[];
  /** Tree listing page size (the Hub's is 1000); small values exercise the client's pagination. */
  pageSize?: number;
  /** Size above which files must go through LFS (default 10 MiB). */
  lfsThreshold?: number;
  /** Commit author and whoami name. */
  user?: string;
  /** Base URL to hand out in links, if clients reach the hub through another address (a proxy, a container). */
  publicUrl?: string;
  /** Called once per finished request (admin calls excluded), e.g. to print a log line. */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface LocalHub {
  /** Base URL to pass as `hubUrl` / HF_ENDPOINT, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  dir: string;
  faults: Faults;
  requests: RequestLog;
  close(): Promise<void>;
}

export async function startLocalHub(options: LocalHubOptions): Promise<LocalHub> {
  const dir = resolve(options.dir);
  const store = new RepoStore(dir);
  await store.init();
  const env: HubEnv = {
    store,
    token: options.token || undefined,
    user: options.user ?? 'local',
    lfsThreshold: options.lfsThreshold ?? DEFAULT_LFS_THRESHOLD,
    pageSize: options.pageSize ?? 1000,
    signer: new LfsSigner(),
    faults: new Faults().inject(...(options.faults ?? [])),
    requests: new RequestLog(),
  };

  const server = createServer((req, res) => {
    handle(req, res, env, options).catch((err) => {
      console.error('local-hub: request failed', err);
      res.destroy();
    });
  });
  // Big LFS uploads can take a while on slow disks; don't let Node's default timeouts cut them.
  server.requestTimeout = 0;
  // Outlive the clients' idle keep-alive (undici: 4 s) so the client closes an idle socket first; with Node's
  // 5 s default a delayed timer could close a socket the client had just reused, and its request got ECONNRESET.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${port}`;

  return {
    url,
    port,
    dir,
    faults: env.faults,
    requests: env.requests,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.close((err) => (err ? fail(err) : ok()));
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, env: HubEnv, options: LocalHubOptions): Promise<void> {
  const started = performance.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://local-hub.invalid');
  const segments = segmentsOf(url.pathname);
  const route = segments ? matchRoute(method, segments) : null;

  if (route?.name === 'admin-faults' || route?.name === 'admin-requests') {
    return handleAdmin(req, res, url, env, route.name === 'admin-faults' ? 'faults' : 'requests');
  }

  const entry = env.requests.start({ method, path: url.pathname, query: redactQuery(url.searchParams), route: route?.name ?? 'unknown' });
  res.on('close', () => {
    if (!entry.ms) entry.ms = Math.round((performance.now() - started) * 10) / 10;
    options.onRequest?.(entry);
  });
  const origin = options.publicUrl?.replace(/\/+$/, '') ?? `http://${req.headers.host ?? 'localhost'}`;
  const ctx = new Ctx(req, res, url, origin, entry, started);

  const fault = env.faults.take({ method, path: url.pathname, route: entry.route });
  if (fault) {
    entry.fault = fault.mode === 'delay' ? 'delay' : fault.mode === 'status' ? 'status' : 'drop';
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.mode === 'drop' || fault.mode === 'down') {
      req.socket.destroy();
      return;
    }
    if (fault.mode === 'status') {
      ctx.sendError(new HubError(fault.status, fault.message));
      return;
    }
  }

  try {
    if (!segments) throw new HubError(400, 'Malformed URL encoding');
    if (!route) throw new HubError(404, 'Not found');
    await dispatch(ctx, env, route);
  } catch (err) {
    ctx.sendError(err);
  }
}

function dispatch(ctx: Ctx, env: HubEnv, route: Route): Promise<void> | void {
  switch (route.name) {
    case 'create-repo':
      return createRepo(ctx, env);
    case 'delete-repo':
      return deleteRepo(ctx, env);
    case 'whoami':
      return whoami(ctx, env);
    case 'repo-info':
      return repoInfo(ctx, env, route.repo, route.rev);
    case 'tree':
      return tree(ctx, env, route.repo, route.rev, route.path);
    case 'paths-info':
      return pathsInfo(ctx, env, route.repo, route.rev);
    case 'commits':
      return commits(ctx, env, route.repo, route.rev);
    case 'preupload':
      return preupload(ctx, env, route.repo, route.rev);
    case 'commit':
      return commit(ctx, env, route.repo, route.rev);
    case 'create-branch':
      return createBranch(ctx, env, route.repo, route.branch);
    case 'delete-branch':
      return deleteBranch(ctx, env, route.repo, route.branch);
    case 'lfs-batch':
      return lfsBatch(ctx, env, route.repo);
    case 'lfs-upload':
      return lfsUpload(ctx, env, route.repo, route.oid);
    case 'lfs-download':
      return lfsDownload(ctx, env, route.repo, route.oid);
    case 'resolve':
    case 'raw':
      return resolveFile(ctx, env, route.repo, route.rev, route.path, route.name === 'raw');
    case 'admin-faults':
    case 'admin-requests':
      throw new HubError(500, 'admin routes are handled before dispatch');
  }
}

export type { RequestLogEntry, RequestFilter } from './request-log';
export type { FaultRuleInput } from './faults';
