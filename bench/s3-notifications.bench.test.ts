// What event notifications cost a PutObject: the object written to R2, then its notifications
// queued (services/s3/notifications.ts), for a bucket whose configuration sends the event to a
// queue, one whose only rule's filter does not match the key, and one without a configuration
// (the baseline), interleaved batch by batch in one run.
import { it } from 'vitest';
import { env } from 'cloudflare:workers';
import { queueStore, s3BucketRegistry } from '../src/bindings';
import type { BucketRecord, NotificationRule } from '../src/records/s3';
import { putObject } from '../src/services/s3/objects';
import { nextSequencer, notifyObjectEvents } from '../src/services/s3/notifications';
import type { ObjectEvent } from '../src/s3/notifications';
// @ts-expect-error plain JS helper shared with the HTTP benchmark
import { summarize, printTable } from './stats.mjs';

const ACCOUNT = '310987654321';
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:bench-s3-events`;
const BODY = new TextEncoder().encode('x'.repeat(1024));

async function bucket(name: string, rules: NotificationRule[]): Promise<BucketRecord> {
  await s3BucketRegistry(env).create(name, ACCOUNT, 'us-east-1');
  await s3BucketRegistry(env).setNotifications(name, ACCOUNT, rules);
  return (await s3BucketRegistry(env).get(name))!;
}

/** Milliseconds per call over a batch (see sandbox.bench.test.ts for why batches). */
async function time(fn: (i: number) => Promise<unknown>, batch: number): Promise<number> {
  await scheduler.wait(0);
  const t = performance.now();
  for (let i = 0; i < batch; i++) await fn(i);
  await scheduler.wait(0);
  return (performance.now() - t) / batch;
}

it('PutObject with its notifications queued, against a bucket without a configuration', async () => {
  await queueStore(env, ACCOUNT).createQueue('bench-s3-events');
  const rule = (filterRules: NotificationRule['filterRules']): NotificationRule => ({ id: 'bench', destination: 'queue', arn: QUEUE_ARN, events: ['s3:ObjectCreated:*'], filterRules });
  const toQueue = await bucket('bench-to-queue', [rule([])]);
  const filtered = await bucket('bench-filtered', [rule([{ name: 'Suffix', value: '.jpg' }])]);
  const plain = await bucket('bench-plain', []);
  const enqueue = async () => {};
  /** A PutObject as the route runs it: the write, then the event's notifications. */
  const put = async (record: BucketRecord, i: number) => {
    const key = `k/${i}.txt`;
    const object = await putObject(env, record, key, BODY, { httpMetadata: {}, customMetadata: {} });
    const event: ObjectEvent = {
      eventName: 'ObjectCreated:Put', bucket: record.name, region: record.region, ownerAccountId: ACCOUNT, key, object: { size: object.size, eTag: object.etag },
      eventTime: new Date().toISOString(), principalId: `AWS:${ACCOUNT}`, sourceIPAddress: '127.0.0.1', requestId: crypto.randomUUID(), sequencer: nextSequencer(),
    };
    await notifyObjectEvents(env, record, [event], enqueue);
  };
  for (const record of [toQueue, filtered, plain]) await put(record, 0); // first calls, not measured

  const queued: number[] = [];
  const unmatched: number[] = [];
  const none: number[] = [];
  for (let round = 0; round < 20; round++) {
    queued.push(await time((i) => put(toQueue, i), 20));
    unmatched.push(await time((i) => put(filtered, i), 20));
    none.push(await time((i) => put(plain, i), 20));
  }
  printTable('S3 PutObject (1 KB) with its notifications (20 batches of 20)', [
    ['a matching rule: the record sent to a queue', summarize(queued)],
    ['a rule whose suffix filter does not match', summarize(unmatched)],
    ['no configuration (baseline)', summarize(none)],
  ]);
});
