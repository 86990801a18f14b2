// Reserved concurrency: PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency.
// The account's ConcurrencyLimiter owns reservations, so the 100-unreserved rule is atomic.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { functionNotFound, invalidParameter } from '../../errors';
import { functionArn } from '../../function-names';
import type { FunctionRecord } from '../../records/function';
import { concurrencyLimiter, functionRegistry } from '../../bindings';
import { functionReference } from './function-reference';
import { parseRequest } from './function-config';

export const concurrencyRoutes = new Hono<AppContext>();

const PutFunctionConcurrencyRequest = z.object({
  ReservedConcurrentExecutions: z.number({ error: 'Member must not be null' }).int({ error: 'Member must be an integer' })
    .min(0, { error: 'Member must have value greater than or equal to 0' }),
});

/**
 * The function a concurrency route names: never a version or alias (AWS refuses a qualified name
 * here). `missingQualifier` is what AWS's not-found ARN carries (PutFunctionConcurrency's: $LATEST).
 */
async function unqualifiedFunction(c: Context<AppContext>, missingQualifier?: '$LATEST'): Promise<FunctionRecord> {
  const caller = c.get('caller');
  const { name, qualifier } = functionReference(c);
  if (qualifier !== undefined) {
    throw invalidParameter('This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.');
  }
  const record = await functionRegistry(c.env, caller.accountId).get(name);
  if (!record) throw functionNotFound(functionArn(caller, name, missingQualifier));
  return record;
}

concurrencyRoutes.put('/2017-10-31/functions/:name/concurrency', async (c) => {
  const { ReservedConcurrentExecutions: reserved } = parseRequest(PutFunctionConcurrencyRequest, jsonBody(c));
  const record = await unqualifiedFunction(c, '$LATEST');
  const result = await concurrencyLimiter(c.env, c.get('caller').accountId).putReservation(record.name, reserved);
  if (!result.ok) {
    throw invalidParameter(
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${result.minimum}].`,
    );
  }
  return c.json({ ReservedConcurrentExecutions: reserved });
});

concurrencyRoutes.get('/2019-09-30/functions/:name/concurrency', async (c) => {
  const record = await unqualifiedFunction(c);
  const reserved = await concurrencyLimiter(c.env, c.get('caller').accountId).getReservation(record.name);
  return c.json(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
});

concurrencyRoutes.delete('/2017-10-31/functions/:name/concurrency', async (c) => {
  const record = await unqualifiedFunction(c);
  await concurrencyLimiter(c.env, c.get('caller').accountId).deleteReservation(record.name);
  return c.body(null, 204);
});
