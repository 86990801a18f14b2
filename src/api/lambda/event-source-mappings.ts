// Lambda's event source mappings for faasbox queues (queue triggers): Create, Get, Update,
// Delete and ListEventSourceMappings on /2015-03-31/event-source-mappings/. The account's
// EventSourceMappings object stores them and runs their pollers.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { functionNotFound, invalidParameter, LambdaError, resourceConflict } from '../../errors';
import { functionArn, parseFunctionReference } from '../../function-names';
import type { EventSourceMapping, MappingChanges } from '../../records/event-source-mapping';
import { parseQueueArn } from '../../queues/names';
import { eventSourceMappings, functionRegistry, queueStore } from '../../bindings';
import { resolveFunction } from '../../services/resolve-function';
import { checkRoleAllows, QUEUE_TRIGGER_ACTIONS } from '../../services/iam/execution-role';
import { parseRequest, TagMap } from './function-config';
import { checkTags } from './tags';
import { parseMaxItems } from './versions';

export const eventSourceMappingRoutes = new Hono<AppContext>();


const BATCH_SIZE_DEFAULT = 10;
/** Above this batch size Lambda requires a batching window of at least 1 second. */
const BATCH_SIZE_WITHOUT_WINDOW_MAX = 10;
const LIST_MAX_ITEMS_DEFAULT = 100;

const integerIn = (min: number, max: number) => z.number().int({ error: 'Member must be an integer' })
  .min(min, { error: `Member must have value greater than or equal to ${min}` })
  .max(max, { error: `Member must have value less than or equal to ${max}` });

const settableFields = {
  Enabled: z.boolean().optional(),
  BatchSize: integerIn(1, 10_000).optional(),
  MaximumBatchingWindowInSeconds: integerIn(0, 300).optional(),
  FunctionResponseTypes: z.array(z.enum(['ReportBatchItemFailures'], { error: 'Member must satisfy enum value set: [ReportBatchItemFailures]' }))
    .max(1, { error: 'Member must have length less than or equal to 1' }).optional(),
  ScalingConfig: z.object({ MaximumConcurrency: integerIn(2, 1000).optional() }).optional(),
  // Settings of stream and Kafka sources, or that faasbox does not implement: refused below, never silently ignored.
  FilterCriteria: z.unknown().optional(),
  DestinationConfig: z.unknown().optional(),
  MaximumRecordAgeInSeconds: z.unknown().optional(),
  BisectBatchOnFunctionError: z.unknown().optional(),
  MaximumRetryAttempts: z.unknown().optional(),
  ParallelizationFactor: z.unknown().optional(),
  TumblingWindowInSeconds: z.unknown().optional(),
};

const CreateRequest = z.object({
  FunctionName: z.string({ error: 'Member must not be null' }),
  EventSourceArn: z.string().optional(),
  StartingPosition: z.unknown().optional(),
  StartingPositionTimestamp: z.unknown().optional(),
  Tags: TagMap.optional(),
  ...settableFields,
});

const UpdateRequest = z.object({ FunctionName: z.string().optional(), ...settableFields });

/** Refuses settings an SQS mapping cannot have, as Lambda does, and the ones faasbox lacks. */
function refuseUnsupported(request: Record<string, unknown>): void {
  for (const name of ['StartingPosition', 'StartingPositionTimestamp', 'DestinationConfig', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'MaximumRetryAttempts', 'ParallelizationFactor', 'TumblingWindowInSeconds']) {
    if (request[name] !== undefined) throw invalidParameter(`Unsupported ${name} parameter for given event source mapping type.`);
  }
  if (request.FilterCriteria !== undefined) throw invalidParameter('FilterCriteria is not supported by faasbox event source mappings.');
}

/** Lambda's EventSourceMappingConfiguration; `state` is the transitional state an operation answers with. */
function render(mapping: EventSourceMapping, state?: string) {
  return {
    UUID: mapping.uuid,
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowSeconds,
    EventSourceArn: mapping.eventSourceArn,
    FunctionArn: mapping.functionArn,
    LastModified: mapping.lastModifiedMs / 1000,
    State: state ?? (mapping.enabled ? 'Enabled' : 'Disabled'),
    StateTransitionReason: 'USER_INITIATED',
    ...(mapping.lastProcessingResult !== undefined ? { LastProcessingResult: mapping.lastProcessingResult } : {}),
    FunctionResponseTypes: mapping.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    ...(mapping.maximumConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: mapping.maximumConcurrency } } : {}),
    EventSourceMappingArn: `arn:aws:lambda:${mapping.region}:${mapping.accountId}:event-source-mapping:${mapping.uuid}`,
  };
}

/**
 * The function a mapping feeds, optionally qualified (a version or alias): it must exist. The
 * record is what the qualifier points to now (an alias's primary version); the poller resolves
 * the qualifier again for every batch.
 */
async function mappedFunction(c: Context<AppContext>, raw: string) {
  const caller = c.get('caller');
  const ref = parseFunctionReference(raw, caller);
  const resolved = await resolveFunction(c.env, caller.accountId, ref.name, ref.qualifier, 'primary');
  if (!resolved) throw functionNotFound(functionArn(caller, ref.name, ref.qualifier));
  return { record: resolved.record, qualifier: ref.qualifier, functionArn: functionArn(caller, ref.name, ref.qualifier) };
}

/** The caller's queue an EventSourceArn names; another account's or region's queue does not exist. */
async function resolveQueue(c: Context<AppContext>, arn: string | undefined) {
  const caller = c.get('caller');
  if (arn === undefined) throw invalidParameter('Unrecognized event source, must be an SQS queue of your account (arn:aws:sqs:<region>:<account>:<queue>).');
  const address = parseQueueArn(arn);
  if (!address) throw invalidParameter(`Unsupported event source ${arn}: faasbox event source mappings read SQS queues of your account (arn:aws:sqs:${caller.region}:${caller.accountId}:<queue>).`);
  const queue = address.accountId === caller.accountId && address.region === caller.region
    ? await queueStore(c.env, caller.accountId).getQueue(address.name)
    : undefined;
  if (!queue) {
    throw invalidParameter('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist or you do not have access to it.');
  }
  return queue;
}

/** Lambda's cross-checks: a batch over 10 needs a window, and the queue must hide a message as long as the function may run. */
function checkBatching(batchSize: number, windowSeconds: number): void {
  if (batchSize > BATCH_SIZE_WITHOUT_WINDOW_MAX && windowSeconds === 0) {
    throw invalidParameter(`Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than ${BATCH_SIZE_WITHOUT_WINDOW_MAX}`);
  }
}

function checkVisibility(visibilityTimeoutSeconds: number, functionTimeoutSeconds: number): void {
  if (visibilityTimeoutSeconds < functionTimeoutSeconds) {
    throw invalidParameter(`Queue visibility timeout: ${visibilityTimeoutSeconds} seconds is less than Function timeout: ${functionTimeoutSeconds} seconds`);
  }
}

const mappingNotFound = () => new LambdaError(404, 'ResourceNotFoundException', 'The resource you requested does not exist.', { messageField: 'Message' });

const BASE = '/2015-03-31/event-source-mappings';

const create = async (c: Context<AppContext>) => {
  const caller = c.get('caller');
  const request = parseRequest(CreateRequest, jsonBody(c));
  refuseUnsupported(request);
  if (request.Tags) checkTags(request.Tags);
  const queue = await resolveQueue(c, request.EventSourceArn);
  const { record, qualifier, functionArn: arn } = await mappedFunction(c, request.FunctionName);
  const batchSize = request.BatchSize ?? BATCH_SIZE_DEFAULT;
  const windowSeconds = request.MaximumBatchingWindowInSeconds ?? 0;
  checkBatching(batchSize, windowSeconds);
  checkVisibility(queue.settings.visibilityTimeoutSeconds, record.timeoutSeconds);
  await checkRoleAllows(c.env, caller.accountId, record.role, QUEUE_TRIGGER_ACTIONS, request.EventSourceArn!, 'SQS');
  const mapping: EventSourceMapping = {
    uuid: crypto.randomUUID(),
    accountId: caller.accountId,
    region: caller.region,
    functionName: record.name,
    ...(qualifier !== undefined && qualifier !== '$LATEST' && { qualifier }),
    functionArn: arn,
    eventSourceArn: request.EventSourceArn!,
    queueName: queue.name,
    batchSize,
    maximumBatchingWindowSeconds: windowSeconds,
    enabled: request.Enabled ?? true,
    reportBatchItemFailures: (request.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    ...(request.ScalingConfig?.MaximumConcurrency !== undefined ? { maximumConcurrency: request.ScalingConfig.MaximumConcurrency } : {}),
    lastModifiedMs: Date.now(),
    ...(request.Tags && Object.keys(request.Tags).length > 0 ? { tags: request.Tags } : {}),
  };
  const created = await eventSourceMappings(c.env, caller.accountId).create(mapping);
  if (!created.ok) {
    throw resourceConflict(`An event source mapping with SQS arn (" ${mapping.eventSourceArn} ") and function (" ${record.name} ") already exists. Please update or delete the existing mapping with UUID ${created.existingUuid}`);
  }
  return c.json(render(mapping, 'Creating'), 202);
};
eventSourceMappingRoutes.post(BASE, create);
eventSourceMappingRoutes.post(`${BASE}/`, create);

const list = async (c: Context<AppContext>) => {
  const caller = c.get('caller');
  const maxItems = parseMaxItems(c.req.query('MaxItems'), 10_000, LIST_MAX_ITEMS_DEFAULT);
  const functionParam = c.req.query('FunctionName');
  const page = await eventSourceMappings(c.env, caller.accountId).list(
    {
      eventSourceArn: c.req.query('EventSourceArn') || undefined,
      functionName: functionParam ? parseFunctionReference(functionParam, caller).name : undefined,
    },
    c.req.query('Marker') ?? '',
    Math.min(maxItems, LIST_MAX_ITEMS_DEFAULT),
  );
  return c.json({ EventSourceMappings: page.mappings.map((m) => render(m)), ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}) });
};
eventSourceMappingRoutes.get(BASE, list);
eventSourceMappingRoutes.get(`${BASE}/`, list);

eventSourceMappingRoutes.get(`${BASE}/:uuid`, async (c) => {
  const mapping = await eventSourceMappings(c.env, c.get('caller').accountId).get(c.req.param('uuid'));
  if (!mapping) throw mappingNotFound();
  return c.json(render(mapping));
});

eventSourceMappingRoutes.put(`${BASE}/:uuid`, async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(UpdateRequest, jsonBody(c));
  refuseUnsupported(request);
  const mappings = eventSourceMappings(c.env, caller.accountId);
  const current = await mappings.get(c.req.param('uuid'));
  if (!current) throw mappingNotFound();
  if (request.FunctionName !== undefined && parseFunctionReference(request.FunctionName, caller).name !== current.functionName) {
    throw invalidParameter('faasbox cannot move an event source mapping to another function: delete it and create a new one.');
  }
  const changes: MappingChanges = {
    ...(request.Enabled !== undefined && { enabled: request.Enabled }),
    ...(request.BatchSize !== undefined && { batchSize: request.BatchSize }),
    ...(request.MaximumBatchingWindowInSeconds !== undefined && { maximumBatchingWindowSeconds: request.MaximumBatchingWindowInSeconds }),
    ...(request.FunctionResponseTypes !== undefined && { reportBatchItemFailures: request.FunctionResponseTypes.includes('ReportBatchItemFailures') }),
    ...(request.ScalingConfig !== undefined && { maximumConcurrency: request.ScalingConfig.MaximumConcurrency }),
  };
  checkBatching(changes.batchSize ?? current.batchSize, changes.maximumBatchingWindowSeconds ?? current.maximumBatchingWindowSeconds);
  // As Lambda, every update checks the function's role still may read the queue.
  const target = await resolveFunction(c.env, caller.accountId, current.functionName, current.qualifier, 'primary');
  if (target) await checkRoleAllows(c.env, caller.accountId, target.record.role, QUEUE_TRIGGER_ACTIONS, current.eventSourceArn, 'SQS');
  const updated = await mappings.update(current.uuid, changes);
  if (!updated) throw mappingNotFound();
  const state = updated.enabled === current.enabled ? 'Updating' : updated.enabled ? 'Enabling' : 'Disabling';
  return c.json(render(updated, state), 202);
});

eventSourceMappingRoutes.delete(`${BASE}/:uuid`, async (c) => {
  const removed = await eventSourceMappings(c.env, c.get('caller').accountId).delete(c.req.param('uuid'));
  if (!removed) throw mappingNotFound();
  return c.json(render(removed, 'Deleting'), 202);
});
