/**
 * Errors carried to the client in the Hub's shape: JSON `{"error": "..."}` plus the
 * `X-Error-Code` / `X-Error-Message` headers @huggingface/hub reads (fileDownloadInfo
 * returns null only for `X-Error-Code: EntryNotFound`).
 */

export class HubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: 'RepoNotFound' | 'RevisionNotFound' | 'EntryNotFound',
  ) {
    super(message);
  }
}

export const repoNotFound = () => new HubError(404, 'Repository not found', 'RepoNotFound');
export const revisionNotFound = (rev: string) => new HubError(404, `Invalid rev id: ${rev}`, 'RevisionNotFound');
export const entryNotFound = (path: string) => new HubError(404, `Entry not found: ${path}`, 'EntryNotFound');
export const badRequest = (message: string) => new HubError(400, message);

/** The error as the Hub answers it. Header values must be Latin-1 without newlines. */
export function errorResponse(err: HubError): Response {
  const headers: Record<string, string> = { 'X-Error-Message': err.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 500) };
  if (err.code) headers['X-Error-Code'] = err.code;
  return Response.json({ error: err.message }, { status: err.status, headers });
}
