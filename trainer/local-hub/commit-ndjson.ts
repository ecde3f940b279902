/**
 * The body of `POST /api/{type}s/{repo}/commit/{rev}`: NDJSON, one `{"key", "value"}` per line.
 * First a `header` (summary, description, parentCommit), then operations: `file` (content
 * inline, base64 or utf-8), `lfsFile` (an LFS object already uploaded, by sha256 oid),
 * `deletedFile`, `deletedFolder`. Parsing is strict so a client bug shows up as a 400 here
 * rather than as a strange repo later.
 */
import { z } from 'zod';
import { badRequest } from './errors';
import { validatePath } from './tree';

const headerSchema = z.object({
  summary: z.string().min(1, 'the commit needs a summary (title)'),
  description: z.string().optional(),
  parentCommit: z.string().optional(),
});

const lineSchema = z.discriminatedUnion('key', [
  z.object({ key: z.literal('header'), value: headerSchema }),
  z.object({
    key: z.literal('file'),
    value: z.object({
      path: z.string(),
      content: z.string().optional(),
      encoding: z.enum(['base64', 'utf-8']).default('utf-8'),
      oldPath: z.string().optional(),
    }),
  }),
  z.object({
    key: z.literal('lfsFile'),
    value: z.object({
      path: z.string(),
      algo: z.literal('sha256').optional(),
      oid: z.string().regex(/^[0-9a-f]{64}$/).optional(),
      size: z.number().int().min(0).optional(),
      oldPath: z.string().optional(),
    }),
  }),
  z.object({ key: z.literal('deletedFile'), value: z.object({ path: z.string() }) }),
  z.object({ key: z.literal('deletedFolder'), value: z.object({ path: z.string() }) }),
]);

export type CommitHeader = z.output<typeof headerSchema>;

export type CommitOperation =
  | { key: 'file'; path: string; content: Buffer }
  | { key: 'lfsFile'; path: string; oid: string; size: number }
  | { key: 'deletedFile'; path: string }
  | { key: 'deletedFolder'; path: string };

export interface ParsedCommit {
  header: CommitHeader;
  operations: CommitOperation[];
}

export function parseCommitNdjson(body: string): ParsedCommit {
  const lines = body.split('\n').filter((line) => line.trim() !== '');
  let header: CommitHeader | undefined;
  const operations: CommitOperation[] = [];
  lines.forEach((line, index) => {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw badRequest(`Commit line ${index + 1} is not JSON`);
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      throw badRequest(`Commit line ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const op = parsed.data;
    if (op.key === 'header') {
      if (index !== 0) throw badRequest('The commit header must be the first line');
      header = op.value;
      return;
    }
    if (!header) throw badRequest('The commit header must be the first line');
    if (op.key === 'deletedFolder') {
      operations.push({ key: 'deletedFolder', path: validatePath(op.value.path.replace(/\/+$/, '')) });
      return;
    }
    const path = validatePath(op.value.path);
    switch (op.key) {
      case 'file':
        // Copies/renames (oldPath) exist on the Hub but nothing in this project uses them.
        if (op.value.oldPath !== undefined || op.value.content === undefined) throw badRequest('local-hub does not support file copies (oldPath)');
        operations.push({ key: 'file', path, content: Buffer.from(op.value.content, op.value.encoding === 'base64' ? 'base64' : 'utf8') });
        return;
      case 'lfsFile':
        if (op.value.oldPath !== undefined || op.value.oid === undefined || op.value.size === undefined) {
          throw badRequest('local-hub does not support LFS copies (oldPath); lfsFile needs oid and size');
        }
        operations.push({ key: 'lfsFile', path, oid: op.value.oid, size: op.value.size });
        return;
      case 'deletedFile':
        operations.push({ key: 'deletedFile', path });
        return;
    }
  });
  if (!header) throw badRequest('Empty commit body: expected a header line');
  return { header, operations };
}
