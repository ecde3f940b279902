/**
 * Work that must not hold up a response (low-confidence records, size-triggered flushes). It
 * starts on a later macrotask, so it runs after the handler has returned its Response, and is
 * handed to the runtime's `waitUntil` (AppDeps): workerd keeps the isolate alive until it
 * settles; Node needs nothing. Errors are logged, never thrown.
 */
import type { Context } from 'hono';
import type { AppEnv } from './deps';
import type { Logger } from './logger';

export function afterResponse(c: Context<AppEnv>, log: Logger, what: string, task: () => Promise<unknown>): void {
  const run = new Promise<void>((resolve) => setTimeout(resolve, 0))
    .then(task)
    .then(
      () => undefined,
      (error: unknown) => log('error', { msg: `${what} failed`, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    );
  c.get('deps').waitUntil(c, run);
}
