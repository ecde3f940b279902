/**
 * A local stand-in for the Hugging Face Hub: the part of its HTTP API this project's
 * @huggingface/hub calls use, on Hono, with repos on disk, so the product's Hub code runs
 * unchanged with only `hubUrl` / HF_ENDPOINT pointing here. See README.md.
 *
 *   const hub = await startLocalHub({ dir });          // port 0 = any free port
 *   await uploadFile({ repo, file, accessToken: 'hf_x', hubUrl: hub.url });
 *   hub.requests.count({ route: 'lfs-upload' });      // what the client really sent
 *   hub.faults.failNext(3);                           // the next 3 requests answer 500
 *   await hub.close();
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { hubApp } from './app';
import { Faults, type FaultRuleInput } from './faults';
import { LfsSigner } from './lfs';
import { RequestLog } from './request-log';
import { RepoStore } from './storage';

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
  /** Called with one line per request (method, path, status; never a header or query string). */
  log?: (line: string) => void;
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
  const faults = new Faults().inject(...(options.faults ?? []));
  const requests = new RequestLog();
  const app = hubApp({ store, token: options.token || undefined, pageSize: options.pageSize ?? 1000, signer: new LfsSigner(), faults, requests, log: options.log });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  // Big LFS uploads can take a while on slow disks; don't let Node's default timeouts cut them.
  server.requestTimeout = 0;
  // Outlive the clients' idle keep-alive (undici: 4 s) so the client closes an idle socket first; with Node's
  // 5 s default a delayed timer could close a socket the client had just reused, and its request got ECONNRESET.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', ok);
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '[::1]' : family === 'IPv6' ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    dir,
    faults,
    requests,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.close((err) => (err ? fail(err) : ok()));
        server.closeAllConnections();
      }),
  };
}

export type { RequestLogEntry, RequestFilter } from './request-log';
export type { FaultRuleInput } from './faults';
