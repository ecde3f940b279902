/**
 * Drives a HubModelProvider from a timer (Node): calls maybeCheck() every `tickMs`, which is a
 * no-op until a check is due and also releases replaced sessions after their grace period.
 * The timer does not keep the process alive. Loading the model is not its job: the first
 * current() (the Node server's warm-up) does that. workerd uses ctx.waitUntil(models.maybeCheck())
 * per request instead: a timer there would not outlive the request that set it.
 */
import type { HubModelProvider } from './hub-model-provider';

export function startModelCheckTimer(provider: Pick<HubModelProvider, 'maybeCheck'>, tickMs = 1_000): () => void {
  const timer = setInterval(() => void provider.maybeCheck(), tickMs);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
