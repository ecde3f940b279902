/** The trainer's command line: `tsx trainer/cli.ts <command> [flags]`, one module per command. */
import { evaluateCommand, usage as evaluateUsage } from './commands/evaluate';
import { trainCommand, usage as trainUsage } from './commands/train';
import { UsageError } from './commands/usage-error';

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  train: trainCommand,
  evaluate: evaluateCommand,
};

const help = `usage: trainer <command> [flags]

commands:
  ${trainUsage}
  ${evaluateUsage}`;

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(name && name !== '--help' ? `unknown command "${name}"\n\n${help}` : help);
    process.exitCode = name && name !== '--help' ? 2 : 0;
    return;
  }
  try {
    await command(rest);
  } catch (error) {
    // Expected failures (bad flags, bad CSV, bad model file) read best as one line.
    const expected = error instanceof UsageError || ['CsvError', 'ModelContractError', 'ZodError'].includes((error as Error).name);
    console.error(expected ? `error: ${(error as Error).message}` : error);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}

await main(process.argv.slice(2));
