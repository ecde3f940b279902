/** A mistake in how a command was called: the CLI prints it with the usage, without a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
