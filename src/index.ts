// Worker entry: the fetch, queue and scheduled handlers and the Durable Object classes. No logic
// here; the two objects that start invocations get the invocation path from here, and the
// invocation path the app for its internal endpoint (wiring only).
import { env } from 'cloudflare:workers';
import { app, serveInternalRequest } from './app';
import { readConfig } from './config';
import { onCronTrigger } from './schedules/nudge';
import { consumeAsyncEvents, consumeDroppedEvents, type AsyncQueueMessage } from './invoke/async-events';
import type { Caller } from './function-names';
import { EventSourceMappingsObject } from './objects/event-source-mappings';
import { ScheduleStoreObject } from './objects/schedule-store';
import type { EventSourceMapping, PollOptions } from './records/event-source-mapping';
import type { Firing } from './schedules/scheduled-event';
import { enqueueFiring } from './services/schedule-firing';
import { deleteExpiredShares } from './services/function-shares';
import { pollMapping } from './triggers/sqs-poller';
import { PlaygroundRegistryObject } from './objects/playground-registry';
import { endSandboxAccount, sweepSandboxes } from './services/playground/sandboxes';
import { serveInternalApiWith } from './invoke/internal-endpoint';

export { AccountDirectory } from './objects/account-directory';
export { FunctionRegistry } from './objects/function-registry';
export { LogStore } from './objects/log-store';
export { ConcurrencyLimiter } from './objects/concurrency-limiter';
export { QueueStore } from './objects/queue-store';
export { MetricsStore } from './objects/metrics-store';
export { TraceStore } from './objects/trace-store';
export { TopicStore } from './objects/topic-store';
export { ApiRateLimiter } from './objects/api-rate-limiter';
export { IamStore } from './objects/iam-store';
export { S3BucketRegistry } from './objects/s3-bucket-registry';

/** Schedule rules (objects/schedule-store.ts); a firing is queued as an async invocation. */
export class ScheduleStore extends ScheduleStoreObject {
  protected enqueueFiring(owner: Caller, firing: Firing) {
    return enqueueFiring(this.env, (p) => this.ctx.waitUntil(p), owner, firing);
  }
}

/** Queue triggers (objects/event-source-mappings.ts); a poll receives, invokes and deletes. */
export class EventSourceMappings extends EventSourceMappingsObject {
  protected poll(mapping: EventSourceMapping, options: PollOptions) {
    return pollMapping(this.env, mapping, options);
  }
}

/** Playground sandboxes (objects/playground-registry.ts); a sandbox's end deletes its account. */
export class PlaygroundRegistry extends PlaygroundRegistryObject {
  protected endAccount(accountId: string) {
    return endSandboxAccount(this.env, accountId);
  }
}

// A function's requests to AWS_ENDPOINT_URL are the app's, in process (src/invoke/internal-endpoint.ts).
serveInternalApiWith(serveInternalRequest);

// At module scope, so a malformed FAASBOX_* value stops `wrangler dev` / `wrangler deploy` from
// starting the Worker, with a message naming the variable, instead of a NaN at the first request.
readConfig(env);

export default {
  fetch: app.fetch,
  async queue(batch, env, ctx) {
    if (batch.queue.endsWith('-dlq')) return consumeDroppedEvents(batch as MessageBatch<AsyncQueueMessage>, env);
    return consumeAsyncEvents(batch as MessageBatch<AsyncQueueMessage>, env, ctx);
  },
  async scheduled(controller, env) {
    await onCronTrigger(env, controller);
    // The backstop of the playground registry's alarm: ends any sandbox already due.
    await sweepSandboxes(env, Date.now());
    // Shares past FAASBOX_PLAYGROUND_SHARE_TTL_SECONDS (docs/PLAYGROUND.md, "Share and fork").
    await deleteExpiredShares(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env, AsyncQueueMessage>;
