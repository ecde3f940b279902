/** The trainer's command line: `tsx trainer/cli.ts <command> [flags]`, one module per command. */
import { behaviourCommand, usage as behaviourUsage } from './commands/behaviour';
import { evaluateCommand, usage as evaluateUsage } from './commands/evaluate';
import { mergeCommand, usage as mergeUsage } from './commands/merge';
import { monitorCommand, usage as monitorUsage } from './commands/monitor';
import { publishCommand, usage as publishUsage } from './commands/publish';
import { pullCommand, usage as pullUsage } from './commands/pull';
import { pushBaseCommand, usage as pushBaseUsage } from './commands/push-base';
import { retrainCommand, usage as retrainUsage } from './commands/retrain';
import { selfLabelCommand, usage as selfLabelUsage } from './commands/self-label';
import { trainCommand, usage as trainUsage } from './commands/train';
import { UsageError } from './commands/usage-error';

const commands: Record<string, { run: (argv: string[]) => Promise<void>; usage: string }> = {
  train: { run: trainCommand, usage: trainUsage },
  evaluate: { run: evaluateCommand, usage: evaluateUsage },
  publish: { run: publishCommand, usage: publishUsage },
  pull: { run: pullCommand, usage: pullUsage },
  'push-base': { run: pushBaseCommand, usage: pushBaseUsage },
  merge: { run: mergeCommand, usage: mergeUsage },
  retrain: { run: retrainCommand, usage: retrainUsage },
  monitor: { run: monitorCommand, usage: monitorUsage },
  'self-label': { run: selfLabelCommand, usage: selfLabelUsage },
  behaviour: { run: behaviourCommand, usage: behaviourUsage },
};

const help = `usage: trainer <command> [flags]   (trainer <command> --help: that command's flags)

commands:
${Object.values(commands)
  .map(({ usage }) => `  ${usage}`)
  .join('\n')}`;

/** node:util parseArgs's refusals: an unknown flag, a flag without its value, a stray argument. */
const BAD_FLAG = new Set(['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL']);

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(name && name !== '--help' ? `unknown command "${name}"\n\n${help}` : help);
    process.exitCode = name && name !== '--help' ? 2 : 0;
    return;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: ${command.usage}`);
    return;
  }
  try {
    await command.run(rest);
  } catch (error) {
    if (BAD_FLAG.has((error as NodeJS.ErrnoException).code ?? '')) {
      console.error(`error: ${(error as Error).message}\nusage: ${command.usage}`);
      process.exitCode = 2;
      return;
    }
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
