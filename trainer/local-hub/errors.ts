/**
 * Errors carried to the client in the Hub's shape: JSON `{"error": "..."}` plus the
 * `X-Error-Code` / `X-Error-Message` headers that @huggingface/hub and huggingface_hub read
 * (fileDownloadInfo returns null only for `X-Error-Code: EntryNotFound`).
 */

export type HubErrorCode = 'RepoNotFound' | 'RevisionNotFound' | 'EntryNotFound';

export class HubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: HubErrorCode,
  ) {
    super(message);
  }
}

export const repoNotFound = () => new HubError(404, 'Repository not found', 'RepoNotFound');
export const revisionNotFound = (rev: string) => new HubError(404, `Invalid rev id: ${rev}`, 'RevisionNotFound');
export const entryNotFound = (path?: string) =>
  new HubError(404, path ? `Entry not found: ${path}` : 'Entry not found', 'EntryNotFound');
export const badRequest = (message: string) => new HubError(400, message);
