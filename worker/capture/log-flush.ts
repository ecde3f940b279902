/** Both runtimes log flushes the same way. */
import type { FlushOutcome } from './flush-scheduler';
import type { Logger } from '../logger';

/** One log line per flush that did something or failed; skips stay quiet. */
export function logFlush(log: Logger, outcome: FlushOutcome): void {
  if (outcome.status === 'flushed') log('info', { msg: 'capture flushed', records: outcome.records, commit: outcome.commit, ms: outcome.ms, reason: outcome.reason });
  else if (outcome.status === 'failed') log('warn', { msg: 'capture flush failed', error: outcome.error, next_attempt_at: outcome.next_attempt_at, reason: outcome.reason });
}
