// GET /api/sandbox/usage: a playground sandbox's usage against each of its quotas and its cost
// against the cap (docs/PLAYGROUND-QUOTAS.md), signed with the sandbox's own keys.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { LambdaError } from '../../errors';
import { sandboxUsage } from '../../services/playground/quotas';

export const usageRoutes = new Hono<AppContext>();

usageRoutes.get('/api/sandbox/usage', async (c) => {
  const caller = c.get('caller');
  const usage = caller.playground ? await sandboxUsage(c.env, caller.accountId) : undefined;
  if (!usage) throw new LambdaError(404, 'ResourceNotFoundException', 'This account is not a playground sandbox.');
  return c.json(usage);
});
