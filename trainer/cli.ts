/** The trainer's command line: `tsx trainer/cli.ts <command> [flags]`, one module per command. */
import { behaviourCommand, usage as behaviourUsage } from './commands/behaviour';
import { evaluateCommand, usage as evaluateUsage } from './commands/evaluate';
import { mergeCommand, usage as mergeUsage } from './commands/merge';
import { monitorCommand, usage as monitorUsage } from './commands/monitor';
import { publishCommand, usage as publishUsage } from './commands/publish';
import { pullCommand, usage as pullUsage } from './commands/pull';
import { retrainCommand, usage as retrainUsage } from './commands/retrain';
import { selfLabelCommand, usage as selfLabelUsage } from './commands/self-label';
import { trainCommand, usage as trainUsage } from './commands/train';
import { UsageError } from './commands/usage-error';

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  train: trainCommand,
  evaluate: evaluateCommand,
  publish: publishCommand,
  pull: pullCommand,
  merge: mergeCommand,
  retrain: retrainCommand,
  monitor: monitorCommand,
  'self-label': selfLabelCommand,
  behaviour: behaviourCommand,
};

const help = `usage: trainer <command> [flags]

commands:
  ${trainUsage}
  ${evaluateUsage}
  ${publishUsage}
  ${pullUsage}
  ${mergeUsage}
  ${retrainUsage}
  ${monitorUsage}
  ${selfLabelUsage}
  ${behaviourUsage}`;

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
    console.error(describeFailure(error));
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}

/** Expected failures (bad flags, missing file, bad CSV, bad model) read best as one line, without a stack. */
function describeFailure(error: unknown): unknown {
  const { code, path } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT') return `error: file not found: ${path}`;
  const expected = error instanceof UsageError || ['CsvError', 'ModelContractError', 'ZodError'].includes((error as Error).name);
  return expected ? `error: ${(error as Error).message}` : error;
}

await main(process.argv.slice(2));
