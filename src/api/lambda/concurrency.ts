// Reserved concurrency: PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency.
// The account's ConcurrencyLimiter owns reservations, so the 100-unreserved rule is atomic.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { invalidParameter } from '../../errors';
import { concurrencyLimiter } from '../../bindings';
import { findFunction } from './function-reference';
import { parseRequest } from './function-config';

export const concurrencyRoutes = new Hono<AppContext>();

const PutFunctionConcurrencyRequest = z.object({
  ReservedConcurrentExecutions: z.number({ error: 'Member must not be null' }).int({ error: 'Member must be an integer' })
    .min(0, { error: 'Member must have value greater than or equal to 0' }),
});

concurrencyRoutes.put('/2017-10-31/functions/:name/concurrency', async (c) => {
  const { ReservedConcurrentExecutions: reserved } = parseRequest(PutFunctionConcurrencyRequest, jsonBody(c));
  const record = await findFunction(c);
  const result = await concurrencyLimiter(c.env, c.get('caller').accountId).putReservation(record.name, reserved);
  if (!result.ok) {
    throw invalidParameter(
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${result.minimum}].`,
    );
  }
  return c.json({ ReservedConcurrentExecutions: reserved });
});

concurrencyRoutes.get('/2019-09-30/functions/:name/concurrency', async (c) => {
  const record = await findFunction(c);
  const reserved = await concurrencyLimiter(c.env, c.get('caller').accountId).getReservation(record.name);
  return c.json(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
});

concurrencyRoutes.delete('/2017-10-31/functions/:name/concurrency', async (c) => {
  const record = await findFunction(c);
  await concurrencyLimiter(c.env, c.get('caller').accountId).deleteReservation(record.name);
  return c.body(null, 204);
});
