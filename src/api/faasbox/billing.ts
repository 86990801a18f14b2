// The billing API over the caller's own MetricsStore: the monthly statement and the usage record of
// each invocation (docs/BILLING.md).
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { validationError } from '../../errors';
import { metricsStore } from '../../bindings';
import { integerParam, monthParam, optionalFunctionName } from './query-params';

const INVOCATIONS_MAX_ITEMS = 1000;
const INVOCATIONS_DEFAULT_ITEMS = 100;

export const billingRoutes = new Hono<AppContext>();

billingRoutes.get('/api/billing/statement', async (c) => {
  const month = monthParam(c, true)!;
  const functionName = optionalFunctionName(c);
  return c.json(await metricsStore(c.env, c.get('caller').accountId).statement(month, functionName));
});

billingRoutes.get('/api/billing/invocations', async (c) => {
  const requestId = c.req.query('RequestId') || undefined;
  const functionName = optionalFunctionName(c);
  const month = monthParam(c, false);
  if (requestId === undefined && month === undefined) throw validationError('null', 'Month', 'Member must not be null unless RequestId is given');
  const marker = c.req.query('Marker');
  if (marker !== undefined && !/^\d+$/.test(marker)) throw validationError(marker, 'Marker', 'Member must be a marker from a previous page');
  const maxItems = integerParam(c, 'MaxItems', 1, INVOCATIONS_MAX_ITEMS, INVOCATIONS_DEFAULT_ITEMS);
  const page = await metricsStore(c.env, c.get('caller').accountId).invocations({ requestId, functionName, month, afterId: Number(marker ?? 0), maxItems });
  return c.json({ Invocations: page.records, ...(page.nextMarker !== undefined ? { NextMarker: String(page.nextMarker) } : {}) });
});
