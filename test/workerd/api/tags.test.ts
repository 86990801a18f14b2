// Lambda's tags inside workerd: TagResource, UntagResource and ListTags on functions and event
// source mappings, Tags on create, GetFunction's Tags and TagsError, the limits and refusals, IAM.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy, type Tenant, type TestClient } from '../support/signed-client';
import { policyOf, userWithPolicy } from '../support/iam-client';
import { createMapping, createQueue } from '../triggers/support';

const ECHO = 'exports.handler = async (event) => event;';
const tagsPath = (arn: string) => `/2017-03-31/tags/${encodeURIComponent(arn)}`;
const fnArn = (tenant: Tenant, name: string) => `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${name}`;

async function errorOf(response: Response) {
  const body = (await response.json()) as Record<string, string>;
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), message: body.message ?? body.Message };
}

async function listTags(tenant: TestClient, arn: string): Promise<Record<string, string>> {
  const response = await tenant.send('GET', tagsPath(arn));
  expect(response.status).toBe(200);
  return ((await response.json()) as { Tags: Record<string, string> }).Tags;
}

async function getFunction(tenant: TestClient, name: string) {
  const response = await tenant.send('GET', `/2015-03-31/functions/${name}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { Configuration: { RevisionId: string; LastModified: string }; Tags?: Record<string, string>; TagsError?: { ErrorCode: string; Message: string } };
}

const manyTags = (n: number, prefix = 'k') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `v${i}`]));

describe('tags of a function', () => {
  it('keeps CreateFunction Tags, merges TagResource over them and removes with UntagResource', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'tagged', ECHO, { Tags: { team: 'a', stage: 'dev' } });
    const arn = fnArn(tenant, 'tagged');
    expect(await listTags(tenant, arn)).toEqual({ team: 'a', stage: 'dev' });
    expect((await tenant.send('POST', tagsPath(arn), { Tags: { stage: 'prod', owner: 'ops' } })).status).toBe(204);
    expect(await listTags(tenant, arn)).toEqual({ team: 'a', stage: 'prod', owner: 'ops' });
    // Removing a key the function does not have is no error.
    expect((await tenant.send('DELETE', `${tagsPath(arn)}?tagKeys=team&tagKeys=missing`)).status).toBe(204);
    expect(await listTags(tenant, arn)).toEqual({ stage: 'prod', owner: 'ops' });
  });

  it('GetFunction shows Tags only when there are some, and a version shows the function\'s', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'plain', ECHO);
    expect(Object.keys(await getFunction(tenant, 'plain')).sort()).toEqual(['Code', 'Configuration']);
    await tenant.send('POST', tagsPath(fnArn(tenant, 'plain')), { Tags: { a: '1' } });
    expect((await getFunction(tenant, 'plain')).Tags).toEqual({ a: '1' });
    expect((await tenant.send('POST', '/2015-03-31/functions/plain/versions', {})).status).toBe(201);
    await tenant.send('POST', tagsPath(fnArn(tenant, 'plain')), { Tags: { b: '2' } });
    const version = (await (await tenant.send('GET', '/2015-03-31/functions/plain?Qualifier=1')).json()) as { Tags?: Record<string, string> };
    expect(version.Tags).toEqual({ a: '1', b: '2' });
    await tenant.send('DELETE', `${tagsPath(fnArn(tenant, 'plain'))}?tagKeys=a&tagKeys=b`);
    expect((await getFunction(tenant, 'plain')).Tags).toBeUndefined();
    expect(await listTags(tenant, fnArn(tenant, 'plain'))).toEqual({});
  });

  it('gives $LATEST a new RevisionId with each change of tags, and keeps LastModified', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'rev', ECHO);
    const before = (await getFunction(tenant, 'rev')).Configuration;
    await tenant.send('POST', tagsPath(fnArn(tenant, 'rev')), { Tags: { a: '1' } });
    const tagged = (await getFunction(tenant, 'rev')).Configuration;
    await tenant.send('DELETE', `${tagsPath(fnArn(tenant, 'rev'))}?tagKeys=a`);
    const untagged = (await getFunction(tenant, 'rev')).Configuration;
    expect(new Set([before.RevisionId, tagged.RevisionId, untagged.RevisionId]).size).toBe(3);
    expect(untagged.LastModified).toBe(before.LastModified);
  });

  it('makes no new version: PublishVersion after tag changes alone answers the newest version, and one after a configuration change publishes', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'pub', ECHO);
    const publish = async () => {
      const response = await tenant.send('POST', '/2015-03-31/functions/pub/versions', {});
      expect(response.status).toBe(201);
      return ((await response.json()) as { Version: string }).Version;
    };
    expect(await publish()).toBe('1');
    await tenant.send('POST', tagsPath(fnArn(tenant, 'pub')), { Tags: { a: '1' } });
    await tenant.send('DELETE', `${tagsPath(fnArn(tenant, 'pub'))}?tagKeys=a`);
    expect(await publish()).toBe('1');
    expect((await tenant.send('PUT', '/2015-03-31/functions/pub/configuration', { Timeout: 9 })).status).toBe(200);
    await tenant.send('POST', tagsPath(fnArn(tenant, 'pub')), { Tags: { b: '2' } });
    // The configuration changed since version 1: the tag after it does not hide that.
    expect(await publish()).toBe('2');
  });

  it('forgets the tags with the function: a new function of the same name has none', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'again', ECHO, { Tags: { a: '1' } });
    expect((await tenant.send('DELETE', '/2015-03-31/functions/again')).status).toBe(204);
    expect(await errorOf(await tenant.send('GET', tagsPath(fnArn(tenant, 'again'))))).toEqual({
      status: 404, type: 'ResourceNotFoundException', message: `Function not found: ${fnArn(tenant, 'again')}`,
    });
    await deploy(tenant, 'again', ECHO);
    expect(await listTags(tenant, fnArn(tenant, 'again'))).toEqual({});
  });

  it('counts 50 tags with the ones the function has, on create and on TagResource', async () => {
    const tenant = await createTenant();
    const refusal = { status: 400, type: 'InvalidParameterValueException', message: 'Number of tags exceeds resource tag limit.' };
    const create = await tenant.send('POST', '/2015-03-31/functions', {
      FunctionName: 'many', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/lambda-role', Handler: 'index.handler', Code: { ZipFile: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' }, Tags: manyTags(51),
    });
    expect(await errorOf(create)).toEqual(refusal);
    await deploy(tenant, 'many', ECHO, { Tags: manyTags(49) });
    expect(await errorOf(await tenant.send('POST', tagsPath(fnArn(tenant, 'many')), { Tags: { x: '1', y: '2' } }))).toEqual(refusal);
    // Overwriting a key the function has adds none.
    expect((await tenant.send('POST', tagsPath(fnArn(tenant, 'many')), { Tags: { k0: 'new', x: '1' } })).status).toBe(204);
    expect(Object.keys(await listTags(tenant, fnArn(tenant, 'many')))).toHaveLength(50);
  });

  it.each([
    ['an empty key', { '': 'v' }, /^Invalid tag key '': a tag key is 1 to 128 characters/],
    ['a key of 129 characters', { ['k'.repeat(129)]: 'v' }, /^Invalid tag key 'k{129}'/],
    ['the aws: prefix, in any case', { 'AWS:team': 'v' }, /^Invalid tag key 'AWS:team': the aws: prefix is reserved for AWS use\.$/],
    ['a key with a character outside the set', { 'team;a': 'v' }, /^Invalid tag key 'team;a'/],
    ['a value of 257 characters', { team: 'v'.repeat(257) }, /^Invalid tag value for key 'team': a tag value is 0 to 256 characters/],
    ['a value with a character outside the set', { team: 'a*b' }, /^Invalid tag value for key 'team'/],
  ])('refuses %s with InvalidParameterValueException', async (_what, tags, message) => {
    const tenant = await createTenant();
    await deploy(tenant, 'limits', ECHO);
    const error = await errorOf(await tenant.send('POST', tagsPath(fnArn(tenant, 'limits')), { Tags: tags }));
    expect(error).toMatchObject({ status: 400, type: 'InvalidParameterValueException' });
    expect(error.message).toMatch(message);
  });

  it('accepts 128-character keys, 256-character and empty values, Unicode letters, spaces and _.:/=+-@', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'edges', ECHO);
    const tags = { ['é'.repeat(128)]: 'v'.repeat(256), 'a b_c.d:e/f=g+h-i@j': '', awsish: 'aws:value' };
    expect((await tenant.send('POST', tagsPath(fnArn(tenant, 'edges')), { Tags: tags })).status).toBe(204);
    expect(await listTags(tenant, fnArn(tenant, 'edges'))).toEqual(tags);
  });

  it('refuses a qualified ARN, a missing or empty Tags and no tagKeys as Lambda does', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'refused', ECHO);
    const arn = fnArn(tenant, 'refused');
    const qualified = { status: 400, type: 'InvalidParameterValueException', message: 'Tags on function aliases and versions are not supported. Please specify a function ARN.' };
    expect(await errorOf(await tenant.send('POST', tagsPath(`${arn}:1`), { Tags: { a: 'b' } }))).toEqual(qualified);
    expect(await errorOf(await tenant.send('GET', tagsPath(`${arn}:$LATEST`)))).toEqual(qualified);
    expect(await errorOf(await tenant.send('POST', tagsPath(arn), {}))).toEqual({
      status: 400, type: 'ValidationException', message: "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
    });
    expect(await errorOf(await tenant.send('POST', tagsPath(arn), { Tags: {} }))).toEqual({
      status: 400, type: 'InvalidParameterValueException', message: 'An error occurred and the request cannot be processed.',
    });
    expect(await errorOf(await tenant.send('DELETE', tagsPath(arn)))).toEqual({
      status: 400, type: 'ValidationException', message: "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
    });
  });

  it('refuses an ARN that is no taggable resource with ValidationException, and the kinds faasbox has none of as not found', async () => {
    const tenant = await createTenant();
    const error = await errorOf(await tenant.send('GET', tagsPath(`arn:aws:lambda:us-east-1:${tenant.accountId}:foobar:x`)));
    expect(error).toMatchObject({ status: 400, type: 'ValidationException' });
    expect(error.message).toBe(
      `1 validation error detected: Value 'arn:aws:lambda:us-east-1:${tenant.accountId}:foobar:x' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)`,
    );
    const long = await errorOf(await tenant.send('GET', tagsPath(`arn:aws:lambda:us-east-1:${tenant.accountId}:function:${'f'.repeat(250)}`)));
    expect(long.message).toMatch(/^1 validation error detected: .* Member must have length less than or equal to 256$/);
    const csc = `arn:aws:lambda:us-east-1:${tenant.accountId}:code-signing-config:csc-0123456789abcdefg`;
    expect(await errorOf(await tenant.send('GET', tagsPath(csc)))).toEqual({
      status: 404, type: 'ResourceNotFoundException', message: `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${csc}.`,
    });
  });
});

describe('tags of an event source mapping', () => {
  it('keeps CreateEventSourceMapping Tags, lists them, and GetEventSourceMapping does not show them', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'consumer', ECHO);
    const queue = await createQueue(tenant, 'tags-source', { VisibilityTimeout: '30' });
    const mapping = await createMapping(tenant, { FunctionName: 'consumer', EventSourceArn: queue.arn, Enabled: false, Tags: { team: 'a' } });
    expect(mapping).not.toHaveProperty('Tags');
    expect(await listTags(tenant, mapping.EventSourceMappingArn)).toEqual({ team: 'a' });
    expect((await tenant.send('POST', tagsPath(mapping.EventSourceMappingArn), { Tags: { b: '2' } })).status).toBe(204);
    expect((await tenant.send('DELETE', `${tagsPath(mapping.EventSourceMappingArn)}?tagKeys=team`)).status).toBe(204);
    expect(await listTags(tenant, mapping.EventSourceMappingArn)).toEqual({ b: '2' });
    const got = (await (await tenant.send('GET', `/2015-03-31/event-source-mappings/${mapping.UUID}`)).json()) as Record<string, unknown>;
    expect(got).not.toHaveProperty('Tags');
    expect(got.LastModified).toBe(mapping.LastModified);
    await tenant.send('DELETE', `/2015-03-31/event-source-mappings/${mapping.UUID}`);
    expect(await errorOf(await tenant.send('GET', tagsPath(mapping.EventSourceMappingArn)))).toEqual({
      status: 404, type: 'ResourceNotFoundException', message: `Event source mapping not found: ${mapping.EventSourceMappingArn}`,
    });
  });

  it('refuses a mapping created with 51 tags', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'consumer', ECHO);
    const queue = await createQueue(tenant, 'tags-many', { VisibilityTimeout: '30' });
    const response = await tenant.send('POST', '/2015-03-31/event-source-mappings/', { FunctionName: 'consumer', EventSourceArn: queue.arn, Tags: manyTags(51) });
    expect(await errorOf(response)).toEqual({ status: 400, type: 'InvalidParameterValueException', message: 'Number of tags exceeds resource tag limit.' });
  });
});

describe('who may tag', () => {
  it("answers another account's resource with AccessDeniedException, even to its root", async () => {
    const owner = await createTenant();
    const other = await createTenant();
    await deploy(owner, 'theirs', ECHO, { Tags: { a: '1' } });
    const arn = fnArn(owner, 'theirs');
    for (const [method, path, action, body] of [
      ['GET', tagsPath(arn), 'ListTags', undefined],
      ['POST', tagsPath(arn), 'TagResource', { Tags: { b: '2' } }],
      ['DELETE', `${tagsPath(arn)}?tagKeys=a`, 'UntagResource', undefined],
    ] as const) {
      expect(await errorOf(await other.send(method, path, body))).toEqual({
        status: 403, type: 'AccessDeniedException',
        message: `User: arn:aws:iam::${other.accountId}:root is not authorized to perform: lambda:${action} on resource: ${arn} because no resource-based policy allows the lambda:${action} action`,
      });
    }
    expect(await listTags(owner, arn)).toEqual({ a: '1' });
  });

  it('asks lambda:TagResource, UntagResource and ListTags on the ARN, and TagResource too for a create with Tags', async () => {
    const owner = await createTenant();
    await deploy(owner, 'guarded', ECHO, { Tags: { a: '1' } });
    const arn = fnArn(owner, 'guarded');
    const user = await userWithPolicy(owner, 'creator', policyOf(
      { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:GetFunction', 'iam:PassRole'], Resource: '*' },
      { Effect: 'Allow', Action: 'lambda:ListTags', Resource: arn },
    ));
    expect(await listTags(user, arn)).toEqual({ a: '1' });
    const denied = await errorOf(await user.send('POST', tagsPath(arn), { Tags: { b: '2' } }));
    expect(denied).toMatchObject({ status: 403, type: 'AccessDeniedException' });
    expect(denied.message).toContain(`is not authorized to perform: lambda:TagResource on resource: ${arn}`);
    const untagDenied = await errorOf(await user.send('DELETE', `${tagsPath(arn)}?tagKeys=a`));
    expect(untagDenied.message).toContain('lambda:UntagResource');
    // Without Tags the create needs no TagResource; with them it does.
    await deploy(user, 'untagged-by-user', ECHO);
    const createDenied = await errorOf(await user.send('POST', '/2015-03-31/functions', {
      FunctionName: 'tagged-by-user', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/lambda-role', Handler: 'index.handler', Code: { ZipFile: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' }, Tags: { a: '1' },
    }));
    expect(createDenied.message).toContain(`lambda:TagResource on resource: ${fnArn(owner, 'tagged-by-user')}`);
  });

  it('GetFunction answers TagsError in place of Tags to a caller without lambda:ListTags', async () => {
    const owner = await createTenant();
    await deploy(owner, 'secret-tags', ECHO, { Tags: { a: '1' } });
    const reader = await userWithPolicy(owner, 'reader', policyOf({ Effect: 'Allow', Action: 'lambda:GetFunction', Resource: '*' }));
    const got = await getFunction(reader, 'secret-tags');
    expect(got.Tags).toBeUndefined();
    expect(got.TagsError).toEqual({
      ErrorCode: 'AccessDeniedException',
      Message: `User: ${reader.arn} is not authorized to perform: lambda:ListTags on resource: ${fnArn(owner, 'secret-tags')} because no identity-based policy allows the lambda:ListTags action`,
    });
  });
});
