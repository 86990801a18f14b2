// Conservation through a queue trigger: a thousand messages into a function that fails some
// items with ReportBatchItemFailures. Every message is processed successfully at least once or,
// poisoned, ends in the queue's dead-letter queue after maxReceiveCount receives; none is lost.
import { expect, it } from 'vitest';
import { createTenant, deploy } from '../support/signed-client';
import { eventually, metricTotal } from '../support/observe';
import { drain } from '../support/sqs-client';
import { createMapping, createQueue, logLines, queueCounts, sendAll } from './support';

// Each rule (poison every 50th, flaky every 7th) meets a thousand messages 20 and 140 times; 2,500
// took over a minute of a loaded 2-core machine for no other case.
const MESSAGES = 1_000;
const MAX_RECEIVE_COUNT = 3;
const isPoison = (i: number) => i % 50 === 7;
const isFlaky = (i: number) => i % 7 === 0 && !isPoison(i);

// Poison messages always fail; flaky ones fail on their first delivery only.
const HANDLER = `
exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    const { i, poison, flaky } = JSON.parse(record.body);
    const count = record.attributes.ApproximateReceiveCount;
    if (poison || (flaky && count === '1')) {
      console.log('fail ' + i + ' ' + count);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    } else {
      console.log('ok ' + i + ' ' + count);
    }
  }
  return { batchItemFailures };
};`;

it(`drains ${MESSAGES} messages with partial batch failures: nothing lost, poison in the DLQ after ${MAX_RECEIVE_COUNT} receives`, async () => {
  const tenant = await createTenant();
  const dlq = await createQueue(tenant, 'orders-dlq');
  // The function's timeout stays under the queue's visibility timeout (as Lambda requires) with room
  // for a loaded machine: a batch that timed out would count a receive for every message in it.
  const queue = await createQueue(tenant, 'orders', {
    VisibilityTimeout: '6',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
  });
  await deploy(tenant, 'consumer', HANDLER, { Timeout: 5 });
  await createMapping(tenant, { FunctionName: 'consumer', EventSourceArn: queue.arn, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });

  const all = Array.from({ length: MESSAGES }, (_, i) => i);
  await sendAll(tenant, queue, all.map((i) => JSON.stringify({ i, poison: isPoison(i), flaky: isFlaky(i) })));
  const poison = all.filter(isPoison);

  // Done when the source queue is empty and every poisoned message reached the DLQ.
  await eventually(async () => ({ source: await queueCounts(tenant, queue), dlq: await queueCounts(tenant, dlq) }),
    ({ source, dlq: d }) => source.visible + source.inFlight + source.delayed === 0 && d.visible === poison.length, 240_000);

  const parse = (line: string) => line.split(' ').slice(1).map(Number) as [number, number];
  const ok = (await logLines(tenant, 'consumer', 'ok ')).map(parse);
  const failed = (await logLines(tenant, 'consumer', 'fail ')).map(parse);
  const succeeded = new Set(ok.map(([i]) => i));

  // Every good message succeeded (at least once); no poisoned one ever did.
  expect(all.filter((i) => !isPoison(i) && !succeeded.has(i))).toEqual([]);
  expect(poison.filter((i) => succeeded.has(i))).toEqual([]);
  // Flaky messages failed on their first handled delivery and came back. Delivery is at least once:
  // a receive the function never saw (a batch handed back, a visibility timeout that ran out while
  // a loaded machine queued the batch) also counts, so the count of that first failure is not
  // always 1.
  // A flaky message never succeeds on its first receive; how many first receives the function did
  // not see is printed (in full runs of 2,500 a few were, for reasons not yet known: docs/QUEUES.md).
  for (const i of all.filter(isFlaky)) expect(ok.some(([j, count]) => j === i && count === 1), `flaky ${i}`).toBe(false);
  const unseenFirst = all.filter((i) => isFlaky(i) && !failed.some(([j]) => j === i)).length;
  console.log(`flaky messages whose first receive the function did not see: ${unseenFirst}`);
  // Poisoned messages failed on distinct receives, never past maxReceiveCount, then moved once each.
  for (const i of poison) {
    const counts = failed.filter(([j]) => j === i).map(([, count]) => count).sort();
    expect(counts.length, `poison ${i}`).toBeGreaterThan(0);
    expect(new Set(counts).size, `poison ${i}`).toBe(counts.length);
    expect(counts.every((count) => count >= 1 && count <= MAX_RECEIVE_COUNT), `poison ${i}`).toBe(true);
  }
  const deadLetters = await drain(tenant, dlq.url, 500);
  expect(deadLetters.map((m) => (JSON.parse(m.Body) as { i: number }).i).sort((a, b) => a - b)).toEqual(poison);
  expect(await queueCounts(tenant, dlq)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

  // Counts reconcile: at-least-once may repeat a success, never invent one.
  const duplicates = ok.length - succeeded.size;
  console.log(`${MESSAGES} messages: ${succeeded.size} succeeded (${duplicates} repeated), ${poison.length} dead-lettered, ${failed.length} failed deliveries`);
  expect(succeeded.size + poison.length).toBe(MESSAGES);
  expect(ok.every(([i]) => i >= 0 && i < MESSAGES)).toBe(true);
  // The handler never throws; an error is a batch that ran past its 5 s timeout (seen in full runs,
  // three files at a time: docs/QUEUES.md, "Known"), which handed the whole batch back.
  const errors = await metricTotal(tenant.accountId, 'consumer', 'Errors');
  console.log(`invocations that ended in an error (timeouts): ${errors}`);
  expect(errors).toBeLessThanOrEqual(unseenFirst + duplicates);
  expect(await metricTotal(tenant.accountId, 'consumer', 'Invocations')).toBeGreaterThanOrEqual(MESSAGES / 10);
}, 300_000);
