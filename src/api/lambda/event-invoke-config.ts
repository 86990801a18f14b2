// Per-function settings of asynchronous invocation: Put/Get/Update/Delete/List
// FunctionEventInvokeConfig (retries, maximum event age, OnSuccess/OnFailure destinations).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { resourceNotFound } from '../../errors';
import { functionArn, type Caller } from '../../function-names';
import type { EventInvokeConfig, FunctionRecord } from '../../records/function';
import { functionRegistry } from '../../bindings';
import { functionReference } from './function-reference';
import { checkTargetArn, parseRequest } from './function-config';

export const eventInvokeConfigRoutes = new Hono<AppContext>();

const Destination = z.object({ Destination: z.string().optional() }).optional();
const EventInvokeConfigRequest = z.object({
  MaximumRetryAttempts: z.number().int({ error: 'Member must be an integer' })
    .min(0, { error: 'Member must have value greater than or equal to 0' })
    .max(2, { error: 'Member must have value less than or equal to 2' }).optional(),
  MaximumEventAgeInSeconds: z.number().int({ error: 'Member must be an integer' })
    .min(60, { error: 'Member must have value greater than or equal to 60' })
    .max(21600, { error: 'Member must have value less than or equal to 21600' }).optional(),
  DestinationConfig: z.object({ OnSuccess: Destination, OnFailure: Destination }).optional(),
});

const PATH = '/2019-09-25/functions/:name/event-invoke-config';

function render(record: FunctionRecord, caller: Caller, config: EventInvokeConfig) {
  return {
    LastModified: config.lastModified,
    FunctionArn: functionArn(caller, record.name, '$LATEST'),
    ...(config.maximumRetryAttempts !== undefined ? { MaximumRetryAttempts: config.maximumRetryAttempts } : {}),
    ...(config.maximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds } : {}),
    DestinationConfig: {
      OnSuccess: config.onSuccess ? { Destination: config.onSuccess } : {},
      OnFailure: config.onFailure ? { Destination: config.onFailure } : {},
    },
  };
}

/** Put replaces the whole config; Update changes only the fields given. */
async function store(c: Context<AppContext>, merge: boolean) {
  const caller = c.get('caller');
  const request = parseRequest(EventInvokeConfigRequest, jsonBody(c));
  const record = await configFunction(c, 'no-function');
  for (const target of [request.DestinationConfig?.OnSuccess?.Destination, request.DestinationConfig?.OnFailure?.Destination]) {
    if (target) checkTargetArn(target, caller, 'destination');
  }
  const base: Partial<EventInvokeConfig> = merge ? (record.eventInvokeConfig ?? {}) : {};
  const destination = (given: { Destination?: string } | undefined, current: string | undefined) =>
    given === undefined ? (merge ? current : undefined) : given.Destination || undefined;
  const config: EventInvokeConfig = {
    maximumRetryAttempts: request.MaximumRetryAttempts ?? base.maximumRetryAttempts,
    maximumEventAgeInSeconds: request.MaximumEventAgeInSeconds ?? base.maximumEventAgeInSeconds,
    onSuccess: destination(request.DestinationConfig?.OnSuccess, base.onSuccess),
    onFailure: destination(request.DestinationConfig?.OnFailure, base.onFailure),
    lastModified: Date.now() / 1000,
  };
  const result = await functionRegistry(c.env, caller.accountId).update(record.name, { eventInvokeConfig: config });
  if (!result.ok) throw noConfig(caller, record.name);
  return c.json(render(record, caller, config));
}

const noConfig = (caller: Caller, name: string, qualifier = '$LATEST') =>
  resourceNotFound(`The function ${functionArn(caller, name, qualifier)} doesn't have an EventInvokeConfig`);

/**
 * The function of an EventInvokeConfig route, or AWS's answer when it (or its qualifier) does not
 * exist: Put, Update and List say "The function doesn't exist."; Get and Delete that it has no config.
 */
async function configFunction(c: Context<AppContext>, missing: 'no-function' | 'no-config'): Promise<FunctionRecord> {
  const caller = c.get('caller');
  const { name, qualifier } = functionReference(c);
  const record = await functionRegistry(c.env, caller.accountId).get(name);
  if (record && (qualifier === undefined || qualifier === '$LATEST')) return record;
  throw missing === 'no-function' ? resourceNotFound("The function doesn't exist.") : noConfig(caller, name, qualifier);
}

eventInvokeConfigRoutes.put(PATH, (c) => store(c, false));
eventInvokeConfigRoutes.post(PATH, (c) => store(c, true));

eventInvokeConfigRoutes.get(PATH, async (c) => {
  const record = await configFunction(c, 'no-config');
  if (!record.eventInvokeConfig) throw noConfig(c.get('caller'), record.name);
  return c.json(render(record, c.get('caller'), record.eventInvokeConfig));
});

eventInvokeConfigRoutes.delete(PATH, async (c) => {
  const caller = c.get('caller');
  const record = await configFunction(c, 'no-config');
  if (!record.eventInvokeConfig) throw noConfig(caller, record.name);
  await functionRegistry(c.env, caller.accountId).update(record.name, { eventInvokeConfig: undefined });
  return c.body(null, 204);
});

eventInvokeConfigRoutes.get(`${PATH}/list`, async (c) => {
  const record = await configFunction(c, 'no-function');
  const configs = record.eventInvokeConfig ? [render(record, c.get('caller'), record.eventInvokeConfig)] : [];
  return c.json({ FunctionEventInvokeConfigs: configs });
});
