/** Prints `usage` and exits 0 when the command line asks for it (`--help` or `-h`). */
export function exitOnHelp(usage: string, argv: string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  console.log(usage.trim());
  process.exit(0);
}
