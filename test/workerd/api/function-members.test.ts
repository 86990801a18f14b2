// Every member of CreateFunction, UpdateFunctionConfiguration and UpdateFunctionCode is acted on,
// stored and shown, or refused (never dropped), and the configuration carries only what Lambda shows.
import { describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../support/signed-client';
import { ROLE, zipBase64 } from '../support/zip';

const ECHO = zipBase64({ 'index.js': 'exports.handler = async (event) => event;' });
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0b0b0b0b-1111-2222-3333-444444444444';

/** The fields of a plain function's configuration, as GetFunctionConfiguration of an active function shows them. */
const PLAIN_FIELDS = [
  'Architectures', 'CodeSha256', 'CodeSize', 'Description', 'EphemeralStorage', 'FunctionArn', 'FunctionName', 'Handler',
  'LastModified', 'LastUpdateStatus', 'LoggingConfig', 'MemorySize', 'PackageType', 'RevisionId', 'Role', 'Runtime',
  'RuntimeVersionConfig', 'SnapStart', 'State', 'Timeout', 'TracingConfig', 'Version',
].sort();
/** ListFunctions and ListVersionsByFunction leave out the state fields and RuntimeVersionConfig. */
const LISTED_FIELDS = PLAIN_FIELDS.filter((f) => !['State', 'LastUpdateStatus', 'RuntimeVersionConfig'].includes(f));

function createBody(name: string, extra: Record<string, unknown> = {}) {
  return { FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: ECHO }, ...extra };
}

async function call(tenant: Tenant, method: string, path: string, body?: unknown) {
  const response = await tenant.send(method, path, body);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

const fieldsOf = (value: object) => Object.keys(value).sort();

describe('the configuration carries what Lambda shows, and nothing it omits', () => {
  it('a plain function: create, get, get-configuration, update, update-code, publish, list and list-versions', async () => {
    const tenant = await createTenant();
    const created = await call(tenant, 'POST', '/2015-03-31/functions', createBody('plain'));
    expect(created.status).toBe(201);
    expect(fieldsOf(created.body)).toEqual(PLAIN_FIELDS);
    expect(created.body).toMatchObject({
      Architectures: ['x86_64'], EphemeralStorage: { Size: 512 }, SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/plain' }, TracingConfig: { Mode: 'PassThrough' }, Description: '',
    });

    const got = await call(tenant, 'GET', '/2015-03-31/functions/plain');
    expect(fieldsOf(got.body)).toEqual(['Code', 'Configuration']);
    expect(fieldsOf(got.body.Configuration)).toEqual(PLAIN_FIELDS);
    expect(fieldsOf(got.body.Code)).toEqual(['Location', 'RepositoryType']);
    expect(fieldsOf((await call(tenant, 'GET', '/2015-03-31/functions/plain/configuration')).body)).toEqual(PLAIN_FIELDS);
    expect(fieldsOf((await call(tenant, 'PUT', '/2015-03-31/functions/plain/configuration', { Timeout: 9 })).body)).toEqual(PLAIN_FIELDS);
    expect(fieldsOf((await call(tenant, 'PUT', '/2015-03-31/functions/plain/code', { ZipFile: ECHO })).body)).toEqual(PLAIN_FIELDS);
    expect(fieldsOf((await call(tenant, 'POST', '/2015-03-31/functions/plain/versions', {})).body)).toEqual(PLAIN_FIELDS);

    const listed = await call(tenant, 'GET', '/2015-03-31/functions/');
    expect(fieldsOf(listed.body)).toEqual(['Functions']);
    expect(listed.body.Functions.map(fieldsOf)).toEqual([LISTED_FIELDS]);
    const versions = await call(tenant, 'GET', '/2015-03-31/functions/plain/versions');
    expect(versions.body.Versions.map((v: object) => fieldsOf(v))).toEqual([LISTED_FIELDS, LISTED_FIELDS]);
  });

  it('GetFunction shows Concurrency only when some is reserved', async () => {
    const tenant = await createTenant();
    await call(tenant, 'POST', '/2015-03-31/functions', createBody('reserved'));
    await call(tenant, 'PUT', '/2017-10-31/functions/reserved/concurrency', { ReservedConcurrentExecutions: 3 });
    const got = await call(tenant, 'GET', '/2015-03-31/functions/reserved');
    expect(fieldsOf(got.body)).toEqual(['Code', 'Concurrency', 'Configuration']);
    expect(got.body.Concurrency).toEqual({ ReservedConcurrentExecutions: 3 });
  });

  it('Environment: absent until given, then shown as given, even with no variables', async () => {
    const tenant = await createTenant();
    await call(tenant, 'POST', '/2015-03-31/functions', createBody('env'));
    expect((await call(tenant, 'GET', '/2015-03-31/functions/env/configuration')).body.Environment).toBeUndefined();
    expect((await call(tenant, 'PUT', '/2015-03-31/functions/env/configuration', { Environment: { Variables: { MODE: '1' } } })).body.Environment).toEqual({ Variables: { MODE: '1' } });
    expect((await call(tenant, 'PUT', '/2015-03-31/functions/env/configuration', { Environment: { Variables: {} } })).body.Environment).toEqual({ Variables: {} });
    expect((await call(tenant, 'PUT', '/2015-03-31/functions/env/configuration', { Timeout: 4 })).body.Environment).toEqual({ Variables: {} });

    const givenEmpty = await call(tenant, 'POST', '/2015-03-31/functions', createBody('env-empty', { Environment: { Variables: {} } }));
    expect(givenEmpty.body.Environment).toEqual({ Variables: {} });
  });
});

describe('members stored and shown as given (not enforced; SnapStart is acted on: test/workerd/versions/snapstart.test.ts)', () => {
  it('Architectures, EphemeralStorage, SnapStart, KMSKeyArn and an empty VpcConfig, on create, in every read and in versions', async () => {
    const tenant = await createTenant();
    const stored = {
      Architectures: ['arm64'], EphemeralStorage: { Size: 2048 }, SnapStart: { ApplyOn: 'PublishedVersions' }, KMSKeyArn: KMS_KEY_ARN,
      VpcConfig: { SubnetIds: [], SecurityGroupIds: [] },
    };
    const shown = {
      Architectures: ['arm64'], EphemeralStorage: { Size: 2048 }, SnapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' }, KMSKeyArn: KMS_KEY_ARN,
      VpcConfig: { SubnetIds: [], SecurityGroupIds: [], VpcId: '', Ipv6AllowedForDualStack: false },
    };
    const created = await call(tenant, 'POST', '/2015-03-31/functions', createBody('kept', stored));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(shown);
    expect(fieldsOf(created.body)).toEqual([...PLAIN_FIELDS, 'KMSKeyArn', 'VpcConfig'].sort());
    expect((await call(tenant, 'GET', '/2015-03-31/functions/kept')).body.Configuration).toMatchObject(shown);
    expect((await call(tenant, 'GET', '/2015-03-31/functions/')).body.Functions[0]).toMatchObject(shown);
    // A published version of ApplyOn PublishedVersions is the one SnapStart applies to.
    const shownVersion = { ...shown, SnapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' } };
    const version = await call(tenant, 'POST', '/2015-03-31/functions/kept/versions', {});
    expect(version.body).toMatchObject({ ...shownVersion, Version: '1' });

    // A later update of $LATEST leaves the version as it was published.
    const updated = await call(tenant, 'PUT', '/2015-03-31/functions/kept/configuration', {
      EphemeralStorage: { Size: 10240 }, SnapStart: { ApplyOn: 'None' }, VpcConfig: { SubnetIds: [], SecurityGroupIds: [], Ipv6AllowedForDualStack: true },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      Architectures: ['arm64'], EphemeralStorage: { Size: 10240 }, SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      VpcConfig: { SubnetIds: [], SecurityGroupIds: [], VpcId: '', Ipv6AllowedForDualStack: true },
    });
    expect((await call(tenant, 'GET', '/2015-03-31/functions/kept:1/configuration')).body).toMatchObject(shownVersion);
  });

  it('UpdateFunctionCode changes the architecture, and a DryRun shows it without storing it', async () => {
    const tenant = await createTenant();
    await call(tenant, 'POST', '/2015-03-31/functions', createBody('arch'));
    const dry = await call(tenant, 'PUT', '/2015-03-31/functions/arch/code', { ZipFile: ECHO, Architectures: ['arm64'], DryRun: true });
    expect(dry.body.Architectures).toEqual(['arm64']);
    expect((await call(tenant, 'GET', '/2015-03-31/functions/arch/configuration')).body.Architectures).toEqual(['x86_64']);
    const code = await call(tenant, 'PUT', '/2015-03-31/functions/arch/code', { ZipFile: ECHO, Architectures: ['arm64'] });
    expect(code.body.Architectures).toEqual(['arm64']);
    expect((await call(tenant, 'PUT', '/2015-03-31/functions/arch/configuration', { Timeout: 5 })).body.Architectures).toEqual(['arm64']);
  });

  it('empty values of members faasbox cannot honour are the nothing they say', async () => {
    const tenant = await createTenant();
    const created = await call(tenant, 'POST', '/2015-03-31/functions', createBody('empties', { FileSystemConfigs: [], CodeSigningConfigArn: '', ImageConfig: {} }));
    expect(created.status).toBe(201);
    expect(fieldsOf(created.body)).toEqual(PLAIN_FIELDS);
    expect((await call(tenant, 'PUT', '/2015-03-31/functions/empties/configuration', { FileSystemConfigs: [] })).status).toBe(200);
  });

  it('Tags, Layers and LoggingConfig are left to their own parts: not refused', async () => {
    const tenant = await createTenant();
    const created = await call(tenant, 'POST', '/2015-03-31/functions', createBody('others', { Tags: { team: 'a' }, Layers: [], LoggingConfig: { LogFormat: 'Text' } }));
    expect(created.status).toBe(201);
  });
});

describe('refusals', () => {
  const validation = (message: string) => ({ status: 400, type: 'ValidationException', message });
  const unsupported = (message: string | RegExp) => ({ status: 400, type: 'InvalidParameterValueException', message });
  const UNKNOWN = 'is not supported by faasbox: it does not know it, and refuses what it would otherwise ignore.';

  it.each<[string, Record<string, unknown>, { status: number; type: string; message: string | RegExp }]>([
    ['two architectures', { Architectures: ['x86_64', 'arm64'] }, validation("1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1")],
    ['an unknown architecture', { Architectures: ['X86_64'] }, validation("1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]")],
    ['no architecture', { Architectures: [] }, validation("1 validation error detected: Value '[]' at 'architectures' failed to satisfy constraint: Member must have length greater than or equal to 1")],
    ['ephemeral storage over 10240', { EphemeralStorage: { Size: 10241 } }, validation("1 validation error detected: Value '10241' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240")],
    ['ephemeral storage under 512', { EphemeralStorage: { Size: 511 } }, validation("1 validation error detected: Value '511' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512")],
    ['an unknown SnapStart.ApplyOn', { SnapStart: { ApplyOn: 'invalidOption' } }, validation("1 validation error detected: Value 'invalidOption' at 'snapStart.applyOn' failed to satisfy constraint: Member must satisfy enum value set: [PublishedVersions, None]")],
    ['a VpcConfig with subnets', { VpcConfig: { SubnetIds: ['subnet-0123'], SecurityGroupIds: [] } }, unsupported(/^VpcConfig with subnets or security groups is not supported by faasbox: it has no VPCs\. .*docs\/SECURITY\.md, "Egress from functions"/)],
    ['a VpcConfig with security groups', { VpcConfig: { SecurityGroupIds: ['sg-1'] } }, unsupported(/^VpcConfig with subnets or security groups is not supported by faasbox/)],
    ['FileSystemConfigs', { FileSystemConfigs: [{ Arn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-1', LocalMountPath: '/mnt/efs' }] }, unsupported('FileSystemConfigs is not supported by faasbox: it has no EFS file systems to mount.')],
    ['ImageConfig', { ImageConfig: { Command: ['app.handler'] } }, unsupported('ImageConfig is not supported by faasbox: it runs Zip packages only, not container images.')],
    ['PackageType Image', { PackageType: 'Image' }, unsupported('faasbox runs Zip packages only; PackageType Image is not supported.')],
    ['CodeSigningConfigArn', { CodeSigningConfigArn: 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdefg' }, unsupported('CodeSigningConfigArn is not supported by faasbox: it does not verify code signatures.')],
    ['CapacityProviderConfig', { CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: 'arn:x' } } }, unsupported(/^CapacityProviderConfig is not supported by faasbox/)],
    ['PublishTo', { PublishTo: 'LATEST_PUBLISHED' }, unsupported(/^PublishTo is not supported by faasbox/)],
    ['DurableConfig', { DurableConfig: { RetentionPeriodInDays: 7 } }, unsupported('DurableConfig is not supported by faasbox: it has no durable functions.')],
    ['TenancyConfig', { TenancyConfig: { TenantIsolationMode: 'PER_TENANT' } }, unsupported('TenancyConfig is not supported by faasbox: it has no tenant isolation mode.')],
    ['Code.SourceKMSKeyArn', { Code: { ZipFile: ECHO, SourceKMSKeyArn: KMS_KEY_ARN } }, unsupported(/^SourceKMSKeyArn is not supported by faasbox/)],
    ['an S3 location beside the zip', { Code: { ZipFile: ECHO, S3Key: 'k' } }, unsupported('Please provide only one source for function code: Code.ZipFile, or Code.S3Bucket and Code.S3Key.')],
    ['a member faasbox does not know', { MadeUpSetting: 1 }, unsupported(`The member MadeUpSetting ${UNKNOWN}`)],
    ['unknown members nested and at the top', { Environment: { Variables: {}, Secrets: {} }, TracingConfig: { Mode: 'Active', SampleRate: 1 }, Other: true }, unsupported('The members Environment.Secrets, TracingConfig.SampleRate, Other are not supported by faasbox: it does not know them, and refuses what it would otherwise ignore.')],
    ['an unknown member of DeadLetterConfig', { DeadLetterConfig: { TargetArn: '', Retries: 2 } }, unsupported(`The member DeadLetterConfig.Retries ${UNKNOWN}`)],
    ['an unknown member of Code', { Code: { ZipFile: ECHO, Zip: 'x' } }, unsupported(`The member Code.Zip ${UNKNOWN}`)],
    ['an unsupported member and an unknown one, each said', { ImageConfig: { Command: ['x'] }, Odd: 1 }, unsupported(`ImageConfig is not supported by faasbox: it runs Zip packages only, not container images. The member Odd ${UNKNOWN}`)],
    ['a constraint broken beside an unknown member: the constraint first', { Timeout: 0, Odd: 1 }, validation("1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1")],
  ])('CreateFunction refuses %s', async (_what, extra, expected) => {
    const tenant = await createTenant();
    const answer = await call(tenant, 'POST', '/2015-03-31/functions', createBody('refused', extra));
    expect({ status: answer.status, type: answer.type }).toEqual({ status: expected.status, type: expected.type });
    if (typeof expected.message === 'string') expect(answer.body.message).toBe(expected.message);
    else expect(answer.body.message).toMatch(expected.message);
    expect((await call(tenant, 'GET', '/2015-03-31/functions/refused')).status).toBe(404);
  });

  it('a required member left out is null, as Lambda prints it; every one counted', async () => {
    const tenant = await createTenant();
    const { Role: _role, ...withoutRole } = createBody('missing');
    expect(await call(tenant, 'POST', '/2015-03-31/functions', withoutRole)).toMatchObject({
      status: 400, type: 'ValidationException', body: { message: "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null" },
    });
    const { Role: _r, Code: _code, ...withoutRoleAndCode } = createBody('missing');
    const both = await call(tenant, 'POST', '/2015-03-31/functions', withoutRoleAndCode);
    expect(both.body.message).toMatch(/^2 validation errors detected: /);
    expect(both.body.message).toContain("Value null at 'role' failed to satisfy constraint: Member must not be null");
    expect(both.body.message).toContain("Value null at 'code' failed to satisfy constraint: Member must not be null");
  });

  it.each([['a one-character name', { A: '1' }], ['a name with a dash', { 'MY-VAR': '1' }], ['two bad names, one violation', { A: '1', '1X': '2', OK_NAME: '3' }]])(
    'Environment.Variables refuses %s with Lambda\'s map-key text, the values unquoted', async (_what, variables) => {
      const tenant = await createTenant();
      expect(await call(tenant, 'POST', '/2015-03-31/functions', createBody('env-keys', { Environment: { Variables: variables } }))).toMatchObject({
        status: 400,
        type: 'ValidationException',
        body: { message: "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]" },
      });
    },
  );

  it.each<[string, Record<string, unknown>, string | RegExp]>([
    ['Architectures (an UpdateFunctionCode member)', { Architectures: ['arm64'] }, `The member Architectures ${UNKNOWN}`],
    ['a VpcConfig with subnets', { VpcConfig: { SubnetIds: ['subnet-1'] } }, /^VpcConfig with subnets or security groups is not supported by faasbox/],
    ['FileSystemConfigs', { FileSystemConfigs: [{ Arn: 'arn:x', LocalMountPath: '/mnt/x' }] }, /^FileSystemConfigs is not supported by faasbox/],
    ['ImageConfig', { ImageConfig: { EntryPoint: ['x'] } }, /^ImageConfig is not supported by faasbox/],
    ['an unknown member of Environment', { Environment: { Variable: { MODE: '1' } } }, `The member Environment.Variable ${UNKNOWN}`],
    ['an unknown member of SnapStart', { SnapStart: { ApplyOn: 'None', Optimization: 'On' } }, `The member SnapStart.Optimization ${UNKNOWN}`],
    ['an unknown member of EphemeralStorage', { EphemeralStorage: { Size: 600, Unit: 'MB' } }, `The member EphemeralStorage.Unit ${UNKNOWN}`],
  ])('UpdateFunctionConfiguration refuses %s and changes nothing', async (_what, body, message) => {
    const tenant = await createTenant();
    const created = await call(tenant, 'POST', '/2015-03-31/functions', createBody('upd'));
    const answer = await call(tenant, 'PUT', '/2015-03-31/functions/upd/configuration', { Timeout: 30, ...body });
    expect({ status: answer.status, type: answer.type }).toEqual({ status: 400, type: 'InvalidParameterValueException' });
    if (typeof message === 'string') expect(answer.body.message).toBe(message);
    else expect(answer.body.message).toMatch(message);
    expect((await call(tenant, 'GET', '/2015-03-31/functions/upd/configuration')).body).toMatchObject({ Timeout: 3, RevisionId: created.body.RevisionId });
  });

  it.each<[string, Record<string, unknown>, string | RegExp]>([
    ['an S3 location beside the zip', { ZipFile: ECHO, S3Bucket: 'b', S3Key: 'k' }, 'Please provide only one source for function code: Code.ZipFile, or Code.S3Bucket and Code.S3Key.'],
    ['an S3ObjectVersion alone', { S3ObjectVersion: '3' }, 'Code.S3Bucket and Code.S3Key are both required to read the package from S3.'],
    ['an ImageUri', { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1' }, 'faasbox runs Zip packages only: Code.ImageUri (container images) is not supported.'],
    ['SourceKMSKeyArn', { ZipFile: ECHO, SourceKMSKeyArn: KMS_KEY_ARN }, /^SourceKMSKeyArn is not supported by faasbox/],
    ['PublishTo', { ZipFile: ECHO, PublishTo: 'LATEST_PUBLISHED' }, /^PublishTo is not supported by faasbox/],
    ['a member faasbox does not know', { ZipFile: ECHO, Handler: 'index.other' }, `The member Handler ${UNKNOWN}`],
  ])('UpdateFunctionCode refuses %s', async (_what, body, message) => {
    const tenant = await createTenant();
    const created = await call(tenant, 'POST', '/2015-03-31/functions', createBody('code'));
    const answer = await call(tenant, 'PUT', '/2015-03-31/functions/code/code', body);
    expect({ status: answer.status, type: answer.type }).toEqual({ status: 400, type: 'InvalidParameterValueException' });
    if (typeof message === 'string') expect(answer.body.message).toBe(message);
    else expect(answer.body.message).toMatch(message);
    expect((await call(tenant, 'GET', '/2015-03-31/functions/code/configuration')).body.RevisionId).toBe(created.body.RevisionId);
  });
});
