// Layers as Lambda's API reference documents them (and Lambda answers, as recorded): the layer
// version's fields, version numbering, the version policy's answers, a function's Layers, and
// the not-found and refusal messages.
import type { CorpusCase } from '../../e2e/support/aws-corpus';
import { bytesOf } from '../../e2e/support/aws-corpus';
import { zipOf } from '../../e2e/support/bundles';

const LAYER = { ZipFile: bytesOf(zipOf({ 'nodejs/node_modules/greeter/index.js': 'exports.greet = (n) => `hi ${n}`;' })) };
const CODE = { ZipFile: bytesOf(zipOf({ 'index.js': "exports.handler = async () => require('greeter').greet('corpus');" })) };
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
const LAYER_ARN = 'arn:aws:lambda:{{region}}:{{account}}:layer:layers-lib-{{run}}';
/** AddLayerVersionPermission's input for statement `s1` on version 1, granting every account. */
const GRANT = { LayerName: 'layers-lib-{{run}}', VersionNumber: 1, StatementId: 's1', Action: 'lambda:GetLayerVersion', Principal: '*' };
const VERSION_FIELDS = ['Content', 'CreatedDate', 'Description', 'LayerArn', 'LayerVersionArn', 'Version'];

export const cases: CorpusCase[] = [
  {
    name: 'PublishLayerVersion answers 201 with the version, its compatibilities and license as given',
    operation: 'PublishLayerVersion',
    input: { LayerName: 'layers-lib-{{run}}', Content: LAYER, Description: 'greeter', CompatibleRuntimes: ['nodejs22.x'], CompatibleArchitectures: ['x86_64'], LicenseInfo: 'MIT' },
    expect: {
      status: 201,
      fields: [...VERSION_FIELDS, 'CompatibleRuntimes', 'CompatibleArchitectures', 'LicenseInfo'],
      body: { LayerArn: LAYER_ARN, LayerVersionArn: `${LAYER_ARN}:1`, Version: 1, Description: 'greeter', CompatibleRuntimes: ['nodejs22.x'], LicenseInfo: 'MIT' },
    },
  },
  {
    name: 'PublishLayerVersion of the same content again is version 2, without the fields not given',
    operation: 'PublishLayerVersion',
    input: { LayerName: 'layers-lib-{{run}}', Content: LAYER },
    expect: { status: 201, fields: VERSION_FIELDS, body: { LayerVersionArn: `${LAYER_ARN}:2`, Version: 2, Description: '' } },
  },
  {
    name: 'GetLayerVersion answers the version with its Content',
    operation: 'GetLayerVersion',
    input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 1 },
    expect: { status: 200, fields: [...VERSION_FIELDS, 'CompatibleRuntimes', 'CompatibleArchitectures', 'LicenseInfo'], body: { Version: 1 } },
  },
  {
    name: 'GetLayerVersionByArn answers the same for the version ARN',
    operation: 'GetLayerVersionByArn',
    input: { Arn: `${LAYER_ARN}:2` },
    expect: { status: 200, fields: VERSION_FIELDS, body: { LayerVersionArn: `${LAYER_ARN}:2` } },
  },
  {
    name: 'GetLayerVersionByArn refuses a layer ARN without a version',
    operation: 'GetLayerVersionByArn',
    input: { Arn: LAYER_ARN },
    expect: { status: 400, error: { code: 'ValidationException', message: /^1 validation error detected: Value 'arn:aws:lambda:[a-z0-9-]+:\d{12}:layer:layers-lib-\w+' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: / } },
  },
  {
    name: 'GetLayerVersion of a version that does not exist',
    operation: 'GetLayerVersion',
    input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 9 },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: 'The resource you requested does not exist.' } },
  },
  {
    name: 'GetLayerVersion refuses a version below 1',
    operation: 'GetLayerVersion',
    input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 0 },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: 'Layer Version Cannot be less than 1' } },
  },
  {
    name: 'ListLayerVersions answers LayerVersions only',
    operation: 'ListLayerVersions',
    input: { LayerName: 'layers-lib-{{run}}' },
    expect: { status: 200, fields: ['LayerVersions'], body: { LayerVersions: [{ Version: 2 }, { Version: 1 }] } },
  },
  {
    name: 'ListLayerVersions of a layer that does not exist is empty',
    operation: 'ListLayerVersions',
    input: { LayerName: 'layers-none-{{run}}' },
    expect: { status: 200, fields: ['LayerVersions'], body: { LayerVersions: [] } },
  },
  {
    name: 'ListLayers refuses an unknown architecture filter',
    operation: 'ListLayers',
    input: { CompatibleArchitecture: 'archdoesnotexist' },
    expect: {
      status: 400,
      error: { code: 'ValidationException', message: "1 validation error detected: Value 'archdoesnotexist' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]" },
    },
  },
  {
    name: 'AddLayerVersionPermission answers the statement and the RevisionId',
    operation: 'AddLayerVersionPermission',
    input: GRANT,
    expect: { status: 201, fields: ['RevisionId', 'Statement'] },
  },
  {
    name: 'AddLayerVersionPermission refuses a statement id already there',
    operation: 'AddLayerVersionPermission',
    input: GRANT,
    expect: {
      status: 409,
      error: { code: 'ResourceConflictException', message: 'The statement id (s1) provided already exists. Please provide a new statement id, or remove the existing statement.' },
    },
  },
  {
    name: 'AddLayerVersionPermission refuses an action other than lambda:GetLayerVersion',
    operation: 'AddLayerVersionPermission',
    input: { ...GRANT, StatementId: 's2', Action: '*' },
    expect: {
      status: 400,
      error: { code: 'ValidationException', message: "1 validation error detected: Value '*' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: lambda:GetLayerVersion" },
    },
  },
  {
    name: 'AddLayerVersionPermission on a version that does not exist',
    operation: 'AddLayerVersionPermission',
    input: { ...GRANT, VersionNumber: 7 },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: `Layer version ${LAYER_ARN}:7 does not exist.` } },
  },
  {
    name: 'GetLayerVersionPolicy answers the policy document and its RevisionId',
    operation: 'GetLayerVersionPolicy',
    input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 1 },
    expect: { status: 200, fields: ['Policy', 'RevisionId'] },
  },
  {
    name: 'RemoveLayerVersionPermission of a statement that is not there',
    operation: 'RemoveLayerVersionPermission',
    input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 1, StatementId: 'nope' },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: 'Statement nope is not found in resource policy.' } },
  },
  {
    name: 'RemoveLayerVersionPermission with a stale RevisionId',
    operation: 'RemoveLayerVersionPermission',
    input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 1, StatementId: 's1', RevisionId: 'stale' },
    expect: {
      status: 412,
      error: { code: 'PreconditionFailedException', message: 'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id' },
    },
  },
  { name: 'RemoveLayerVersionPermission', operation: 'RemoveLayerVersionPermission', input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 1, StatementId: 's1' }, expect: { status: 204, fields: [] } },
  {
    name: 'GetLayerVersionPolicy of a version without a policy',
    operation: 'GetLayerVersionPolicy',
    input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 2 },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: 'No policy is associated with the given resource.' } },
  },
  {
    name: 'CreateFunction with a layer shows it in Layers with its CodeSize',
    operation: 'CreateFunction',
    input: { FunctionName: 'layers-fn-{{run}}', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: CODE, Layers: [`${LAYER_ARN}:1`] },
    expect: { status: 201, body: { Layers: [{ Arn: `${LAYER_ARN}:1` }] } },
  },
  {
    name: 'Invoke runs the function with the layer under /opt',
    operation: 'Invoke',
    input: { FunctionName: 'layers-fn-{{run}}' },
    expect: { status: 200, body: { Payload: '"hi corpus"' } },
  },
  {
    name: 'UpdateFunctionConfiguration refuses a layer version that does not exist',
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'layers-fn-{{run}}', Layers: [`${LAYER_ARN}:9`] },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: `Layer version ${LAYER_ARN}:9 does not exist.` } },
  },
  {
    name: 'UpdateFunctionConfiguration refuses two versions of one layer',
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'layers-fn-{{run}}', Layers: [`${LAYER_ARN}:1`, `${LAYER_ARN}:2`] },
    expect: {
      status: 400,
      error: {
        code: 'InvalidParameterValueException',
        message: `Two different versions of the same layer are not allowed to be referenced in the same function. ${LAYER_ARN}:1 and ${LAYER_ARN}:2 are versions of the same layer.`,
      },
    },
  },
  { name: 'DeleteFunction', operation: 'DeleteFunction', input: { FunctionName: 'layers-fn-{{run}}' }, expect: { status: 204, fields: [] } },
  { name: 'DeleteLayerVersion', operation: 'DeleteLayerVersion', input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 1 }, expect: { status: 204, fields: [] } },
  { name: 'DeleteLayerVersion of a version already deleted', operation: 'DeleteLayerVersion', input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 1 }, expect: { status: 204, fields: [] } },
  { name: 'DeleteLayerVersion', operation: 'DeleteLayerVersion', input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 2 }, expect: { status: 204, fields: [] } },
  {
    name: 'PublishLayerVersion after every version was deleted goes on numbering',
    operation: 'PublishLayerVersion',
    input: { LayerName: 'layers-lib-{{run}}', Content: LAYER },
    expect: { status: 201, body: { Version: 3 } },
  },
  { name: 'DeleteLayerVersion', operation: 'DeleteLayerVersion', input: { LayerName: 'layers-lib-{{run}}', VersionNumber: 3 }, expect: { status: 204, fields: [] } },
];
