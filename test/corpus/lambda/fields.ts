// The members of a function's configuration as Lambda's API reference and AWS's recorded answers
// show them: the exact field sets of create, get, get-configuration, update, publish, list and
// list-versions for a plain function; the members faasbox stores and shows (Architectures,
// EphemeralStorage, SnapStart, KMSKeyArn, Environment, an empty VpcConfig) returned as given;
// and the members it cannot honour, refused saying so.
//
// Where the field sets come from: the FunctionConfiguration shape (botocore's service model), the
// ListFunctions reference ("returns a subset of the FunctionConfiguration fields": no State,
// StateReason(Code), LastUpdateStatus(Reason/ReasonCode) or RuntimeVersionConfig; ListVersionsByFunction
// answers the same subset), and AWS's answers recorded in LocalStack's snapshot tests
// (tests/aws/services/lambda_/test_lambda_api.snapshot.json: test_function_lifecycle,
// test_lambda_code_location_zipfile, test_version_lifecycle, test_vpc_config, test_create_lambda_exceptions,
// test_snapstart_exceptions). A function created without Environment has none in its answers; one
// given `Environment: {Variables: {}}` shows exactly that.
//
// One difference on purpose: a faasbox function is Active as soon as CreateFunction answers, and an
// update is done when it answers, so those answers carry an active function's fields (State Active,
// LastUpdateStatus Successful) where AWS's first answer says Pending (StateReason, StateReasonCode)
// or InProgress (LastUpdateStatusReason, LastUpdateStatusReasonCode).
import type { CorpusCase } from '../../e2e/support/aws-corpus';
import { bytesOf } from '../../e2e/support/aws-corpus';
import { zipOf } from '../../e2e/support/bundles';

const CODE = { ZipFile: bytesOf(zipOf({ 'index.js': 'exports.handler = async () => "ok";' })) };
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0b0b0b0b-1111-2222-3333-444444444444';
const PLAIN = 'fields-plain-{{run}}';
const KEPT = 'fields-kept-{{run}}';
const create = (name: string, extra: Record<string, unknown> = {}) => ({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: CODE, ...extra });

/** A plain function's configuration, as an active function's GetFunctionConfiguration shows it. */
const CONFIGURATION = [
  'Architectures', 'CodeSha256', 'CodeSize', 'Description', 'EphemeralStorage', 'FunctionArn', 'FunctionName', 'Handler',
  'LastModified', 'LastUpdateStatus', 'LoggingConfig', 'MemorySize', 'PackageType', 'RevisionId', 'Role', 'Runtime',
  'RuntimeVersionConfig', 'SnapStart', 'State', 'Timeout', 'TracingConfig', 'Version',
];
/** The same as ListFunctions and ListVersionsByFunction list it. */
const LISTED = CONFIGURATION.filter((field) => !['State', 'LastUpdateStatus', 'RuntimeVersionConfig'].includes(field));
const DEFAULTS = {
  Architectures: ['x86_64'], EphemeralStorage: { Size: 512 }, SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
  PackageType: 'Zip', TracingConfig: { Mode: 'PassThrough' }, Description: '',
};
const unsupported = (message: string) => ({ status: 400, error: { code: 'InvalidParameterValueException', message } });
const validation = (message: string) => ({ status: 400, error: { code: 'ValidationException', message } });

export const cases: CorpusCase[] = [
  {
    name: 'CreateFunction of a plain function: no Environment, KMSKeyArn, DeadLetterConfig or VpcConfig',
    operation: 'CreateFunction',
    input: create(PLAIN),
    expect: { status: 201, fields: CONFIGURATION, body: { ...DEFAULTS, LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${PLAIN}` } } },
  },
  {
    name: 'GetFunction: Configuration and Code; no Tags when there are none, no Concurrency when none is reserved',
    operation: 'GetFunction',
    input: { FunctionName: PLAIN },
    expect: { status: 200, fields: ['Code', 'Configuration'], nestedFields: { Configuration: CONFIGURATION, Code: ['Location', 'RepositoryType'] }, body: { Code: { RepositoryType: 'S3' } } },
  },
  { name: 'GetFunctionConfiguration', operation: 'GetFunctionConfiguration', input: { FunctionName: PLAIN }, expect: { status: 200, fields: CONFIGURATION, body: DEFAULTS } },
  {
    name: 'UpdateFunctionConfiguration answers the whole configuration',
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: PLAIN, Timeout: 10, Description: 'changed' },
    expect: { status: 200, fields: CONFIGURATION, body: { Timeout: 10, Description: 'changed' } },
  },
  { name: 'UpdateFunctionCode answers the whole configuration', operation: 'UpdateFunctionCode', input: { FunctionName: PLAIN, ZipFile: CODE.ZipFile }, expect: { status: 200, fields: CONFIGURATION } },
  { name: 'PublishVersion answers the version\'s configuration', operation: 'PublishVersion', input: { FunctionName: PLAIN }, expect: { status: 201, fields: CONFIGURATION, body: { Version: '1' } } },
  {
    name: 'ListFunctions lists the subset of FunctionConfiguration fields',
    operation: 'ListFunctions',
    input: {},
    expect: { status: 200, nestedFields: { [`Functions[FunctionName=${PLAIN}]`]: LISTED } },
  },
  {
    name: 'ListVersionsByFunction lists the same subset for $LATEST and each version',
    operation: 'ListVersionsByFunction',
    input: { FunctionName: PLAIN },
    expect: { status: 200, fields: ['Versions'], nestedFields: { 'Versions[]': LISTED } },
  },
  { name: 'PutFunctionConcurrency', operation: 'PutFunctionConcurrency', input: { FunctionName: PLAIN, ReservedConcurrentExecutions: 2 } },
  {
    name: 'GetFunction shows Concurrency once some is reserved',
    operation: 'GetFunction',
    input: { FunctionName: PLAIN },
    expect: { status: 200, fields: ['Code', 'Concurrency', 'Configuration'], body: { Concurrency: { ReservedConcurrentExecutions: 2 } } },
  },
  {
    name: 'CreateFunction with the stored members: returned exactly as given',
    operation: 'CreateFunction',
    input: create(KEPT, {
      Architectures: ['arm64'], EphemeralStorage: { Size: 2048 }, SnapStart: { ApplyOn: 'PublishedVersions' }, KMSKeyArn: KMS_KEY_ARN,
      Environment: { Variables: {} },
    }),
    expect: {
      status: 201,
      fields: [...CONFIGURATION, 'KMSKeyArn', 'Environment'],
      body: {
        Architectures: ['arm64'], EphemeralStorage: { Size: 2048 }, SnapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' }, KMSKeyArn: KMS_KEY_ARN,
        Environment: { Variables: {} },
      },
    },
  },
  {
    name: 'UpdateFunctionConfiguration with an empty VpcConfig (a detached VPC): shown with an empty VpcId',
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: KEPT, VpcConfig: { SubnetIds: [], SecurityGroupIds: [] }, EphemeralStorage: { Size: 10240 } },
    expect: {
      status: 200,
      fields: [...CONFIGURATION, 'KMSKeyArn', 'Environment', 'VpcConfig'],
      nestedFields: { VpcConfig: ['SubnetIds', 'SecurityGroupIds', 'VpcId', 'Ipv6AllowedForDualStack'] },
      body: { VpcConfig: { SubnetIds: [], SecurityGroupIds: [], VpcId: '' }, EphemeralStorage: { Size: 10240 }, Architectures: ['arm64'] },
    },
  },
  {
    name: 'UpdateFunctionCode with Architectures changes the architecture',
    operation: 'UpdateFunctionCode',
    input: { FunctionName: KEPT, ZipFile: CODE.ZipFile, Architectures: ['x86_64'] },
    expect: { status: 200, body: { Architectures: ['x86_64'], SnapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' } } },
  },
  {
    name: 'GetFunctionConfiguration keeps every stored member',
    operation: 'GetFunctionConfiguration',
    input: { FunctionName: KEPT },
    expect: {
      status: 200,
      fields: [...CONFIGURATION, 'KMSKeyArn', 'Environment', 'VpcConfig'],
      body: { Architectures: ['x86_64'], EphemeralStorage: { Size: 10240 }, KMSKeyArn: KMS_KEY_ARN, VpcConfig: { VpcId: '' }, Environment: { Variables: {} } },
    },
  },
  {
    name: 'CreateFunction refuses two architectures (AWS\'s text)',
    operation: 'CreateFunction',
    input: create('fields-two-arch-{{run}}', { Architectures: ['x86_64', 'arm64'] }),
    expect: validation("1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1"),
  },
  {
    name: 'CreateFunction refuses an architecture Lambda does not know (AWS\'s text)',
    operation: 'CreateFunction',
    input: create('fields-bad-arch-{{run}}', { Architectures: ['X86_64'] }),
    expect: validation("1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]"),
  },
  {
    name: 'CreateFunction refuses EphemeralStorage over 10240 MB',
    operation: 'CreateFunction',
    input: create('fields-big-tmp-{{run}}', { EphemeralStorage: { Size: 10241 } }),
    expect: validation("1 validation error detected: Value '10241' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240"),
  },
  {
    name: 'CreateFunction refuses an unknown SnapStart.ApplyOn (AWS\'s text)',
    operation: 'CreateFunction',
    input: create('fields-snap-{{run}}', { SnapStart: { ApplyOn: 'invalidOption' } }),
    expect: validation("1 validation error detected: Value 'invalidOption' at 'snapStart.applyOn' failed to satisfy constraint: Member must satisfy enum value set: [PublishedVersions, None]"),
  },
  {
    name: 'CreateFunction refuses a VpcConfig with subnets: faasbox has no VPCs',
    operation: 'CreateFunction',
    input: create('fields-vpc-{{run}}', { VpcConfig: { SubnetIds: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0a1b2c3d'] } }),
    expect: unsupported('VpcConfig with subnets or security groups is not supported by faasbox: it has no VPCs. What a function may reach is set by faasbox\'s egress rules (docs/SECURITY.md, "Egress from functions"); an empty VpcConfig (SubnetIds and SecurityGroupIds []) is accepted.'),
  },
  {
    name: 'CreateFunction refuses FileSystemConfigs',
    operation: 'CreateFunction',
    input: create('fields-efs-{{run}}', { FileSystemConfigs: [{ Arn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0', LocalMountPath: '/mnt/efs' }] }),
    expect: unsupported('FileSystemConfigs is not supported by faasbox: it has no EFS file systems to mount.'),
  },
  {
    name: 'CreateFunction refuses ImageConfig',
    operation: 'CreateFunction',
    input: create('fields-image-config-{{run}}', { ImageConfig: { Command: ['app.handler'] } }),
    expect: unsupported('ImageConfig is not supported by faasbox: it runs Zip packages only, not container images.'),
  },
  {
    name: 'CreateFunction refuses PackageType Image',
    operation: 'CreateFunction',
    input: { FunctionName: 'fields-image-{{run}}', Role: ROLE, PackageType: 'Image', Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1' } },
    expect: unsupported('faasbox runs Zip packages only; PackageType Image is not supported.'),
  },
  {
    name: 'CreateFunction refuses CodeSigningConfigArn',
    operation: 'CreateFunction',
    input: create('fields-signed-{{run}}', { CodeSigningConfigArn: 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdefg' }),
    expect: unsupported('CodeSigningConfigArn is not supported by faasbox: it does not verify code signatures.'),
  },
  {
    name: 'UpdateFunctionConfiguration refuses FileSystemConfigs and changes nothing',
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: KEPT, Timeout: 30, FileSystemConfigs: [{ Arn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0', LocalMountPath: '/mnt/efs' }] },
    expect: unsupported('FileSystemConfigs is not supported by faasbox: it has no EFS file systems to mount.'),
  },
  { name: 'the refused update changed nothing', operation: 'GetFunctionConfiguration', input: { FunctionName: KEPT }, expect: { status: 200, body: { Timeout: 3 } } },
  {
    name: 'UpdateFunctionCode refuses an S3 location beside the zip (one source only)',
    operation: 'UpdateFunctionCode',
    input: { FunctionName: KEPT, ZipFile: CODE.ZipFile, S3Bucket: 'my-bucket', S3Key: 'code.zip' },
    expect: unsupported('Please provide only one source for function code: Code.ZipFile, or Code.S3Bucket and Code.S3Key.'),
  },
  { name: 'DeleteFunctionConcurrency', operation: 'DeleteFunctionConcurrency', input: { FunctionName: PLAIN } },
  { name: 'DeleteFunction (plain)', operation: 'DeleteFunction', input: { FunctionName: PLAIN } },
  { name: 'DeleteFunction (kept)', operation: 'DeleteFunction', input: { FunctionName: KEPT } },
];
