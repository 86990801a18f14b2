// The event source mapping API: Create, Get, Update, Delete and List with Lambda's shapes,
// states and errors, and tenants that never see each other's mappings.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy, signedClient, type Tenant } from '../support/signed-client';
import { createMapping, createQueue, type MappingConfiguration } from './support';

const BASE = '/2015-03-31/event-source-mappings';

async function setup(name = 'fn') {
  const tenant = await createTenant();
  const queue = await createQueue(tenant, 'jobs');
  await deploy(tenant, name, 'exports.handler = async () => null;');
  return { tenant, queue };
}

async function expectError(response: Response, status: number, type: string): Promise<Record<string, string>> {
  const body = (await response.json()) as Record<string, string>;
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(response.headers.get('x-amzn-errortype'), JSON.stringify(body)).toBe(type);
  return body;
}

const get = async (tenant: Tenant, uuid: string) => (await tenant.send('GET', `${BASE}/${uuid}`)).json() as Promise<MappingConfiguration>;

describe('CreateEventSourceMapping and GetEventSourceMapping', () => {
  it('answers 202 Creating with Lambda\'s defaults, then reads back Enabled', async () => {
    const { tenant, queue } = await setup();
    const createdAfterSeconds = Date.now() / 1000;
    const created = await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn });
    expect(created).toEqual({
      UUID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      EventSourceArn: queue.arn,
      FunctionArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:fn`,
      LastModified: expect.any(Number),
      State: 'Creating',
      StateTransitionReason: 'USER_INITIATED',
      FunctionResponseTypes: [],
      EventSourceMappingArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:event-source-mapping:${created.UUID}`,
    });
    expect(created.LastModified).toBeGreaterThanOrEqual(createdAfterSeconds);
    expect(created.LastModified).toBeLessThanOrEqual(Date.now() / 1000);
    expect(await get(tenant, created.UUID)).toEqual({ ...created, State: 'Enabled' });
  });

  it('takes a function ARN, the settings, and Enabled false', async () => {
    const { tenant, queue } = await setup();
    const created = await createMapping(tenant, {
      FunctionName: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:fn`, EventSourceArn: queue.arn, Enabled: false,
      BatchSize: 500, MaximumBatchingWindowInSeconds: 5, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 3 },
    });
    expect(created).toMatchObject({ BatchSize: 500, MaximumBatchingWindowInSeconds: 5, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 3 } });
    expect((await get(tenant, created.UUID)).State).toBe('Disabled');
  });

  it('refuses out-of-range settings with ValidationException', async () => {
    const { tenant, queue } = await setup();
    const cases: [Record<string, unknown>, string][] = [
      [{ BatchSize: 0 }, "Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      [{ BatchSize: 10_001 }, "at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000"],
      [{ MaximumBatchingWindowInSeconds: 301 }, "at 'maximumBatchingWindowInSeconds'"],
      [{ FunctionResponseTypes: ['Everything'] }, 'Member must satisfy enum value set: [ReportBatchItemFailures]'],
      [{ ScalingConfig: { MaximumConcurrency: 1 } }, "at 'scalingConfig.maximumConcurrency'"],
    ];
    for (const [extra, message] of cases) {
      const body = await expectError(await tenant.send('POST', `${BASE}/`, { FunctionName: 'fn', EventSourceArn: queue.arn, ...extra }), 400, 'ValidationException');
      expect(body.message).toContain(message);
    }
  });

  it('refuses what Lambda refuses with InvalidParameterValueException', async () => {
    const { tenant, queue } = await setup();
    const other = await createTenant('other');
    const theirs = await createQueue(other, 'theirs');
    await deploy(tenant, 'slow', 'exports.handler = async () => null;', { Timeout: 60 });
    const cases: [Record<string, unknown>, string][] = [
      [{ FunctionName: 'fn', EventSourceArn: queue.arn, BatchSize: 11 }, 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'],
      [{ FunctionName: 'fn', EventSourceArn: `arn:aws:sqs:us-east-1:${tenant.accountId}:missing` }, 'AWS.SimpleQueueService.NonExistentQueue'],
      [{ FunctionName: 'fn', EventSourceArn: theirs.arn }, 'AWS.SimpleQueueService.NonExistentQueue'],
      [{ FunctionName: 'fn', EventSourceArn: `arn:aws:sqs:eu-west-1:${tenant.accountId}:jobs` }, 'AWS.SimpleQueueService.NonExistentQueue'],
      [{ FunctionName: 'fn', EventSourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' }, 'Unsupported event source'],
      [{ FunctionName: 'fn' }, 'Unrecognized event source'],
      [{ FunctionName: 'slow', EventSourceArn: queue.arn }, 'Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds'],
      [{ FunctionName: 'fn', EventSourceArn: queue.arn, StartingPosition: 'LATEST' }, 'Unsupported StartingPosition parameter'],
      [{ FunctionName: 'fn', EventSourceArn: queue.arn, FilterCriteria: { Filters: [] } }, 'FilterCriteria is not supported'],
    ];
    for (const [body, message] of cases) {
      const error = await expectError(await tenant.send('POST', `${BASE}/`, body), 400, 'InvalidParameterValueException');
      expect(error.message).toContain(message);
    }
  });

  it('answers a missing function with ResourceNotFoundException and a second mapping of the same pair with ResourceConflictException', async () => {
    const { tenant, queue } = await setup();
    const missing = await expectError(await tenant.send('POST', `${BASE}/`, { FunctionName: 'nope', EventSourceArn: queue.arn }), 404, 'ResourceNotFoundException');
    expect(missing.Message).toBe(`Function not found: arn:aws:lambda:us-east-1:${tenant.accountId}:function:nope`);
    const first = await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn });
    const conflict = await expectError(await tenant.send('POST', `${BASE}/`, { FunctionName: 'fn', EventSourceArn: queue.arn }), 409, 'ResourceConflictException');
    expect(conflict.message).toContain(first.UUID);
  });

  it('answers an unknown UUID with ResourceNotFoundException, and an unsigned request with 403', async () => {
    const { tenant } = await setup();
    const body = await expectError(await tenant.send('GET', `${BASE}/${crypto.randomUUID()}`), 404, 'ResourceNotFoundException');
    expect(body.Message).toBe('The resource you requested does not exist.');
    const { exports } = await import('cloudflare:workers');
    const unsigned = await exports.default.fetch(new Request(`http://faasbox.test${BASE}/`));
    expect(unsigned.status).toBe(403);
  });
});

describe('UpdateEventSourceMapping and DeleteEventSourceMapping', () => {
  it('answers 202 Updating, Disabling or Enabling, and the change reads back', async () => {
    const { tenant, queue } = await setup();
    const { UUID } = await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn });
    const update = (body: Record<string, unknown>) => tenant.send('PUT', `${BASE}/${UUID}`, body);
    const resized = await update({ BatchSize: 100, MaximumBatchingWindowInSeconds: 2, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(resized.status).toBe(202);
    expect(await resized.json()).toMatchObject({ UUID, State: 'Updating', BatchSize: 100, MaximumBatchingWindowInSeconds: 2, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(await (await update({ Enabled: false })).json()).toMatchObject({ State: 'Disabling' });
    expect((await get(tenant, UUID)).State).toBe('Disabled');
    expect(await (await update({ Enabled: true, FunctionResponseTypes: [] })).json()).toMatchObject({ State: 'Enabling', FunctionResponseTypes: [] });
    expect(await get(tenant, UUID)).toMatchObject({ State: 'Enabled', BatchSize: 100 });
    const error = await expectError(await update({ MaximumBatchingWindowInSeconds: 0 }), 400, 'InvalidParameterValueException');
    expect(error.message).toContain('Maximum batch window');
    await expectError(await update({ BatchSize: 0 }), 400, 'ValidationException');
    await expectError(await tenant.send('PUT', `${BASE}/${crypto.randomUUID()}`, { Enabled: false }), 404, 'ResourceNotFoundException');
  });

  it('deletes with 202 Deleting; afterwards the mapping is gone', async () => {
    const { tenant, queue } = await setup();
    const { UUID } = await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn });
    const deleted = await tenant.send('DELETE', `${BASE}/${UUID}`);
    expect(deleted.status).toBe(202);
    expect(await deleted.json()).toMatchObject({ UUID, State: 'Deleting' });
    await expectError(await tenant.send('GET', `${BASE}/${UUID}`), 404, 'ResourceNotFoundException');
    await expectError(await tenant.send('DELETE', `${BASE}/${UUID}`), 404, 'ResourceNotFoundException');
    // The pair is free again.
    await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn });
  });
});

describe('ListEventSourceMappings', () => {
  it('filters by function (name or ARN) and queue, and pages with MaxItems and NextMarker', async () => {
    const { tenant, queue } = await setup('a');
    const other = await createQueue(tenant, 'other');
    await deploy(tenant, 'b', 'exports.handler = async () => null;');
    const ab = await Promise.all([
      createMapping(tenant, { FunctionName: 'a', EventSourceArn: queue.arn }),
      createMapping(tenant, { FunctionName: 'a', EventSourceArn: other.arn }),
      createMapping(tenant, { FunctionName: 'b', EventSourceArn: queue.arn }),
    ]);
    const list = async (query: string) => (await (await tenant.send('GET', `${BASE}/${query}`)).json()) as { EventSourceMappings: MappingConfiguration[]; NextMarker?: string };
    const uuids = (page: { EventSourceMappings: MappingConfiguration[] }) => page.EventSourceMappings.map((m) => m.UUID).sort();
    expect(uuids(await list(''))).toEqual(ab.map((m) => m.UUID).sort());
    expect(uuids(await list('?FunctionName=a'))).toEqual([ab[0].UUID, ab[1].UUID].sort());
    expect(uuids(await list(`?FunctionName=${encodeURIComponent(`arn:aws:lambda:us-east-1:${tenant.accountId}:function:b`)}`))).toEqual([ab[2].UUID]);
    expect(uuids(await list(`?EventSourceArn=${encodeURIComponent(queue.arn)}`))).toEqual([ab[0].UUID, ab[2].UUID].sort());
    expect(uuids(await list(`?EventSourceArn=${encodeURIComponent(queue.arn)}&FunctionName=b`))).toEqual([ab[2].UUID]);
    expect((await list('')).EventSourceMappings[0].State).toBe('Enabled');
    const seen: string[] = [];
    let marker = '';
    do {
      const page = await list(`?MaxItems=1${marker ? `&Marker=${marker}` : ''}`);
      expect(page.EventSourceMappings.length).toBeLessThanOrEqual(1);
      seen.push(...uuids(page));
      marker = page.NextMarker ?? '';
    } while (marker);
    expect(seen.sort()).toEqual(ab.map((m) => m.UUID).sort());
    await expectError(await tenant.send('GET', `${BASE}/?MaxItems=0`), 400, 'ValidationException');
  });

  it('shows a tenant only its own mappings', async () => {
    const { tenant, queue } = await setup();
    const { UUID } = await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn });
    const other = await createTenant('other');
    expect(await (await other.send('GET', `${BASE}/`)).json()).toEqual({ EventSourceMappings: [] });
    await expectError(await other.send('GET', `${BASE}/${UUID}`), 404, 'ResourceNotFoundException');
    await expectError(await other.send('DELETE', `${BASE}/${UUID}`), 404, 'ResourceNotFoundException');
    expect((await signedClient().send('GET', `${BASE}/${UUID}`)).status).toBe(404);
  });
});
