/**
 * Error text that may reach /health or logs: never the token. The client's messages do not
 * normally contain it, but a proxy, a URL or a future client version might.
 */
export const HF_TOKEN_PATTERN = /hf_[A-Za-z0-9]{4,}/g;

export function redact(message: string, secrets: readonly (string | undefined)[] = []): string {
  let text = message;
  for (const secret of secrets) if (secret && secret.length >= 4) text = text.split(secret).join('***');
  return text.replace(HF_TOKEN_PATTERN, 'hf_***');
}

/** A one-line description of anything thrown, redacted. */
export function describeError(err: unknown, secrets: readonly (string | undefined)[] = []): string {
  const status = typeof err === 'object' && err !== null && 'statusCode' in err ? ` (HTTP ${String((err as { statusCode: unknown }).statusCode)})` : '';
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return redact(`${message}${status}`, secrets).slice(0, 500);
}
