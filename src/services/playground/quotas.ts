// A new sandbox's quotas, set once when it is created. Today its account concurrency limit; the
// rest of the playground's quotas join here (docs/PLAYGROUND.md, "Quotas").
import { concurrencyLimiter } from '../../bindings';
import { readConfig } from '../../config';

/** Sets up the quotas of sandbox account `accountId` (FAASBOX_PLAYGROUND_CONCURRENCY). */
export async function initialiseSandbox(env: Env, accountId: string): Promise<void> {
  await concurrencyLimiter(env, accountId).setAccountLimit(readConfig(env).playgroundConcurrency);
}
