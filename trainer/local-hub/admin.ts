/**
 * Test controls over HTTP, for clients in another process (the worker under wrangler dev):
 *   GET    /_admin/faults              active fault rules
 *   POST   /_admin/faults              add a rule, or an array of rules: {"status":500,"count":3}, {"mode":"down"}
 *   DELETE /_admin/faults              clear all rules
 *   GET    /_admin/requests?route=&method=&path=&since=   {count, requests} from the request log
 *   DELETE /_admin/requests            empty the log
 * Admin calls are neither logged nor subject to faults. With a configured token they need it.
 */
import type { ServerResponse, IncomingMessage } from 'node:http';
import { z } from 'zod';
import { requireWrite } from './auth';
import type { HubEnv } from './env';
import { HubError } from './errors';
import { faultRuleSchema } from './faults';

function reply(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new HubError(400, 'Malformed JSON body');
  }
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, env: HubEnv, what: 'faults' | 'requests'): Promise<void> {
  try {
    if (env.token !== undefined) requireWrite(req, env.token);
    const method = req.method ?? 'GET';
    if (what === 'faults') {
      if (method === 'GET') return reply(res, 200, { faults: env.faults.active() });
      if (method === 'DELETE') {
        env.faults.clear();
        return reply(res, 200, { faults: [] });
      }
      if (method === 'POST') {
        const parsed = z.union([faultRuleSchema, z.array(faultRuleSchema)]).safeParse(await readJson(req));
        if (!parsed.success) throw new HubError(400, `Invalid fault rule: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
        env.faults.inject(...(Array.isArray(parsed.data) ? parsed.data : [parsed.data]));
        return reply(res, 200, { faults: env.faults.active() });
      }
    } else {
      if (method === 'GET') {
        const q = url.searchParams;
        const since = q.get('since');
        const requests = env.requests.list({
          route: q.getAll('route').length ? q.getAll('route') : undefined,
          method: q.get('method') ?? undefined,
          path: q.get('path') ?? undefined,
          since: since === null ? undefined : Number(since),
        });
        return reply(res, 200, { count: requests.length, lastSeq: env.requests.lastSeq, requests });
      }
      if (method === 'DELETE') {
        env.requests.clear();
        return reply(res, 200, { count: 0 });
      }
    }
    reply(res, 405, { error: 'Method not allowed' });
  } catch (err) {
    if (err instanceof HubError) reply(res, err.status, { error: err.message });
    else reply(res, 500, { error: 'Internal error in local-hub' });
  }
}
