// Account operations: deleting an account with everything it owns, in every Durable Object and
// in R2.
import {
  accountDirectory, concurrencyLimiter, eventSourceMappings, functionRegistry, iamStore, logStore, metricsStore, queueStore,
  scheduleStore, topicStore, traceStore,
} from '../bindings';
import { readConfig } from '../config';
import { deleteCodePrefix } from './functions';
import { layerCodePrefix } from '../code/bundle';
import { deleteAccountBuckets } from './s3/buckets';

/**
 * Deletes account `accountId`: false when there is none. In this order, so nothing new appears
 * while the rest goes:
 * 1. the directory's rows of it (keys, so no request of it is accepted any more; function URL
 *    ids, so no URL of it answers; its entry among accounts with schedules);
 * 2. what starts invocations by itself: schedules and queue triggers (their alarms too);
 * 3. every other per-account object: functions with versions, aliases, URLs, policies and test events;
 *    concurrency limit, reservations and leases; queues and messages; logs; metrics and billing;
 *    traces; IAM roles, users and policies (users' keys went with the directory's rows);
 * 4. its objects in R2: code zips and large async payloads; its S3 buckets with their objects.
 * An async event already queued for it finds no function and is dropped without a trace
 * (invoke/async-events.ts).
 */
export async function deleteAccount(env: Env, accountId: string): Promise<boolean> {
  if (!(await accountDirectory(env).deleteAccount(accountId))) return false;
  await deleteAccountContents(env, accountId);
  return true;
}

/**
 * Steps 2 to 4 of deleteAccount: everything of `accountId` outside the directory. Safe to run
 * again after a failure, when the directory no longer knows the account (a playground sandbox's
 * ending is retried so, services/playground/sandboxes.ts).
 */
export async function deleteAccountContents(env: Env, accountId: string): Promise<void> {
  await scheduleStore(env, accountId).deleteAll();
  await eventSourceMappings(env, accountId).deleteAll();
  await Promise.all([
    functionRegistry(env, accountId).deleteAll(),
    concurrencyLimiter(env, accountId).deleteAll(),
    queueStore(env, accountId).deleteAll(),
    logStore(env, accountId).deleteAll(),
    metricsStore(env, accountId).deleteAll(),
    traceStore(env, accountId).deleteAll(),
    topicStore(env, accountId).deleteAll(),
    iamStore(env, accountId).deleteAll(),
  ]);
  await deleteCodePrefix(env.CODE, `code/${accountId}/`);
  await deleteCodePrefix(env.CODE, layerCodePrefix(accountId));
  await deleteCodePrefix(env.CODE, `async/${accountId}/`);
  // Bodies of SNS HTTP(S) deliveries still queued (src/services/topics/http-delivery.ts).
  await deleteCodePrefix(env.CODE, `sns-http/${accountId}/`);
  await deleteAccountBuckets(env, accountId);
}

/** Whether `accountId` is an account (the admin's, from configuration, or one in the directory). */
export async function accountExists(env: Env, accountId: string): Promise<boolean> {
  return accountId === readConfig(env).adminAccountId || (await accountDirectory(env).getAccount(accountId)) !== undefined;
}
