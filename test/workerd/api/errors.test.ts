// Lambda's answers to malformed names, qualifiers and ARNs (per operation's FunctionName shape),
// to other accounts' and regions' ARNs, to idempotent deletes and to inputs AWS refuses, each in
// AWS's code and words (test/corpus/lambda/errors.ts asks the same through real clients).
import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { ROLE } from '../support/zip';

const F = '/2015-03-31/functions';
const HANDLER = 'exports.handler = async () => "ok";';
const REGION = '((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?';
const PREFIX = `(arn:(aws[a-zA-Z-]*)?:lambda:)?${REGION}(\\d{12}:)?(function:)?`;
/** The patterns AWS quotes: FunctionName, NamespacedFunctionName, the Qualifier of most operations. */
const PLAIN_PATTERN = `${PREFIX}([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`;
const NAMESPACED_PATTERN = `${PREFIX}([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`;
const QUALIFIER_PATTERN = '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+';

async function answer(response: Response) {
  const text = await response.text();
  const body = (text ? JSON.parse(text) : {}) as { message?: string; Message?: string };
  return { status: response.status, code: response.headers.get('x-amzn-errortype') ?? undefined, message: body.message ?? body.Message };
}

const refused = (status: number, code: string, message: string) => ({ status, code, message });
const pattern = (value: string, member: string, regex: string) =>
  `Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${regex}`;
const one = (violation: string) => `1 validation error detected: ${violation}`;

async function withFunction(name: string): Promise<Tenant> {
  const tenant = await createTenant();
  await deploy(tenant, name, HANDLER);
  return tenant;
}

describe('malformed function names and qualifiers', () => {
  it('quote the pattern of each operation\'s FunctionName shape', async () => {
    const tenant = await createTenant();
    const bad = encodeURIComponent('invalid:function:name');
    expect(await answer(await tenant.send('GET', `${F}/${bad}`))).toEqual(refused(400, 'ValidationException', one(pattern('invalid:function:name', 'functionName', NAMESPACED_PATTERN))));
    expect(await answer(await tenant.send('PUT', `${F}/${bad}/configuration`, {}))).toEqual(refused(400, 'ValidationException', one(pattern('invalid:function:name', 'functionName', PLAIN_PATTERN))));
    expect(await answer(await tenant.send('GET', `/2019-09-30/functions/${bad}/concurrency`))).toEqual(refused(400, 'ValidationException', one(pattern('invalid:function:name', 'functionName', PLAIN_PATTERN))));
    const invoke = await answer(await tenant.send('POST', `${F}/${encodeURIComponent('arn:aws:lambda:us-east-1:123400000000@function:myfn')}/invocations`, '{}'));
    expect(invoke).toEqual(refused(400, 'ValidationException', one(pattern('arn:aws:lambda:us-east-1:123400000000@function:myfn', 'functionName', NAMESPACED_PATTERN))));
  });

  it('count every violation: a bad name and a bad qualifier, a name too long and malformed', async () => {
    const tenant = await createTenant();
    const both = await answer(await tenant.send('GET', `${F}/${encodeURIComponent('a:b:c')}?Qualifier=${encodeURIComponent('bad?q')}`));
    expect(both).toEqual(refused(400, 'ValidationException',
      `2 validation errors detected: ${pattern('a:b:c', 'functionName', NAMESPACED_PATTERN)}; ${pattern('bad?q', 'qualifier', QUALIFIER_PATTERN)}`));
    const long = `${'x'.repeat(140)}!`;
    expect(await answer(await tenant.send('PUT', `${F}/${long}/code`, {}))).toEqual(refused(400, 'ValidationException',
      `2 validation errors detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 140; ${pattern(long, 'functionName', PLAIN_PATTERN)}`));
    const qualifier = 'q'.repeat(129);
    expect(await answer(await tenant.send('GET', `${F}/fn/configuration?Qualifier=${qualifier}`))).toEqual(refused(400, 'ValidationException',
      one(`Value '${qualifier}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128`)));
  });

  it('refuse an ARN with an empty account; read one that omits it as the caller\'s', async () => {
    const tenant = await withFunction('mine');
    const empty = 'arn:aws:lambda:us-east-1::function:mine';
    expect(await answer(await tenant.send('GET', `${F}/${encodeURIComponent(empty)}/configuration`))).toEqual(refused(400, 'ValidationException', one(pattern(empty, 'functionName', NAMESPACED_PATTERN))));
    expect((await tenant.send('GET', `${F}/${encodeURIComponent('arn:aws:lambda:us-east-1:function:mine')}/configuration`)).status).toBe(200);
  });

  it('answer CreateFunction\'s plain name over 64 characters as InvalidParameterValueException', async () => {
    const tenant = await createTenant();
    const name = 'a'.repeat(65);
    const created = await tenant.send('POST', F, { FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: btoa('x') } });
    expect(await answer(created)).toEqual(refused(400, 'InvalidParameterValueException', one(`Value '${name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`)));
  });
});

describe('ARNs of other regions and accounts', () => {
  it('a function ARN of another region is not reachable from this one', async () => {
    const tenant = await withFunction('here');
    for (const [method, path] of [['GET', ''], ['GET', '/configuration'], ['DELETE', ''], ['POST', '/invocations']] as const) {
      const arn = encodeURIComponent(`arn:aws:lambda:eu-west-1:${tenant.accountId}:function:here`);
      expect(await answer(await tenant.send(method, `${F}/${arn}${path}`, method === 'POST' ? '{}' : undefined)), `${method} ${path}`)
        .toEqual(refused(404, 'ResourceNotFoundException', "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')"));
    }
  });

  it('another account\'s function ARN is AccessDeniedException in AWS\'s words, for its root too', async () => {
    const owner = await withFunction('theirs');
    const other = await createTenant('other');
    const arn = `arn:aws:lambda:us-east-1:${owner.accountId}:function:theirs`;
    expect(await answer(await other.send('GET', `${F}/${encodeURIComponent(arn)}`))).toEqual(refused(403, 'AccessDeniedException',
      `User: arn:aws:iam::${other.accountId}:root is not authorized to perform: lambda:GetFunction on resource: ${arn} because no resource-based policy allows the lambda:GetFunction action`));
    expect((await answer(await other.send('PUT', `/2017-10-31/functions/${encodeURIComponent(`${owner.accountId}:function:theirs`)}/concurrency`, { ReservedConcurrentExecutions: 1 }))).code)
      .toBe('AccessDeniedException');
    expect((await owner.send('GET', `${F}/theirs`)).status).toBe(200);
  });
});

describe('idempotent deletes answer as AWS does', () => {
  it('DeleteAlias and DeleteFunction of a missing version succeed; a missing function does not', async () => {
    const tenant = await withFunction('fn');
    expect((await tenant.send('DELETE', `${F}/fn/aliases/none`)).status).toBe(204);
    expect((await tenant.send('DELETE', `${F}/fn?Qualifier=1233`)).status).toBe(204);
    expect((await tenant.send('DELETE', `/2017-10-31/functions/fn/concurrency`)).status).toBe(204);
    const arn = (name: string) => `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${name}`;
    expect(await answer(await tenant.send('DELETE', `${F}/gone?Qualifier=1233`))).toEqual(refused(404, 'ResourceNotFoundException', `Function not found: ${arn('gone')}`));
    expect(await answer(await tenant.send('DELETE', `${F}/gone/aliases/none`))).toEqual(refused(404, 'ResourceNotFoundException', `Function not found: ${arn('gone')}`));
  });

  it('RemovePermission, DeleteFunctionUrlConfig and DeleteFunctionEventInvokeConfig of nothing are not found, each in its words', async () => {
    const tenant = await withFunction('fn');
    const arn = (name: string) => `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${name}`;
    expect(await answer(await tenant.send('DELETE', `${F}/fn/policy/nope`))).toEqual(refused(404, 'ResourceNotFoundException', 'No policy is associated with the given resource.'));
    expect((await tenant.send('POST', `${F}/fn/policy`, { StatementId: 'kept', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' })).status).toBe(201);
    expect(await answer(await tenant.send('DELETE', `${F}/fn/policy/nope`))).toEqual(refused(404, 'ResourceNotFoundException', 'Statement nope is not found in resource policy.'));
    expect(await answer(await tenant.send('DELETE', `${F}/gone/policy/nope`))).toEqual(refused(404, 'ResourceNotFoundException', `No policy found for: ${arn('gone')}`));
    expect(await answer(await tenant.send('DELETE', '/2021-10-31/functions/fn/url'))).toEqual(refused(404, 'ResourceNotFoundException', 'The resource you requested does not exist.'));
    for (const name of ['fn', 'gone']) {
      expect(await answer(await tenant.send('DELETE', `/2019-09-25/functions/${name}/event-invoke-config`)))
        .toEqual(refused(404, 'ResourceNotFoundException', `The function ${arn(name)}:$LATEST doesn't have an EventInvokeConfig`));
    }
  });
});

describe('messages of missing resources', () => {
  it('name the operation\'s own words', async () => {
    const tenant = await withFunction('fn');
    const arn = (name: string) => `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${name}`;
    const notFound = (message: string) => refused(404, 'ResourceNotFoundException', message);
    expect(await answer(await tenant.send('GET', `${F}/fn/aliases/none`))).toEqual(notFound(`Cannot find alias arn: ${arn('fn')}:none`));
    expect(await answer(await tenant.send('PUT', `${F}/fn/aliases/none`, {}))).toEqual(notFound(`Alias not found: ${arn('fn')}:none`));
    expect(await answer(await tenant.send('GET', `${F}/fn/policy`))).toEqual(notFound('The resource you requested does not exist.'));
    expect(await answer(await tenant.send('GET', `${F}/gone/policy`))).toEqual(notFound('The resource you requested does not exist.'));
    expect(await answer(await tenant.send('POST', `${F}/gone/policy`, { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: '*' }))).toEqual(notFound(`Function not found: ${arn('gone')}`));
    expect(await answer(await tenant.send('POST', `${F}/fn/policy?Qualifier=none`, { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: '*' }))).toEqual(notFound(`Cannot find alias arn: ${arn('fn')}:none`));
    expect(await answer(await tenant.send('GET', '/2021-10-31/functions/gone/url'))).toEqual(notFound('The resource you requested does not exist.'));
    expect(await answer(await tenant.send('POST', '/2021-10-31/functions/gone/url', { AuthType: 'NONE' }))).toEqual(notFound('Function does not exist'));
    expect(await answer(await tenant.send('GET', '/2021-10-31/functions/gone/urls'))).toEqual(notFound('Function does not exist'));
    expect(await answer(await tenant.send('GET', `/2019-09-25/functions/gone/event-invoke-config`))).toEqual(notFound(`The function ${arn('gone')}:$LATEST doesn't have an EventInvokeConfig`));
    expect(await answer(await tenant.send('PUT', `/2019-09-25/functions/gone/event-invoke-config`, { MaximumRetryAttempts: 1 }))).toEqual(notFound("The function doesn't exist."));
    expect(await answer(await tenant.send('PUT', '/2017-10-31/functions/gone/concurrency', { ReservedConcurrentExecutions: 1 }))).toEqual(notFound(`Function not found: ${arn('gone')}:$LATEST`));
    expect(await answer(await tenant.send('GET', '/2019-09-30/functions/gone/concurrency'))).toEqual(notFound(`Function not found: ${arn('gone')}`));
  });
});

describe('inputs AWS refuses', () => {
  it('AddPermission: a StatementId with a dot, the $LATEST qualifier', async () => {
    const tenant = await withFunction('fn');
    const statement = { Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' };
    expect(await answer(await tenant.send('POST', `${F}/fn/policy`, { ...statement, StatementId: 'example.com' })))
      .toEqual(refused(400, 'ValidationException', one(pattern('example.com', 'statementId', '[a-zA-Z0-9-_]+'))));
    expect(await answer(await tenant.send('POST', `${F}/fn/policy?Qualifier=$LATEST`, { ...statement, StatementId: 's' })))
      .toEqual(refused(400, 'InvalidParameterValueException', 'We currently do not support adding policies for $LATEST.'));
    expect((await tenant.send('POST', `${F}/fn/policy`, { ...statement, StatementId: 's' })).status).toBe(201);
    expect(await answer(await tenant.send('POST', `${F}/fn/policy`, { ...statement, StatementId: 's' })))
      .toEqual(refused(409, 'ResourceConflictException', 'The statement id (s) provided already exists. Please provide a new statement id, or remove the existing statement.'));
  });

  it('concurrency operations on a version or alias', async () => {
    const tenant = await withFunction('fn');
    const qualifiedRefusal = refused(400, 'InvalidParameterValueException',
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.');
    expect(await answer(await tenant.send('PUT', '/2017-10-31/functions/fn:1/concurrency', { ReservedConcurrentExecutions: 1 }))).toEqual(qualifiedRefusal);
    expect(await answer(await tenant.send('GET', '/2019-09-30/functions/fn:live/concurrency'))).toEqual(qualifiedRefusal);
    expect(await answer(await tenant.send('DELETE', '/2017-10-31/functions/fn:$LATEST/concurrency'))).toEqual(qualifiedRefusal);
  });

  it('runtimes: retired by AWS, unknown to AWS, and known to AWS but not run here', async () => {
    const tenant = await createTenant();
    const create = async (Runtime: string) => answer(await tenant.send('POST', F, {
      FunctionName: 'rt', Runtime, Role: ROLE, Handler: 'index.handler', Code: { ZipFile: btoa('x') },
    }));
    expect(await create('nodejs14.x')).toEqual(refused(400, 'InvalidParameterValueException',
      'The runtime parameter of nodejs14.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.'));
    expect(await create('python3.9')).toEqual(refused(400, 'InvalidParameterValueException',
      'The runtime parameter of python3.9 is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.'));
    expect(await create('PYTHON3.9')).toEqual(refused(400, 'InvalidParameterValueException',
      "Value PYTHON3.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [nodejs18.x, nodejs20.x, nodejs22.x, nodejs24.x, python3.12, python3.13, python3.14]"));
    expect((await create('python3.11')).message).toMatch(/^The runtime parameter of python3\.11 is not supported\. faasbox runs JavaScript/);
  });

  it('code whose declared unzipped size passes 262,144,000 bytes', async () => {
    const tenant = await createTenant();
    const zip = zipSync({ 'index.js': [strToU8(HANDLER), { level: 0 }] });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let central = zip.length - 4;
    while (view.getUint32(central, true) !== 0x02014b50) central--;
    view.setUint32(central + 24, 262_144_001, true);
    const created = await tenant.send('POST', F, {
      FunctionName: 'big', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: btoa(String.fromCharCode(...zip)) },
    });
    expect(await answer(created)).toEqual(refused(400, 'InvalidParameterValueException', 'Unzipped size must be smaller than 262144000 bytes'));
  });
});

describe('operations faasbox does not answer', () => {
  it.each([
    ['PUT', '/2019-09-30/functions/mine/provisioned-concurrency?Qualifier=1', { ProvisionedConcurrentExecutions: 1 }],
    ['GET', '/2019-09-30/functions/mine/provisioned-concurrency?List=ALL', undefined],
    ['POST', '/2021-11-15/functions/mine/response-streaming-invocations', {}],
    ['GET', '/2025-11-30/capacity-providers', undefined],
  ] as const)('%s %s is UnknownOperationException (the README says which)', async (method, path, body) => {
    const tenant = await withFunction('mine');
    const response = await tenant.send(method, path, body);
    expect({ status: response.status, code: response.headers.get('x-amzn-errortype') }).toEqual({ status: 404, code: 'UnknownOperationException' });
  });
});
