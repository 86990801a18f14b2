// GET /api/caller: who signed this request (the account and access key id), as STS's
// GetCallerIdentity answers it; the console learns the account it is signed in to from here.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';

export const callerRoutes = new Hono<AppContext>();

callerRoutes.get('/api/caller', (c) => {
  const { accountId, accessKeyId, isAdmin } = c.get('caller');
  return c.json({ Account: accountId, AccessKeyId: accessKeyId, Arn: `arn:aws:iam::${accountId}:root`, IsAdmin: isAdmin });
});
