// Queue tags over the JSON and Query protocols: TagQueue, UntagQueue, ListQueueTags, CreateQueue's
// tags, the limits and refusals, and the tags gone with the queue.
import { describe, expect, it } from 'vitest';
import { createSqsTenant } from './sqs-client';
import { createTenant } from '../support/signed-client';
import { sqsApi } from '../support/aws-json-client';
import { policyOf, userWithPolicy } from '../support/iam-client';

async function sqsError(response: Response) {
  const body = (await response.json()) as { __type: string; message: string };
  return { status: response.status, code: body.__type.replace('com.amazonaws.sqs#', ''), message: body.message };
}

describe('queue tags (JSON protocol)', () => {
  it('keeps CreateQueue tags, merges TagQueue over them, removes with UntagQueue and omits Tags when there are none', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'tagged', tags: { team: 'a', empty: '' } });
    expect(await tenant.ok('ListQueueTags', { QueueUrl })).toEqual({ Tags: { team: 'a', empty: '' } });
    expect(await tenant.ok('TagQueue', { QueueUrl, Tags: { team: 'b', Team: 'c' } })).toEqual({});
    expect(await tenant.ok('ListQueueTags', { QueueUrl })).toEqual({ Tags: { team: 'b', Team: 'c', empty: '' } });
    expect(await tenant.ok('UntagQueue', { QueueUrl, TagKeys: ['team', 'missing'] })).toEqual({});
    expect(await tenant.ok('UntagQueue', { QueueUrl, TagKeys: ['Team', 'empty'] })).toEqual({});
    expect(await tenant.ok('ListQueueTags', { QueueUrl })).toEqual({});
  });

  it('forgets the tags with the queue', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'gone', tags: { a: '1' } });
    await tenant.ok('DeleteQueue', { QueueUrl });
    expect(await sqsError(await tenant.call('ListQueueTags', { QueueUrl }))).toEqual({ status: 400, code: 'QueueDoesNotExist', message: 'The specified queue does not exist.' });
    await tenant.ok('CreateQueue', { QueueName: 'gone' });
    expect(await tenant.ok('ListQueueTags', { QueueUrl })).toEqual({});
  });

  it('returns the existing queue for the same tags and refuses different ones', async () => {
    const tenant = await createSqsTenant();
    await tenant.ok('CreateQueue', { QueueName: 'same', tags: { a: '1', b: '2' } });
    expect(await tenant.ok('CreateQueue', { QueueName: 'same', tags: { b: '2', a: '1' } })).toEqual({ QueueUrl: tenant.url('same') });
    expect(await tenant.ok('CreateQueue', { QueueName: 'same' })).toEqual({ QueueUrl: tenant.url('same') });
    expect(await sqsError(await tenant.call('CreateQueue', { QueueName: 'same', tags: { a: '2' } }))).toEqual({
      status: 400, code: 'QueueNameExists', message: 'A queue already exists with the same name and a different value for tags',
    });
  });

  it('counts 50 tags with the ones the queue has', async () => {
    const tenant = await createSqsTenant();
    const tags = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));
    const tooMany = { status: 400, code: 'InvalidParameterValue', message: 'Too many tags added for queue many.' };
    expect(await sqsError(await tenant.call('CreateQueue', { QueueName: 'many', tags: tags(51, 'k') }))).toEqual(tooMany);
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'many', tags: tags(50, 'k') });
    expect(await sqsError(await tenant.call('TagQueue', { QueueUrl, Tags: { extra: 'v' } }))).toEqual(tooMany);
    expect(await tenant.ok('TagQueue', { QueueUrl, Tags: { k0: 'changed' } })).toEqual({});
  });

  it.each([
    ['a key of 129 characters', { ['k'.repeat(129)]: 'v' }, /^Value k{129} for parameter TagKey is invalid\. Reason: a tag key is 1 to 128 characters/],
    ['the aws: prefix', { 'aws:team': 'v' }, /^Value aws:team for parameter TagKey is invalid\. Reason: the aws: prefix is reserved for AWS use\.$/],
    ['a value of 257 characters', { team: 'v'.repeat(257) }, /^Value v{257} for parameter TagValue is invalid\. Reason: a tag value is 0 to 256 characters/],
    ['a character outside the set', { 'team#': 'v' }, /^Value team# for parameter TagKey is invalid/],
  ])('refuses %s with InvalidParameterValue', async (_what, Tags, message) => {
    const tenant = await createSqsTenant();
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'limits' });
    const error = await sqsError(await tenant.call('TagQueue', { QueueUrl, Tags }));
    expect(error).toMatchObject({ status: 400, code: 'InvalidParameterValue' });
    expect(error.message).toMatch(message);
  });

  it('refuses a request without Tags or TagKeys, and a queue that does not exist', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'needs' });
    expect(await sqsError(await tenant.call('TagQueue', { QueueUrl }))).toMatchObject({ code: 'MissingParameter', message: 'The request must contain the parameter Tags.' });
    expect(await sqsError(await tenant.call('UntagQueue', { QueueUrl }))).toMatchObject({ code: 'MissingParameter', message: 'The request must contain the parameter TagKeys.' });
    expect(await sqsError(await tenant.call('TagQueue', { QueueUrl: tenant.url('nope'), Tags: { a: '1' } }))).toMatchObject({ code: 'QueueDoesNotExist' });
  });
});

describe('queue tags (Query protocol)', () => {
  it('reads Tag.N.Key/Value and TagKey.N, and answers ListQueueTags with <Tag><Key/><Value/></Tag>', async () => {
    const tenant = await createSqsTenant();
    const created = await tenant.query({ Action: 'CreateQueue', QueueName: 'query-tags', 'Tag.1.Key': 'team', 'Tag.1.Value': 'a' });
    expect(created.status).toBe(200);
    const QueueUrl = tenant.url('query-tags');
    expect((await tenant.query({ Action: 'TagQueue', QueueUrl, 'Tag.1.Key': 'stage', 'Tag.1.Value': 'dev', 'Tag.2.Key': 'x/y', 'Tag.2.Value': '' })).status).toBe(200);
    const listed = await (await tenant.query({ Action: 'ListQueueTags', QueueUrl })).text();
    expect(listed).toContain('<ListQueueTagsResult><Tag><Key>team</Key><Value>a</Value></Tag><Tag><Key>stage</Key><Value>dev</Value></Tag>');
    expect(listed).toContain('<Tag><Key>x/y</Key><Value></Value></Tag></ListQueueTagsResult>');
    expect((await tenant.query({ Action: 'UntagQueue', QueueUrl, 'TagKey.1': 'team', 'TagKey.2': 'stage', 'TagKey.3': 'x/y' })).status).toBe(200);
    expect(await (await tenant.query({ Action: 'ListQueueTags', QueueUrl })).text()).toContain('<ListQueueTagsResult></ListQueueTagsResult>');
  });
});

describe('who may tag a queue', () => {
  it('asks sqs:TagQueue, UntagQueue and ListQueueTags on the queue, and TagQueue too for CreateQueue with tags', async () => {
    const owner = await createTenant('sqs-owner');
    const arn = (name: string) => `arn:aws:sqs:us-east-1:${owner.accountId}:${name}`;
    const user = (await userWithPolicy(owner, 'queues', policyOf(
      { Effect: 'Allow', Action: ['sqs:CreateQueue', 'sqs:ListQueueTags'], Resource: '*' },
      { Effect: 'Allow', Action: 'sqs:TagQueue', Resource: arn('taggable') },
    ))).as('sqs');
    await sqsApi.call(user, 'CreateQueue', { QueueName: 'taggable', tags: { a: '1' } });
    const denied = await sqsApi.response(user, 'CreateQueue', { QueueName: 'other', tags: { a: '1' } });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain(`is not authorized to perform: sqs:TagQueue on resource: ${arn('other')}`);
    await sqsApi.call(user, 'CreateQueue', { QueueName: 'other' });
    const QueueUrl = `http://faasbox.test/${owner.accountId}/taggable`;
    expect(await sqsApi.call(user, 'ListQueueTags', { QueueUrl })).toEqual({ Tags: { a: '1' } });
    const untag = await sqsApi.response(user, 'UntagQueue', { QueueUrl, TagKeys: ['a'] });
    expect(untag.status).toBe(403);
    expect(await untag.text()).toContain('sqs:UntagQueue');
  });
});
