/**
 * The Hono app: the routes @huggingface/hub calls for what this project does (the table in
 * README.md), each named for the request log and fault injection, plus `/_admin/faults`.
 */
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { requireWrite } from './auth';
import { commit, preupload } from './commit-routes';
import { badRequest, errorResponse, HubError } from './errors';
import { faultRuleSchema, type Faults } from './faults';
import { lfsBatch, lfsUpload, type LfsSigner } from './lfs';
import { commits, createRepo, repoInfo, tree } from './repo-routes';
import type { RequestLog, RequestLogEntry } from './request-log';
import { resolveFile } from './resolve';
import type { RepoStore } from './storage';
import type { RepoRef, RepoType } from './types';

/** What every handler needs besides the request. */
export interface HubDeps {
  store: RepoStore;
  /** When set, the only accepted bearer token. */
  token?: string;
  /** Entries per page in tree listings (the Hub's is 1000). */
  pageSize: number;
  signer: LfsSigner;
  faults: Faults;
  requests: RequestLog;
  /** Called with one line per request (method, path, status), e.g. console.log. */
  log?: (line: string) => void;
}

export type HubEnv = { Bindings: HttpBindings; Variables: { entry: RequestLogEntry } };
export type HubContext = Context<HubEnv>;

const TYPES = ['model', 'dataset', 'space'] as const;

/** The repo named by `:owner/:name` (a trailing `.git` stripped), of the given type or the `:types` segment's. */
export const repoOf = (c: HubContext, type?: RepoType): RepoRef => ({
  type: type ?? (c.req.param('types')!.slice(0, -1) as RepoType),
  owner: c.req.param('owner')!,
  name: c.req.param('name')!.replace(/\.git$/, ''),
});

/** A JSON body checked against `schema`; anything else is a 400 that says what is wrong. */
export async function readJson<S extends z.ZodType>(c: HubContext, schema: S): Promise<z.output<S>> {
  const body = await c.req.json().catch(() => {
    throw badRequest('Malformed JSON body');
  });
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest(`Invalid request body: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function hubApp(deps: HubDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const named = (route: string) => track(route, deps);
  const write = requireWrite(deps.token);
  const api = '/api/:types{models|datasets|spaces}/:owner/:name';

  app.post('/api/repos/create', named('create-repo'), write, (c) => createRepo(c, deps));
  app.get(api, named('repo-info'), (c) => repoInfo(c, deps, 'HEAD'));
  app.get(`${api}/revision/:rev`, named('repo-info'), (c) => repoInfo(c, deps, c.req.param('rev')));
  app.get(`${api}/tree/:rev`, named('tree'), (c) => tree(c, deps));
  app.get(`${api}/commits/:rev`, named('commits'), (c) => commits(c, deps));
  app.post(`${api}/preupload/:rev`, named('preupload'), write, (c) => preupload(c, deps));
  app.post(`${api}/commit/:rev`, named('commit'), write, (c) => commit(c, deps));
  app.put('/_lfs/:types{models|datasets|spaces}/:owner/:name/:oid', named('lfs-upload'), (c) => lfsUpload(c, deps));
  for (const type of TYPES) {
    const prefix = type === 'model' ? '' : `/${type}s`;
    app.post(`${prefix}/:owner/:name{[^/]+\\.git}/info/lfs/objects/batch`, named('lfs-batch'), write, (c) => lfsBatch(c, deps, repoOf(c, type)));
    app.get(`${prefix}/:owner/:name/resolve/:rev/:path{.+}`, named('resolve'), (c) => resolveFile(c, deps, repoOf(c, type)));
  }

  app.get('/_admin/faults', write, (c) => c.json({ faults: deps.faults.active() }));
  app.post('/_admin/faults', write, async (c) => {
    deps.faults.inject(...[await readJson(c, z.union([faultRuleSchema, z.array(faultRuleSchema)]))].flat());
    return c.json({ faults: deps.faults.active() });
  });
  app.delete('/_admin/faults', write, (c) => {
    deps.faults.clear();
    return c.json({ faults: [] });
  });

  app.notFound((c) => {
    deps.log?.(`${c.req.method} ${c.req.path} 404 (not implemented)`);
    return errorResponse(new HubError(404, `local-hub does not implement ${c.req.method} ${c.req.path} (see trainer/local-hub/README.md)`));
  });
  app.onError((err) => {
    if (err instanceof HubError) return errorResponse(err);
    if (err instanceof HTTPException) return err.getResponse();
    console.error('local-hub: unexpected error', err);
    return Response.json({ error: 'Internal error in local-hub' }, { status: 500 });
  });
  return app;
}

/** Log the request under its route name and apply any fault rule that matches it. */
function track(route: string, deps: HubDeps): MiddlewareHandler<HubEnv> {
  return async (c, next) => {
    const entry = deps.requests.start({ method: c.req.method, path: c.req.path, route });
    entry.requestBytes = Number(c.req.header('content-length') ?? 0);
    c.set('entry', entry);
    try {
      const fault = deps.faults.take(entry);
      if (fault) {
        entry.fault = fault.mode === 'status' || fault.mode === 'delay' ? fault.mode : 'drop';
        await sleep(fault.delayMs);
        if (fault.mode === 'drop' || fault.mode === 'down') {
          c.env.incoming.socket.destroy();
          return new Response(null, { status: 500 });
        }
        if (fault.mode === 'status') {
          entry.status = fault.status;
          return errorResponse(new HubError(fault.status, fault.message));
        }
      }
      await next();
      entry.status = c.res.status;
      const length = c.res.headers.get('content-length');
      entry.responseBytes = c.req.method === 'HEAD' ? 0 : length !== null ? Number(length) : (await c.res.clone().arrayBuffer()).byteLength;
    } finally {
      // The path only: the query string may hold an LFS upload signature.
      deps.log?.(`${entry.method} ${entry.path} ${entry.status || 'DROPPED'}${entry.fault ? ` [fault:${entry.fault}]` : ''}`);
    }
  };
}
