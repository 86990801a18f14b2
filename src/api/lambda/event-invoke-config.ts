// Async settings per qualifier: Put/Get/Update/Delete/List FunctionEventInvokeConfig (retries,
// maximum event age, OnSuccess/OnFailure destinations) of $LATEST, a version or an alias.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { invalidParameter, LambdaError, validationError } from '../../errors';
import { functionArn, type Caller } from '../../function-names';
import type { EventInvokeConfig } from '../../records/function';
import { functionRegistry } from '../../bindings';
import { resolveFunction } from '../../services/resolve-function';
import { functionReference } from './function-reference';
import { checkTargetArn, parseRequest } from './function-config';
import { parseMaxItems } from './versions';

export const eventInvokeConfigRoutes = new Hono<AppContext>();

/** DestinationArn's pattern as Lambda answers it today (its model's, with the eusc- partition). */
const DESTINATION_PATTERN = '$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const QUALIFIER_PATTERN = '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+';
const LIST_MAX_ITEMS = 50;

const Destination = z.object({
  Destination: z.string()
    .max(350, { error: 'Member must have length less than or equal to 350' })
    .regex(new RegExp(`^(?:${DESTINATION_PATTERN})$`), { error: `Member must satisfy regular expression pattern: ${DESTINATION_PATTERN}` })
    .optional(),
}).optional();
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

/** The function and the qualifier whose config a request means ('$LATEST' when none is named). */
function target(c: Context<AppContext>): { name: string; qualifier: string } {
  const { name, qualifier } = functionReference(c);
  if (qualifier !== undefined && (qualifier.length > 128 || !new RegExp(`^(?:${QUALIFIER_PATTERN})$`).test(qualifier))) {
    throw validationError(qualifier, 'qualifier', `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`);
  }
  return { name, qualifier: qualifier ?? '$LATEST' };
}

function render(caller: Caller, name: string, qualifier: string, config: EventInvokeConfig) {
  return {
    LastModified: config.lastModified,
    FunctionArn: functionArn(caller, name, qualifier),
    ...(config.maximumRetryAttempts !== undefined ? { MaximumRetryAttempts: config.maximumRetryAttempts } : {}),
    ...(config.maximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds } : {}),
    DestinationConfig: {
      OnSuccess: config.onSuccess ? { Destination: config.onSuccess } : {},
      OnFailure: config.onFailure ? { Destination: config.onFailure } : {},
    },
  };
}

// Lambda's own wording for each case (Put, Update and List say the first; Get, Delete and an
// Update with nothing to change, the second).
const noFunction = () => new LambdaError(404, 'ResourceNotFoundException', "The function doesn't exist.", { messageField: 'Message' });
const noConfig = (caller: Caller, name: string, qualifier: string) =>
  new LambdaError(404, 'ResourceNotFoundException', `The function ${functionArn(caller, name, qualifier)} doesn't have an EventInvokeConfig`, { messageField: 'Message' });

/**
 * Checks a destination as Lambda does: a service it knows, and a function that exists and is not
 * this one; then faasbox's own limits (a queue or a function of the caller's account).
 */
async function checkDestination(c: Context<AppContext>, functionName: string, arn: string, given: { OnSuccess?: string; OnFailure?: string }) {
  const caller = c.get('caller');
  const service = arn.startsWith('arn:') ? arn.split(':')[2] : 'kafka';
  if (!['lambda', 'sqs', 'sns', 'events', 's3', 'kafka'].includes(service)) {
    const part = (kind: string, value: string | undefined) => (value ? `${kind}(destination=${value})` : 'null');
    throw invalidParameter(`The provided destination config DestinationConfig(onSuccess=${part('OnSuccess', given.OnSuccess)}, onFailure=${part('OnFailure', given.OnFailure)}) is invalid.`);
  }
  checkTargetArn(arn, caller, 'destination');
  if (service !== 'lambda') return;
  const [, , , , , , targetName, targetQualifier] = arn.split(':');
  if (!(await resolveFunction(c.env, caller.accountId, targetName, targetQualifier, 'primary'))) throw invalidParameter(`The destination ARN ${arn} is invalid.`);
  if (targetName === functionName) throw invalidParameter("You can't specify the function as a destination for itself.");
}

/** Put replaces the qualifier's whole config; Update (`merge`) changes only the members given. */
async function store(c: Context<AppContext>, merge: boolean) {
  const caller = c.get('caller');
  const request = parseRequest(EventInvokeConfigRequest, jsonBody(c));
  if (request.MaximumRetryAttempts === undefined && request.MaximumEventAgeInSeconds === undefined && request.DestinationConfig === undefined) {
    throw invalidParameter('You must specify at least one of error handling or destination setting.');
  }
  const { name, qualifier } = target(c);
  const registry = functionRegistry(c.env, caller.accountId);
  if (!(await resolveFunction(c.env, caller.accountId, name, qualifier, 'primary'))) throw noFunction();
  const destinations = { OnSuccess: request.DestinationConfig?.OnSuccess?.Destination, OnFailure: request.DestinationConfig?.OnFailure?.Destination };
  for (const arn of [destinations.OnSuccess, destinations.OnFailure]) {
    if (arn) await checkDestination(c, name, arn, destinations);
  }
  // A destination object without a Destination removes it, as an empty one does.
  const destinationChange = (member: { Destination?: string } | undefined) => (member === undefined ? undefined : member.Destination ?? '');
  const result = await registry.writeEventInvokeConfig(name, qualifier, {
    maximumRetryAttempts: request.MaximumRetryAttempts,
    maximumEventAgeInSeconds: request.MaximumEventAgeInSeconds,
    onSuccess: destinationChange(request.DestinationConfig?.OnSuccess),
    onFailure: destinationChange(request.DestinationConfig?.OnFailure),
  }, merge);
  if (!result.ok) throw result.error === 'no-config' ? noConfig(caller, name, qualifier) : noFunction();
  return c.json(render(caller, name, qualifier, result.value));
}

eventInvokeConfigRoutes.put(PATH, (c) => store(c, false));
eventInvokeConfigRoutes.post(PATH, (c) => store(c, true));

eventInvokeConfigRoutes.get(PATH, async (c) => {
  const caller = c.get('caller');
  const { name, qualifier } = target(c);
  const config = await functionRegistry(c.env, caller.accountId).eventInvokeConfig(name, qualifier);
  if (!config) throw noConfig(caller, name, qualifier);
  return c.json(render(caller, name, qualifier, config));
});

eventInvokeConfigRoutes.delete(PATH, async (c) => {
  const caller = c.get('caller');
  const { name, qualifier } = target(c);
  if (!(await functionRegistry(c.env, caller.accountId).deleteEventInvokeConfig(name, qualifier))) throw noConfig(caller, name, qualifier);
  return c.body(null, 204);
});

eventInvokeConfigRoutes.get(`${PATH}/list`, async (c) => {
  const caller = c.get('caller');
  const maxItems = parseMaxItems(c.req.query('MaxItems'), LIST_MAX_ITEMS, LIST_MAX_ITEMS);
  const { name } = functionReference(c);
  const result = await functionRegistry(c.env, caller.accountId).listEventInvokeConfigs(name);
  if (!result.ok) throw noFunction();
  // The marker is the qualifier of the last config of the previous page; a stale one ends the listing.
  const marker = c.req.query('Marker') || undefined;
  const start = marker === undefined ? 0 : result.value.findIndex((entry) => entry.qualifier === marker) + 1 || result.value.length;
  const page = result.value.slice(start, start + maxItems);
  return c.json({
    FunctionEventInvokeConfigs: page.map((entry) => render(caller, name, entry.qualifier, entry.config)),
    ...(start + maxItems < result.value.length ? { NextMarker: page[page.length - 1].qualifier } : {}),
  });
});
