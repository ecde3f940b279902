import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** Prints `usage` and exits 0 when the command line asks for it (`--help` or `-h`). */
export function exitOnHelp(usage: string, argv: string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  console.log(usage.trim());
  process.exit(0);
}

/** A bench script's flags: `--help` prints `usage`; an unknown or malformed flag prints one line and the usage, and exits 2. */
export function benchArgs<const T extends ParseArgsOptionsConfig>(usage: string, options: T, argv: string[] = process.argv.slice(2)) {
  exitOnHelp(usage, argv);
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage.trim()}`);
    process.exit(2);
  }
}
