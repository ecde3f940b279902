/** What the local stand-ins' CLIs (hub:local, llm:local) share: serve until SIGINT/SIGTERM, one line on failure. */

/** Runs `start`; the server it returns is closed on SIGINT or SIGTERM. A failure prints `name: message` and exits with `failureCode`. */
export function serveUntilSignal(name: string, start: () => Promise<{ close(): Promise<void> } | void>, failureCode = 1): void {
  start().then(
    (server) => {
      if (!server) return;
      const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(failureCode);
    },
  );
}
