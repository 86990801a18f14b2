// Asynchronous invocation (InvocationType Event): events accepted with 202 travel through the
// ASYNC_EVENTS queue and are run by this Worker's consumer under the same admission as
// synchronous calls. Every event ends as a success, a retry, a dead letter or destination
// record, or a counted drop; none is lost (delivery is at least once).
import { functionArn, type Caller } from '../function-names';
import type { EventInvokeConfig, FunctionRecord } from '../records/function';
import { concurrencyLimiter, functionRegistry, metricsStore } from '../bindings';
import { readConfig } from '../config';
import { invokeFunction, type CompletedInvocation } from './invoke-function';
import { recordMetrics } from './metrics-batch';
import { resolveFunction } from '../services/resolve-function';
import { accountExists } from '../services/accounts';
import { isQueueArn, sendToQueueArn } from '../queues/deliver';
import type { MetricSample } from '../records/metrics';
import { downstreamTraceHeader } from '../traces/invocation-trace';
import { newTraceRoot } from '../traces/trace-header';
import { quotaMessage } from '../playground/quota-messages';
import { deliveryAction, executionRole } from '../services/iam/execution-role';
import { publishToTopic } from '../services/topics/publish';
import { attemptHttpDelivery, isHttpDelivery, type HttpDelivery } from '../services/topics/http-delivery';
import { parseTopicArn } from '../topics/names';

/** Payloads larger than this travel through R2, since a queue message holds at most 128 KB. */
const INLINE_PAYLOAD_MAX_BYTES = 96 * 1024;

/** One queued event. `retries` counts re-runs after function errors; `throttles` re-queues after throttling. */
export interface AsyncEvent {
  v: 1;
  accountId: string;
  region: string;
  functionName: string;
  requestId: string;
  /** The payload JSON, or the R2 key holding it. */
  payload: { inline: string } | { r2Key: string };
  receivedAtMs: number;
  retries: number;
  throttles: number;
  /** X-Amzn-Trace-Id the event arrived with (or a new root), so every attempt joins one trace. */
  traceHeader?: string;
  /** The version resolved when the event was accepted (absent: $LATEST); every retry runs it. */
  version?: string;
  /** The qualifier the caller named (an alias, a version), for invokedFunctionArn and records. */
  qualifier?: string;
}

/** What the ASYNC_EVENTS queue carries: asynchronous invocations and SNS's HTTP(S) deliveries. */
export type AsyncQueueMessage = AsyncEvent | HttpDelivery;

/** Lambda's defaults for async invocation, overridden by the invoked qualifier's event invoke config. */
export const DEFAULT_MAX_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 21_600;

type WaitUntil = (p: Promise<unknown>) => void;

/**
 * Queues an event for `record` ($LATEST or the version a qualifier resolved to) and counts it;
 * resolves once the queue has it. `qualifier` is what the caller named; `traceHeader` the
 * X-Amzn-Trace-Id it arrived with (absent: a new trace root).
 */
export async function enqueueEvent(
  env: Env, waitUntil: WaitUntil, caller: Caller, record: FunctionRecord, requestId: string, eventJson: string,
  options: { qualifier?: string; traceHeader?: string } = {},
): Promise<void> {
  let payload: AsyncEvent['payload'] = { inline: eventJson };
  if (new TextEncoder().encode(eventJson).byteLength > INLINE_PAYLOAD_MAX_BYTES) {
    const r2Key = `async/${caller.accountId}/${requestId}.json`;
    await env.CODE.put(r2Key, eventJson);
    payload = { r2Key };
  }
  const event: AsyncEvent = {
    v: 1, accountId: caller.accountId, region: caller.region, functionName: record.name, requestId, payload, receivedAtMs: Date.now(), retries: 0, throttles: 0,
    traceHeader: options.traceHeader ?? `Root=${newTraceRoot()}`,
    ...(record.version !== undefined && { version: record.version }),
    ...(options.qualifier !== undefined && { qualifier: options.qualifier }),
  };
  await env.ASYNC_EVENTS.send(event, { contentType: 'json' });
  recordMetrics(env, waitUntil, caller.accountId, [{ functionName: record.name, metric: 'AsyncEventsReceived', value: 1 }]);
}

/**
 * The queue consumer. Each event is handled on its own; a platform failure (anything thrown)
 * retries that message through the queue, and past the queue's retries its dead-letter consumer
 * counts the event as dropped.
 */
export async function consumeAsyncEvents(batch: MessageBatch<AsyncQueueMessage>, env: Env, ctx: ExecutionContext): Promise<void> {
  await Promise.all(batch.messages.map(async (message) => {
    try {
      const body = message.body;
      await (isHttpDelivery(body) ? attemptHttpDelivery(env, body) : handleEvent(env, ctx, body));
      message.ack();
    } catch (error) {
      const body = message.body;
      console.error(`${isHttpDelivery(body) ? `sns delivery ${body.messageId}` : `async event ${body.requestId}`} failed in the platform; retrying:`, error);
      message.retry({ delaySeconds: 1 });
    }
  }));
}

/** Consumer of the platform's dead-letter queue: events the platform itself could not handle. */
export async function consumeDroppedEvents(batch: MessageBatch<AsyncQueueMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const event = message.body;
    if (isHttpDelivery(event)) {
      console.error(`sns delivery ${event.messageId} to ${event.subscriptionArn} dropped after platform retries`);
      if ('r2Key' in event.body) await env.CODE.delete(event.body.r2Key);
      message.ack();
      continue;
    }
    console.error(`async event ${event.requestId} of ${event.accountId}/${event.functionName} dropped after platform retries`);
    await recordNow(env, event.accountId, [{ functionName: event.functionName, metric: 'AsyncEventsDropped', value: 1 }]);
    await deletePayload(env, event);
    message.ack();
  }
}

async function handleEvent(env: Env, ctx: ExecutionContext, event: AsyncEvent): Promise<void> {
  const caller: Caller = { accountId: event.accountId, region: event.region };
  // The version the event was accepted for runs; the config is the invoked qualifier's own (an
  // alias's, a version's, or $LATEST's for an unqualified invoke), as in Lambda.
  const eventTarget = await functionRegistry(env, event.accountId).eventTarget(event.functionName, event.version, event.qualifier);
  if (!eventTarget) {
    // The function (or its version) was deleted while its event waited: nothing can run it or take its failure.
    // Of a deleted account nothing is recorded either, so that no row of it comes back.
    if (!(await accountExists(env, event.accountId))) return deletePayload(env, event);
    await recordNow(env, event.accountId, [{ functionName: event.functionName, metric: 'AsyncEventsDropped', value: 1 }]);
    await deletePayload(env, event);
    return;
  }
  const { record, config } = eventTarget;
  const maxRetries = config?.maximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS;
  const maxAgeMs = (config?.maximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
  const ageMs = Date.now() - event.receivedAtMs;
  const eventJson = await readPayload(env, event);
  if (ageMs > maxAgeMs) {
    return fail(env, ctx, caller, record, config, event, eventJson, 'EventAgeExceeded', undefined);
  }
  // Reserved concurrency 0: the function takes no events at all; they go straight to failure handling.
  if ((await concurrencyLimiter(env, event.accountId).getReservation(record.name)) === 0) {
    await recordNow(env, event.accountId, [{ functionName: record.name, metric: 'Throttles', value: 1 }]);
    return fail(env, ctx, caller, record, config, event, eventJson, 'ZeroReservedConcurrency', undefined);
  }

  const attempt = await invokeFunction(env, (p) => ctx.waitUntil(p), { caller, record, qualifier: event.qualifier, requestId: event.requestId, eventJson, traceHeader: event.traceHeader });
  await recordNow(env, event.accountId, [{ functionName: record.name, metric: 'AsyncEventAge', value: ageMs }]);
  if (attempt.kind === 'throttled') {
    // A sandbox quota no retry can pass (its invocations in all, its cost cap) ends the event now,
    // as retries exhausted, with the quota named in its dead letter and invocation record.
    if (attempt.quota && attempt.quota.retryAfterSeconds === undefined) {
      return fail(env, ctx, caller, record, config, event, eventJson, 'RetriesExhausted', undefined, quotaMessage(readConfig(env), attempt.quota.quota));
    }
    // Throttles are retried with backoff until the event's age runs out; a sandbox's per-minute
    // quota when its minute is over.
    const backoffSeconds = attempt.quota?.retryAfterSeconds ?? Math.min(readConfig(env).throttleBackoffMaxSeconds, 2 ** event.throttles);
    await env.ASYNC_EVENTS.send({ ...event, throttles: event.throttles + 1 }, { contentType: 'json', delaySeconds: Math.floor(backoffSeconds) });
    return;
  }
  if (attempt.report.result.kind === 'success') {
    await deliverToDestination(env, ctx, caller, record, config, event, eventJson, 'Success', attempt);
    await deletePayload(env, event);
    return;
  }
  if (event.retries < maxRetries) {
    const delays = attempt.sandbox ? readConfig(env).playgroundAsyncRetryDelaysSeconds : readConfig(env).asyncRetryDelaysSeconds;
    const delaySeconds = delays[Math.min(event.retries, delays.length - 1)] ?? 0;
    await env.ASYNC_EVENTS.send({ ...event, retries: event.retries + 1 }, { contentType: 'json', delaySeconds });
    return;
  }
  return fail(env, ctx, caller, record, config, event, eventJson, 'RetriesExhausted', attempt);
}

/** Lambda's conditions of an invocation record (ZeroReservedConcurrency: never run, reserved concurrency 0). */
type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';

/**
 * Sends a failed event to the dead-letter queue and the OnFailure destination, or counts it
 * dropped. `quotaRefusal`: the message of the sandbox quota that refused it (ErrorCode 429).
 */
async function fail(
  env: Env, ctx: ExecutionContext, caller: Caller, record: FunctionRecord, config: EventInvokeConfig | undefined, event: AsyncEvent, eventJson: string,
  condition: Condition, attempt: CompletedInvocation | undefined, quotaRefusal?: string,
): Promise<void> {
  const samples: MetricSample[] = [];
  let delivered = false;
  if (record.deadLetterTargetArn) {
    const error = attempt?.report.result.kind === 'failure' ? attempt.report.result.error : undefined;
    const attributes = {
      RequestID: { DataType: 'String', StringValue: event.requestId },
      ErrorCode: { DataType: 'Number', StringValue: attempt ? '200' : '429' },
      ErrorMessage: { DataType: 'String', StringValue: error?.errorMessage ?? quotaRefusal ?? (condition === 'EventAgeExceeded' ? 'Event age exceeded' : 'Rate Exceeded.') },
    };
    // The execution role sends it (sqs:SendMessage or sns:Publish on the target); a topic gets the event as its message.
    const sent = !(await roleMayDeliver(env, caller, record, record.deadLetterTargetArn))
      ? false
      : parseTopicArn(record.deadLetterTargetArn)
        ? await publishRecord(env, ctx, caller, record.deadLetterTargetArn, eventJson, attributes)
        : (await sendToQueueArn(env, caller.accountId, caller.region, record.deadLetterTargetArn, eventJson, attributes)).ok;
    if (sent) delivered = true;
    else samples.push({ functionName: record.name, metric: 'DeadLetterErrors', value: 1 });
  }
  if (config?.onFailure) {
    if (await deliverRecord(env, ctx, caller, record, config.onFailure, invocationRecord(caller, record, event, eventJson, condition, attempt, quotaRefusal), attempt)) delivered = true;
    else samples.push({ functionName: record.name, metric: 'DestinationDeliveryFailures', value: 1 });
  }
  if (!delivered) samples.push({ functionName: record.name, metric: 'AsyncEventsDropped', value: 1 });
  if (samples.length > 0) await recordNow(env, caller.accountId, samples);
  await deletePayload(env, event);
}

async function deliverToDestination(
  env: Env, ctx: ExecutionContext, caller: Caller, record: FunctionRecord, config: EventInvokeConfig | undefined, event: AsyncEvent, eventJson: string,
  condition: Condition, attempt: CompletedInvocation,
): Promise<void> {
  const destination = config?.onSuccess;
  if (!destination) return;
  if (!(await deliverRecord(env, ctx, caller, record, destination, invocationRecord(caller, record, event, eventJson, condition, attempt), attempt))) {
    await recordNow(env, caller.accountId, [{ functionName: record.name, metric: 'DestinationDeliveryFailures', value: 1 }]);
  }
}

/** Lambda's invocation record, as destinations receive it; a sandbox quota's refusal is its 429 response. */
function invocationRecord(
  caller: Caller, record: FunctionRecord, event: AsyncEvent, eventJson: string, condition: Condition, attempt: CompletedInvocation | undefined, quotaRefusal?: string,
) {
  const result = attempt?.report.result;
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: event.requestId,
      functionArn: functionArn(caller, record.name, event.qualifier ?? '$LATEST'),
      condition,
      approximateInvokeCount: attempt ? event.retries + 1 : event.retries,
    },
    requestPayload: JSON.parse(eventJson) as unknown,
    // An event that never ran has no response (Lambda's record of ZeroReservedConcurrency ends here).
    ...(condition === 'ZeroReservedConcurrency' ? {} : responseOf(record, result, quotaRefusal)),
  };
}

/** The response half of an invocation record: its context and payload. */
function responseOf(record: FunctionRecord, result: CompletedInvocation['report']['result'] | undefined, quotaRefusal: string | undefined) {
  const refused = quotaRefusal === undefined ? {} : { statusCode: 429 };
  return {
    responseContext: {
      statusCode: 200,
      executedVersion: record.version ?? '$LATEST',
      ...(result?.kind === 'failure' ? { functionError: 'Unhandled' } : {}),
      ...refused,
    },
    responsePayload: result === undefined
      ? (quotaRefusal === undefined ? null : { errorType: 'TooManyRequestsException', errorMessage: quotaRefusal })
      : result.kind === 'success' ? (JSON.parse(result.payloadJson) as unknown) : (result.error.reply ?? result.error),
  };
}

/**
 * Whether the function's execution role may deliver to `targetArn` (sqs:SendMessage,
 * lambda:InvokeFunction, events:PutEvents on it): Lambda sends with the role's permissions.
 */
async function roleMayDeliver(env: Env, caller: Caller, record: FunctionRecord, targetArn: string): Promise<boolean> {
  return (await executionRole(env, caller.accountId, record.role)).allows(deliveryAction(targetArn), targetArn);
}

/**
 * Delivers a record to a queue ARN, a topic ARN or, as a new async event in the same trace, to a
 * function ARN; false when it was not (the role may not, or the target does not exist).
 */
async function deliverRecord(env: Env, ctx: ExecutionContext, caller: Caller, record: FunctionRecord, destinationArn: string, body: unknown, attempt: CompletedInvocation | undefined): Promise<boolean> {
  if (!(await roleMayDeliver(env, caller, record, destinationArn))) return false;
  const json = JSON.stringify(body);
  if (isQueueArn(destinationArn)) return (await sendToQueueArn(env, caller.accountId, caller.region, destinationArn, json)).ok;
  if (parseTopicArn(destinationArn)) return publishRecord(env, ctx, caller, destinationArn, json, {});
  const target = destinationArn.split(':');
  if (target[3] !== caller.region || target[4] !== caller.accountId || target[5] !== 'function') return false;
  const targetRecord = (await resolveFunction(env, caller.accountId, target[6], target[7]))?.record;
  if (!targetRecord || targetRecord.name === record.name) return false;
  await enqueueEvent(env, (p) => ctx.waitUntil(p), caller, targetRecord, crypto.randomUUID(), json, {
    qualifier: target[7],
    traceHeader: attempt ? downstreamTraceHeader(attempt.trace) : undefined,
  });
  return true;
}

/**
 * Publishes a dead letter or invocation record to a topic of the function's account (its
 * subscribers' functions get it as new async events); false when there is no such topic.
 */
async function publishRecord(
  env: Env, ctx: ExecutionContext, caller: Caller, topicArn: string, message: string, attributes: Record<string, { DataType: string; StringValue: string }>,
): Promise<boolean> {
  const topic = parseTopicArn(topicArn);
  if (!topic || topic.accountId !== caller.accountId || topic.region !== caller.region) return false;
  const enqueue = (target: Caller, record: FunctionRecord, requestId: string, eventJson: string, options: { qualifier?: string }) =>
    enqueueEvent(env, (p) => ctx.waitUntil(p), target, record, requestId, eventJson, options);
  return (await publishToTopic(env, caller, topic.name, { message, attributes }, enqueue)) !== undefined;
}

async function readPayload(env: Env, event: AsyncEvent): Promise<string> {
  if ('inline' in event.payload) return event.payload.inline;
  const object = await env.CODE.get(event.payload.r2Key);
  if (!object) throw new Error(`payload ${event.payload.r2Key} is missing`);
  return object.text();
}

async function deletePayload(env: Env, event: AsyncEvent): Promise<void> {
  if ('r2Key' in event.payload) await env.CODE.delete(event.payload.r2Key);
}

/** Metrics written before the message is acknowledged, so a count is never lost with it. */
async function recordNow(env: Env, accountId: string, samples: MetricSample[]): Promise<void> {
  await metricsStore(env, accountId).record(samples, Date.now());
}
