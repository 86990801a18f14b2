// What each route of faasbox's own API asks IAM: faasbox:<Operation> (docs/IAM.md, "faasbox's own
// actions"), on the function's ARN when the route names one, else on `*`. Checked by one guard
// ahead of the routes (src/api/faasbox/index.ts). GET /api/caller answers every principal, as STS's
// GetCallerIdentity does.
import type { Context } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import type { OperationAccess, RouteAccess } from '../../protocols/operation-access';

const onAccount = (operation: string) => (): OperationAccess => ({ action: `faasbox:${operation}`, resource: '*' });

/** The function a `/api/functions/:name/...` path names (its unqualified ARN in the caller's account). */
const onFunction = (operation: string) => (c: Context<AppContext>): OperationAccess => {
  const { region, accountId } = c.get('caller');
  return { action: `faasbox:${operation}`, resource: `arn:aws:lambda:${region}:${accountId}:function:${c.req.param('name') ?? ''}` };
};

/** The live tail reads a log group: its ARN as CloudWatch Logs names it. */
const onLogGroup = (operation: string) => (c: Context<AppContext>): OperationAccess => {
  const { region, accountId } = c.get('caller');
  return { action: `faasbox:${operation}`, resource: `arn:aws:logs:${region}:${accountId}:log-group:${c.req.query('logGroupName') ?? ''}:*` };
};

const ACCOUNTS = '/api/admin/accounts';

/** Every signed route of faasbox's own API and what it asks IAM (test/workerd/iam/authorize.test.ts checks none is missing). */
export const FAASBOX_ROUTE_ACCESS: readonly RouteAccess[] = [
  { method: 'GET', path: '/api/caller', access: () => undefined },
  { method: 'POST', path: ACCOUNTS, access: onAccount('CreateAccount') },
  { method: 'GET', path: ACCOUNTS, access: onAccount('ListAccounts') },
  { method: 'DELETE', path: `${ACCOUNTS}/:accountId`, access: onAccount('DeleteAccount') },
  { method: 'PUT', path: `${ACCOUNTS}/:accountId/settings`, access: onAccount('PutAccountSettings') },
  { method: 'POST', path: `${ACCOUNTS}/:accountId/keys`, access: onAccount('CreateAccessKey') },
  { method: 'GET', path: `${ACCOUNTS}/:accountId/keys`, access: onAccount('ListAccessKeys') },
  { method: 'DELETE', path: `${ACCOUNTS}/:accountId/keys/:accessKeyId`, access: onAccount('DeleteAccessKey') },
  { method: 'GET', path: '/api/admin/sandboxes', access: onAccount('ListSandboxes') },
  { method: 'DELETE', path: '/api/admin/sandboxes/:accountId', access: onAccount('DeleteSandbox') },
  { method: 'GET', path: '/api/logs/tail', access: onLogGroup('TailLogs') },
  { method: 'GET', path: '/api/metrics/statistics', access: onAccount('GetMetricStatistics') },
  { method: 'GET', path: '/api/metrics/prometheus', access: onAccount('ScrapeMetrics') },
  { method: 'GET', path: '/api/billing/statement', access: onAccount('GetBillingStatement') },
  { method: 'GET', path: '/api/billing/invocations', access: onAccount('ListBillingInvocations') },
  { method: 'GET', path: '/api/functions/:name/test-events', access: onFunction('ListTestEvents') },
  { method: 'PUT', path: '/api/functions/:name/test-events/:eventName', access: onFunction('PutTestEvent') },
  { method: 'DELETE', path: '/api/functions/:name/test-events/:eventName', access: onFunction('DeleteTestEvent') },
  { method: 'GET', path: '/api/functions/:name/egress', access: onFunction('GetFunctionEgress') },
  { method: 'PUT', path: '/api/functions/:name/egress', access: onFunction('PutFunctionEgress') },
  { method: 'DELETE', path: '/api/functions/:name/egress', access: onFunction('DeleteFunctionEgress') },
  { method: 'GET', path: '/api/functions/:name/export', access: onFunction('ExportFunction') },
  { method: 'POST', path: '/api/functions/:name/shares', access: onFunction('ShareFunction') },
  { method: 'GET', path: '/api/sandbox', access: onAccount('GetSandbox') },
  { method: 'GET', path: '/api/sandbox/usage', access: onAccount('GetSandboxUsage') },
];
