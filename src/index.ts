// Worker entry: the fetch handler and the Durable Object classes. No logic here.
import { env } from 'cloudflare:workers';
import { app } from './app';
import { readConfig } from './config';
import { onCronTrigger } from './schedules/nudge';
import { consumeAsyncEvents, consumeDroppedEvents, type AsyncEvent } from './invoke/async-events';

export { AccountDirectory } from './objects/account-directory';
export { FunctionRegistry } from './objects/function-registry';
export { LogStore } from './objects/log-store';
export { ConcurrencyLimiter } from './objects/concurrency-limiter';
export { QueueStore } from './objects/queue-store';
export { MetricsStore } from './objects/metrics-store';
export { TraceStore } from './objects/trace-store';
export { ScheduleStore } from './objects/schedule-store';
export { EventSourceMappings } from './objects/event-source-mappings';

// At module scope, so a malformed FAASBOX_* value stops `wrangler dev` / `wrangler deploy` from
// starting the Worker, with a message naming the variable, instead of a NaN at the first request.
readConfig(env);

export default {
  fetch: app.fetch,
  async queue(batch, env, ctx) {
    if (batch.queue.endsWith('-dlq')) return consumeDroppedEvents(batch as MessageBatch<AsyncEvent>, env);
    return consumeAsyncEvents(batch as MessageBatch<AsyncEvent>, env, ctx);
  },
  async scheduled(controller, env) {
    await onCronTrigger(env, controller);
  },
} satisfies ExportedHandler<Env, AsyncEvent>;
