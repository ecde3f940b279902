/**
 * Structured logs: one JSON object per line (stdout on Node, the worker's logs on workerd, where
 * `wrangler tail` and Workers Logs show them). Request texts never go through here.
 */
export type LogLevel = 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, fields: Record<string, unknown>) => void;

/** The line every logger writes, without its newline. */
export function logLine(level: LogLevel, fields: Record<string, unknown>): string {
  return JSON.stringify({ time: new Date().toISOString(), level, ...fields });
}

export const consoleLogger: Logger = (level, fields) => {
  const line = logLine(level, fields);
  if (level === 'info') console.log(line);
  else console.error(line);
};

export const silentLogger: Logger = () => {};
