// Operations around a function as Lambda's API reference and recorded answers show them: event
// invoke configs per qualifier, Publish on create and code update, ListFunctions of every version,
// the code signing read side, recursion and runtime management configs, URL qualifiers and modes.
import type { CorpusCase } from '../../e2e/support/aws-corpus';
import { bytesOf } from '../../e2e/support/aws-corpus';
import { zipOf } from '../../e2e/support/bundles';

const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
const code = (result: string) => ({ ZipFile: bytesOf(zipOf({ 'index.js': `exports.handler = async () => ${JSON.stringify(result)};` })) });
const FN = 'ops-fn-{{run}}';
const ARN = 'arn:aws:lambda:{{region}}:{{account}}:function:ops-fn-{{run}}';
const SINK_ARN = 'arn:aws:lambda:{{region}}:{{account}}:function:ops-sink-{{run}}';
const CSC_ARN = 'arn:aws:lambda:{{region}}:{{account}}:code-signing-config:csc-0123456789abcdefg';
const CONFIG_FIELDS = ['DestinationConfig', 'FunctionArn', 'LastModified', 'MaximumRetryAttempts'];
/** Recursion and runtime management configs and URLs' InvokeMode are newer than Debian's boto3 (1.26): the SDK alone sends them. */
const SDK_ONLY = { clients: ['sdk' as const] };

export const cases: CorpusCase[] = [
  {
    name: 'CreateFunction with Publish answers version 1, its FunctionArn unqualified',
    operation: 'CreateFunction',
    input: { FunctionName: FN, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: code('one'), Publish: true },
    expect: { status: 201, body: { FunctionArn: ARN, Version: '1' } },
  },
  { name: 'a destination function', operation: 'CreateFunction', input: { FunctionName: 'ops-sink-{{run}}', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: code('sink') } },
  { name: 'an alias of version 1', operation: 'CreateAlias', input: { FunctionName: FN, Name: 'live', FunctionVersion: '1' } },
  {
    name: 'UpdateFunctionCode with Publish answers the new version, its FunctionArn qualified',
    operation: 'UpdateFunctionCode',
    input: { FunctionName: FN, ZipFile: code('two').ZipFile, Publish: true },
    expect: { status: 200, body: { FunctionArn: `${ARN}:2`, Version: '2' } },
  },

  // Event invoke configs, one per qualifier.
  {
    name: 'PutFunctionEventInvokeConfig of an alias answers its qualified ARN',
    operation: 'PutFunctionEventInvokeConfig',
    input: { FunctionName: FN, Qualifier: 'live', MaximumRetryAttempts: 1 },
    expect: { status: 200, fields: CONFIG_FIELDS, body: { FunctionArn: `${ARN}:live`, MaximumRetryAttempts: 1, DestinationConfig: { OnSuccess: {}, OnFailure: {} } } },
  },
  {
    name: 'PutFunctionEventInvokeConfig without a qualifier is $LATEST\'s',
    operation: 'PutFunctionEventInvokeConfig',
    input: { FunctionName: FN, MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: SINK_ARN } } },
    expect: { status: 200, fields: CONFIG_FIELDS, body: { FunctionArn: `${ARN}:$LATEST`, DestinationConfig: { OnSuccess: { Destination: SINK_ARN }, OnFailure: {} } } },
  },
  {
    name: 'GetFunctionEventInvokeConfig of a version without one',
    operation: 'GetFunctionEventInvokeConfig',
    input: { FunctionName: FN, Qualifier: '1' },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: `The function ${ARN}:1 doesn't have an EventInvokeConfig` } },
  },
  {
    name: 'UpdateFunctionEventInvokeConfig of a version without one',
    operation: 'UpdateFunctionEventInvokeConfig',
    input: { FunctionName: FN, Qualifier: '1', MaximumRetryAttempts: 2 },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: `The function ${ARN}:1 doesn't have an EventInvokeConfig` } },
  },
  {
    name: 'UpdateFunctionEventInvokeConfig merges into the alias\'s config',
    operation: 'UpdateFunctionEventInvokeConfig',
    input: { FunctionName: FN, Qualifier: 'live', MaximumEventAgeInSeconds: 600 },
    expect: { status: 200, fields: [...CONFIG_FIELDS, 'MaximumEventAgeInSeconds'], body: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 600 } },
  },
  {
    name: 'PutFunctionEventInvokeConfig with no setting',
    operation: 'PutFunctionEventInvokeConfig',
    input: { FunctionName: FN },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: 'You must specify at least one of error handling or destination setting.' } },
  },
  {
    name: 'PutFunctionEventInvokeConfig of an alias that does not exist',
    operation: 'PutFunctionEventInvokeConfig',
    input: { FunctionName: FN, Qualifier: 'nope', MaximumRetryAttempts: 1 },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: "The function doesn't exist." } },
  },
  {
    name: 'a destination function that does not exist',
    operation: 'PutFunctionEventInvokeConfig',
    input: { FunctionName: FN, DestinationConfig: { OnFailure: { Destination: `${SINK_ARN}-ghost` } } },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: `The destination ARN ${SINK_ARN}-ghost is invalid.` } },
  },
  {
    name: 'the function as its own destination',
    operation: 'PutFunctionEventInvokeConfig',
    input: { FunctionName: FN, DestinationConfig: { OnFailure: { Destination: ARN } } },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: "You can't specify the function as a destination for itself." } },
  },
  {
    name: 'a destination ARN of no service Lambda knows',
    operation: 'PutFunctionEventInvokeConfig',
    input: { FunctionName: FN, DestinationConfig: { OnSuccess: { Destination: 'arn:aws:iam:{{region}}:{{account}}:role/x' } } },
    expect: {
      status: 400,
      error: { code: 'InvalidParameterValueException', message: 'The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=arn:aws:iam:{{region}}:{{account}}:role/x), onFailure=null) is invalid.' },
    },
  },
  {
    name: 'ListFunctionEventInvokeConfigs lists every qualifier\'s',
    operation: 'ListFunctionEventInvokeConfigs',
    input: { FunctionName: FN },
    expect: { status: 200, fields: ['FunctionEventInvokeConfigs'], body: { FunctionEventInvokeConfigs: [{ FunctionArn: `${ARN}:$LATEST` }, { FunctionArn: `${ARN}:live` }] } },
  },
  {
    name: 'ListFunctionEventInvokeConfigs pages with MaxItems',
    operation: 'ListFunctionEventInvokeConfigs',
    input: { FunctionName: FN, MaxItems: 1 },
    expect: { status: 200, fields: ['FunctionEventInvokeConfigs', 'NextMarker'], body: { FunctionEventInvokeConfigs: [{ FunctionArn: `${ARN}:$LATEST` }] } },
  },
  { name: 'DeleteFunctionEventInvokeConfig of the alias', operation: 'DeleteFunctionEventInvokeConfig', input: { FunctionName: FN, Qualifier: 'live' }, expect: { status: 204, fields: [] } },
  {
    name: 'DeleteFunctionEventInvokeConfig again',
    operation: 'DeleteFunctionEventInvokeConfig',
    input: { FunctionName: FN, Qualifier: 'live' },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: `The function ${ARN}:live doesn't have an EventInvokeConfig` } },
  },

  // ListFunctions' FunctionVersion.
  {
    name: 'ListFunctions refuses a FunctionVersion other than ALL',
    operation: 'ListFunctions',
    input: { FunctionVersion: 'LATEST' },
    expect: { status: 400, error: { code: 'ValidationException', message: "1 validation error detected: Value 'LATEST' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]" } },
  },
  { name: 'ListFunctions with FunctionVersion ALL', operation: 'ListFunctions', input: { FunctionVersion: 'ALL', MaxItems: 50 }, expect: { status: 200 } },

  // Code signing: nothing is signed in faasbox.
  { name: 'GetFunctionCodeSigningConfig of an unsigned function', operation: 'GetFunctionCodeSigningConfig', input: { FunctionName: FN }, expect: { status: 200, fields: [] } },
  { name: 'ListCodeSigningConfigs', operation: 'ListCodeSigningConfigs', input: {}, expect: { status: 200, fields: ['CodeSigningConfigs'], body: { CodeSigningConfigs: [] } } },
  {
    name: 'GetCodeSigningConfig of a config that does not exist',
    operation: 'GetCodeSigningConfig',
    input: { CodeSigningConfigArn: CSC_ARN },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: `The Lambda code signing configuration ${CSC_ARN} can not be found.` } },
  },
  {
    name: 'PutFunctionCodeSigningConfig with a config that does not exist',
    operation: 'PutFunctionCodeSigningConfig',
    input: { FunctionName: FN, CodeSigningConfigArn: CSC_ARN },
    expect: { status: 404, error: { code: 'CodeSigningConfigNotFoundException', message: `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${CSC_ARN}.` } },
  },
  {
    name: 'CreateCodeSigningConfig is not supported here',
    operation: 'CreateCodeSigningConfig',
    input: { AllowedPublishers: { SigningProfileVersionArns: ['arn:aws:signer:{{region}}:{{account}}:/signing-profiles/p/abcdefghij'] } },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: 'faasbox does not verify code signatures: code signing configurations are not supported here.' } },
  },

  // Recursion and runtime management.
  { name: 'GetFunctionRecursionConfig defaults to Terminate', ...SDK_ONLY, operation: 'GetFunctionRecursionConfig', input: { FunctionName: FN }, expect: { status: 200, fields: ['RecursiveLoop'], body: { RecursiveLoop: 'Terminate' } } },
  { name: 'PutFunctionRecursionConfig Allow', ...SDK_ONLY, operation: 'PutFunctionRecursionConfig', input: { FunctionName: FN, RecursiveLoop: 'Allow' }, expect: { status: 200, fields: ['RecursiveLoop'], body: { RecursiveLoop: 'Allow' } } },
  { name: 'GetFunctionRecursionConfig keeps it', ...SDK_ONLY, operation: 'GetFunctionRecursionConfig', input: { FunctionName: FN }, expect: { status: 200, body: { RecursiveLoop: 'Allow' } } },
  {
    name: 'PutFunctionRecursionConfig with an unknown value',
    ...SDK_ONLY,
    operation: 'PutFunctionRecursionConfig',
    input: { FunctionName: FN, RecursiveLoop: 'Sometimes' },
    expect: { status: 400, error: { code: 'ValidationException', message: "1 validation error detected: Value 'Sometimes' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Terminate, Allow]" } },
  },
  {
    name: 'GetRuntimeManagementConfig: Auto, no runtime version',
    ...SDK_ONLY,
    operation: 'GetRuntimeManagementConfig',
    input: { FunctionName: FN },
    expect: { status: 200, fields: ['FunctionArn', 'UpdateRuntimeOn'], body: { UpdateRuntimeOn: 'Auto', FunctionArn: ARN } },
  },
  {
    name: 'PutRuntimeManagementConfig Manual of version 1',
    ...SDK_ONLY,
    operation: 'PutRuntimeManagementConfig',
    input: { FunctionName: FN, Qualifier: '1', UpdateRuntimeOn: 'Manual', RuntimeVersionArn: 'arn:aws:lambda:{{region}}::runtime:faasbox-quickjs' },
    expect: { status: 200, fields: ['FunctionArn', 'RuntimeVersionArn', 'UpdateRuntimeOn'], body: { UpdateRuntimeOn: 'Manual', FunctionArn: `${ARN}:1` } },
  },
  {
    name: 'GetRuntimeManagementConfig of $LATEST is unchanged',
    ...SDK_ONLY,
    operation: 'GetRuntimeManagementConfig',
    input: { FunctionName: FN, Qualifier: '$LATEST' },
    expect: { status: 200, fields: ['FunctionArn', 'UpdateRuntimeOn'], body: { UpdateRuntimeOn: 'Auto' } },
  },

  // Function URLs: aliases only, any InvokeMode.
  {
    name: 'CreateFunctionUrlConfig refuses $LATEST as the qualifier',
    operation: 'CreateFunctionUrlConfig',
    input: { FunctionName: FN, Qualifier: '$LATEST', AuthType: 'NONE' },
    expect: {
      status: 400,
      error: { code: 'ValidationException', message: "1 validation error detected: Value '$LATEST' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)" },
    },
  },
  {
    name: 'CreateFunctionUrlConfig with InvokeMode RESPONSE_STREAM',
    ...SDK_ONLY,
    operation: 'CreateFunctionUrlConfig',
    input: { FunctionName: FN, Qualifier: 'live', AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' },
    expect: { status: 201, body: { FunctionArn: `${ARN}:live`, InvokeMode: 'RESPONSE_STREAM' } },
  },
  { name: 'DeleteFunction', operation: 'DeleteFunction', input: { FunctionName: FN }, expect: { status: 204, fields: [] } },
  { name: 'DeleteFunction of the destination', operation: 'DeleteFunction', input: { FunctionName: 'ops-sink-{{run}}' } },
];
