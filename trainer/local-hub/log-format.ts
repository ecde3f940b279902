/** The one-line-per-request log format of the CLI: no headers, so no tokens; LFS URL signatures are already redacted. */
import type { RequestLogEntry } from './request-log';

function formatBytes(n: number): string {
  return n < 1024 ? `${n}B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)}kB` : `${(n / 1024 / 1024).toFixed(1)}MB`;
}

export function formatLogLine(e: RequestLogEntry): string {
  const status = e.status === 0 ? 'DROPPED' : String(e.status);
  const fault = e.fault ? ` [fault:${e.fault}]` : '';
  return `${e.time} ${e.method} ${e.path}${e.query} ${status} ${e.ms}ms in=${formatBytes(e.requestBytes)} out=${formatBytes(e.responseBytes)}${fault}`;
}
