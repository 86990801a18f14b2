// GET /api/caller: who signed this request (the account, access key id and principal), as STS's
// GetCallerIdentity answers it; the console learns the account it is signed in to from here.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';

export const callerRoutes = new Hono<AppContext>();

callerRoutes.get('/api/caller', (c) => {
  const { accountId, accessKeyId, isAdmin, principal } = c.get('caller');
  return c.json({ Account: accountId, AccessKeyId: accessKeyId, Arn: principal.arn, IsAdmin: isAdmin });
});
