/**
 * Work that must not hold up a response (low-confidence records, size-triggered flushes). It
 * starts on a later macrotask, so it runs after the handler has returned its Response. On
 * workerd it is handed to `waitUntil`, which keeps the isolate alive until it settles; on Node
 * (no ExecutionContext) it is fire-and-forget. Errors are logged, never thrown.
 */
import type { Context } from 'hono';
import type { Logger } from './logger';

export function afterResponse(c: Context, log: Logger, what: string, task: () => Promise<unknown>): void {
  const run = new Promise<void>((resolve) => setTimeout(resolve, 0))
    .then(task)
    .then(
      () => undefined,
      (error: unknown) => log('error', { msg: `${what} failed`, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    );
  executionContext(c)?.waitUntil(run);
}

/**
 * Hono's getter throws when there is no ExecutionContext (Node, app.request in tests), and the
 * Error's stack trace cost more than the rest of this file: on Node it is not asked at all.
 */
function executionContext(c: Context): { waitUntil(promise: Promise<unknown>): void } | undefined {
  if ((c.get('deps') as { runtime?: string } | undefined)?.runtime === 'node') return undefined;
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}
