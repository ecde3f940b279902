/**
 * The Node server's logger: the same lines as consoleLogger, but info lines are gathered and
 * written together every 50 ms (or 64 Ki characters). Writes to a pipe or file are synchronous on
 * Linux, one syscall each: one per event-loop turn still cost a tenth of a `GET /health` under
 * load. A killed process (SIGKILL) loses at most the last 50 ms of request lines. Warnings
 * and errors are written at once (after any gathered lines, so the order holds), and whatever is
 * gathered is written when the process exits, crashes included.
 */
import { logLine, type Logger } from '../../logger';

export interface BufferedLoggerOptions {
  /** Default process.stdout.write / process.stderr.write. */
  out?: (chunk: string) => void;
  err?: (chunk: string) => void;
  /** Write at once past this many gathered characters. Default 64 Ki. */
  maxChars?: number;
  /** Runs `flush` later. Default: 50 ms later, on a timer that does not keep the process alive. */
  schedule?: (flush: () => void) => void;
}

export interface BufferedLogger {
  log: Logger;
  /** Writes what is gathered now. */
  flush(): void;
}

export function createBufferedLogger({
  out = (chunk) => process.stdout.write(chunk),
  err = (chunk) => process.stderr.write(chunk),
  maxChars = 65_536,
  schedule = (flush) => void setTimeout(flush, 50).unref(),
}: BufferedLoggerOptions = {}): BufferedLogger {
  let gathered = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (gathered === '') return;
    const chunk = gathered;
    gathered = '';
    out(chunk);
  };
  const log: Logger = (level, fields) => {
    const line = logLine(level, fields) + '\n';
    if (level !== 'info') {
      flush();
      err(line);
      return;
    }
    gathered += line;
    if (gathered.length >= maxChars) flush();
    else if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  };
  return { log, flush };
}

let processLogger: BufferedLogger | undefined;

/** One buffered logger per process, flushed on exit. */
export function stdoutLogger(): Logger {
  if (!processLogger) {
    processLogger = createBufferedLogger();
    process.on('exit', processLogger.flush);
  }
  return processLogger.log;
}
