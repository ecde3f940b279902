/**
 * One request/response pair plus the helpers every route uses to answer it, so that all
 * responses carry an X-Request-Id, errors have the Hub's shape, and the request log entry
 * is completed at the moment the status is decided.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import { HubError } from './errors';
import type { RequestLogEntry } from './request-log';

export class Ctx {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly url: URL,
    /** Base URL for links we hand out (LFS upload hrefs, pagination, commit URLs). */
    readonly origin: string,
    readonly entry: RequestLogEntry,
    private readonly started: number,
  ) {}

  get method(): string {
    return this.req.method ?? 'GET';
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** The whole request body, refusing more than `limit` bytes (413, like a proxy would). */
  async body(limit: number): Promise<Buffer> {
    const declared = Number(this.header('content-length') ?? 0);
    if (declared > limit) throw new HubError(413, `Request body too large (limit ${limit} bytes)`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new HubError(413, `Request body too large (limit ${limit} bytes)`);
      chunks.push(chunk);
    }
    this.entry.requestBytes = size;
    return Buffer.concat(chunks);
  }

  /** Parse a JSON body with a zod schema; malformed input is a 400 with zod's explanation. */
  async json<S extends z.ZodType>(schema: S, limit = 16 * 1024 * 1024): Promise<z.output<S>> {
    const text = (await this.body(limit)).toString('utf8');
    let value: unknown;
    try {
      value = text ? JSON.parse(text) : {};
    } catch {
      throw new HubError(400, 'Malformed JSON body');
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new HubError(400, `Invalid request body: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  private head(status: number, headers: OutgoingHttpHeaders): void {
    this.entry.status = status;
    this.entry.ms = Math.round((performance.now() - this.started) * 10) / 10;
    this.entry.responseBytes = this.method === 'HEAD' ? 0 : Number(headers['Content-Length'] ?? 0);
    this.res.writeHead(status, { 'X-Request-Id': `local-${this.entry.seq}`, ...headers });
  }

  send(status: number, body: string | Buffer = '', headers: OutgoingHttpHeaders = {}): void {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    // 304 carries no body and must not announce one.
    this.head(status, status === 304 ? headers : { 'Content-Length': buf.byteLength, ...headers });
    this.res.end(this.method === 'HEAD' ? undefined : buf);
  }

  sendJson(status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
    this.send(status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  }

  /** Stream bytes [start, end] of a file (end inclusive). */
  async sendFile(status: number, path: string, range: { start: number; end: number } | null, headers: OutgoingHttpHeaders): Promise<void> {
    this.head(status, headers);
    const length = Number(headers['Content-Length'] ?? 1);
    if (this.method === 'HEAD' || length === 0) return void this.res.end();
    await pipeline(createReadStream(path, range ?? {}), this.res);
  }

  sendError(err: unknown): void {
    if (this.res.headersSent) {
      // Too late for a status: cut the connection so the client sees a truncated body, not a short file.
      this.res.destroy();
      return;
    }
    if (err instanceof HubError) {
      const headers: OutgoingHttpHeaders = { 'X-Error-Message': headerSafe(err.message) };
      if (err.code) headers['X-Error-Code'] = err.code;
      this.sendJson(err.status, { error: err.message }, headers);
      return;
    }
    console.error('local-hub: unexpected error', err);
    this.sendJson(500, { error: 'Internal error in local-hub' });
  }
}

/** Header values must be Latin-1 without newlines. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
