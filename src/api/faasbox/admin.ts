// The admin API (faasbox's own, SigV4-signed with the local admin keys): accounts and their keys.
// docs/ADMIN-API.md documents it; any other caller gets AccessDeniedException.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { accessDenied, LambdaError } from '../../errors';
import { accountDirectory, concurrencyLimiter } from '../../bindings';
import { accountExists, deleteAccount } from '../../services/accounts';
import { endSandbox, listSandboxes } from '../../services/playground/sandboxes';
import { renderSandbox } from '../playground/render';

export const adminRoutes = new Hono<AppContext>();

adminRoutes.use('/api/admin/*', async (c, next) => {
  if (!c.get('caller').isAdmin) throw accessDenied('Only the faasbox admin account may manage accounts.');
  await next();
});

const accountNotFound = (id: string) => new LambdaError(404, 'ResourceNotFoundException', `Account not found: ${id}`, { messageField: 'Message' });

adminRoutes.post('/api/admin/accounts', async (c) => {
  const body = jsonBody(c) as { Name?: unknown };
  const name = typeof body.Name === 'string' && body.Name.length <= 128 ? body.Name : '';
  const { account, key } = await accountDirectory(c.env).createAccount(name);
  return c.json({ Account: { AccountId: account.accountId, Name: account.name, CreatedAt: account.createdAt }, AccessKey: renderKey(key, true) }, 201);
});

adminRoutes.get('/api/admin/accounts', async (c) => {
  const accounts = await accountDirectory(c.env).listAccounts();
  return c.json({ Accounts: accounts.map((a) => ({ AccountId: a.accountId, Name: a.name, CreatedAt: a.createdAt })) });
});

adminRoutes.delete('/api/admin/accounts/:accountId', async (c) => {
  const accountId = c.req.param('accountId');
  if (!(await deleteAccount(c.env, accountId))) throw accountNotFound(accountId);
  return c.body(null, 204);
});

/** Per-account platform settings; today the concurrency limit (ConcurrentExecutions). */
adminRoutes.put('/api/admin/accounts/:accountId/settings', async (c) => {
  const accountId = c.req.param('accountId');
  if (!(await accountExists(c.env, accountId))) throw accountNotFound(accountId);
  const body = jsonBody(c) as { ConcurrentExecutions?: unknown };
  const limit = body.ConcurrentExecutions;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new LambdaError(400, 'InvalidParameterValueException', 'ConcurrentExecutions must be a non-negative integer.');
  }
  await concurrencyLimiter(c.env, accountId).setAccountLimit(limit);
  return c.json({ AccountId: accountId, ConcurrentExecutions: limit });
});

adminRoutes.post('/api/admin/accounts/:accountId/keys', async (c) => {
  const accountId = c.req.param('accountId');
  const key = await accountDirectory(c.env).createAccessKey(accountId);
  if (!key) throw accountNotFound(accountId);
  return c.json({ AccessKey: renderKey(key, true) }, 201);
});

adminRoutes.get('/api/admin/accounts/:accountId/keys', async (c) => {
  const accountId = c.req.param('accountId');
  if (!(await accountDirectory(c.env).getAccount(accountId))) throw accountNotFound(accountId);
  const keys = await accountDirectory(c.env).listAccessKeys(accountId);
  return c.json({ AccessKeys: keys.map((k) => renderKey(k, false)) });
});

adminRoutes.delete('/api/admin/accounts/:accountId/keys/:accessKeyId', async (c) => {
  const { accountId, accessKeyId } = c.req.param();
  if (!(await accountDirectory(c.env).deleteAccessKey(accountId, accessKeyId))) {
    throw new LambdaError(404, 'ResourceNotFoundException', `Access key not found: ${accessKeyId}`, { messageField: 'Message' });
  }
  return c.body(null, 204);
});

/** Live playground sandboxes (docs/PLAYGROUND.md), oldest first. */
adminRoutes.get('/api/admin/sandboxes', async (c) => {
  const sandboxes = await listSandboxes(c.env, Date.now());
  return c.json({ Sandboxes: sandboxes.map(renderSandbox) });
});

/** Ends a sandbox now: its account and everything of it are deleted. */
adminRoutes.delete('/api/admin/sandboxes/:accountId', async (c) => {
  const accountId = c.req.param('accountId');
  if (!(await endSandbox(c.env, accountId))) {
    throw new LambdaError(404, 'ResourceNotFoundException', `Sandbox not found: ${accountId}`, { messageField: 'Message' });
  }
  return c.body(null, 204);
});

function renderKey(key: { accessKeyId: string; accountId: string; createdAt: string; secretAccessKey?: string }, withSecret: boolean) {
  return {
    AccessKeyId: key.accessKeyId,
    AccountId: key.accountId,
    CreatedAt: key.createdAt,
    ...(withSecret && key.secretAccessKey ? { SecretAccessKey: key.secretAccessKey } : {}),
  };
}
