// Lambda's error answers as AWS words them (API reference; AWS's recorded answers in LocalStack's
// snapshot tests): malformed names and qualifiers with the pattern of each operation's
// FunctionName shape, another region's ARN, idempotent deletes, refused inputs, and the
// not-found message of each operation. Inputs are ones neither client checks before sending.
import { zipSync, strToU8 } from 'fflate';
import type { CorpusCase } from '../../e2e/support/aws-corpus';
import { bytesOf } from '../../e2e/support/aws-corpus';
import { zipOf } from '../../e2e/support/bundles';

const FN = 'errors-fn-{{run}}';
const ARN = `arn:aws:lambda:{{region}}:{{account}}:function:${FN}`;
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
const CODE = { ZipFile: bytesOf(zipOf({ 'index.js': 'exports.handler = async () => "ok";' })) };

const PREFIX = '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?';
const NAMESPACED = `${PREFIX}([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`;
const QUALIFIER = '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+';
const pattern = (value: string, member: string, regex: string) =>
  `Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${regex}`;

/** A zip whose one entry declares 262,144,001 unzipped bytes (its data is a few bytes). */
function oversizedZip(): Uint8Array {
  const zip = zipSync({ 'index.js': [strToU8('exports.handler = async () => "ok";'), { level: 0 }] });
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let central = zip.length - 4;
  while (view.getUint32(central, true) !== 0x02014b50) central--;
  view.setUint32(central + 24, 262_144_001, true);
  return zip;
}

const notFound = (message: string) => ({ status: 404, error: { code: 'ResourceNotFoundException', message } });
const invalid = (message: string) => ({ status: 400, error: { code: 'InvalidParameterValueException', message } });
const validation = (message: string) => ({ status: 400, error: { code: 'ValidationException', message } });

export const cases: CorpusCase[] = [
  { name: 'setup: the function', operation: 'CreateFunction', input: { FunctionName: FN, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: CODE } },
  {
    name: 'GetFunction of a malformed name quotes NamespacedFunctionName\'s pattern',
    operation: 'GetFunction',
    input: { FunctionName: 'invalid:function:name' },
    expect: validation(`1 validation error detected: ${pattern('invalid:function:name', 'functionName', NAMESPACED)}`),
  },
  {
    name: 'GetFunctionConfiguration counts a bad name and a bad qualifier',
    operation: 'GetFunctionConfiguration',
    input: { FunctionName: 'a:b:c', Qualifier: 'bad?q' },
    expect: validation(`2 validation errors detected: ${pattern('a:b:c', 'functionName', NAMESPACED)}; ${pattern('bad?q', 'qualifier', QUALIFIER)}`),
  },
  {
    name: 'an ARN with an empty account is malformed',
    operation: 'GetFunction',
    input: { FunctionName: `arn:aws:lambda:{{region}}::function:${FN}` },
    expect: validation(`1 validation error detected: ${pattern(`arn:aws:lambda:{{region}}::function:${FN}`, 'functionName', NAMESPACED)}`),
  },
  {
    name: 'a function ARN of another region is not reachable from this one',
    operation: 'GetFunction',
    input: { FunctionName: `arn:aws:lambda:ap-southeast-1:{{account}}:function:${FN}` },
    expect: notFound("Functions from 'ap-southeast-1' are not reachable in this region ('{{region}}')"),
  },
  {
    name: 'CreateFunction of a plain name over 64 characters',
    operation: 'CreateFunction',
    input: { FunctionName: 'e'.repeat(65), Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: CODE },
    expect: invalid(`1 validation error detected: Value '${'e'.repeat(65)}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`),
  },
  {
    name: 'CreateFunction with a runtime AWS retired',
    operation: 'CreateFunction',
    input: { FunctionName: 'errors-old-{{run}}', Runtime: 'nodejs14.x', Role: ROLE, Handler: 'index.handler', Code: CODE },
    expect: invalid('The runtime parameter of nodejs14.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.'),
  },
  {
    name: 'CreateFunction of code whose unzipped size passes 262,144,000 bytes',
    operation: 'CreateFunction',
    input: { FunctionName: 'errors-big-{{run}}', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: bytesOf(oversizedZip()) } },
    expect: invalid('Unzipped size must be smaller than 262144000 bytes'),
  },
  { name: 'DeleteAlias of a missing alias succeeds', operation: 'DeleteAlias', input: { FunctionName: FN, Name: 'none' }, expect: { status: 204, fields: [] } },
  { name: 'DeleteFunction of a missing version succeeds', operation: 'DeleteFunction', input: { FunctionName: FN, Qualifier: '1233' }, expect: { status: 204, fields: [] } },
  { name: 'DeleteFunctionConcurrency of none succeeds', operation: 'DeleteFunctionConcurrency', input: { FunctionName: FN }, expect: { status: 204, fields: [] } },
  { name: 'GetAlias of a missing alias', operation: 'GetAlias', input: { FunctionName: FN, Name: 'none' }, expect: notFound(`Cannot find alias arn: ${ARN}:none`) },
  { name: 'UpdateAlias of a missing alias', operation: 'UpdateAlias', input: { FunctionName: FN, Name: 'none', Description: 'x' }, expect: notFound(`Alias not found: ${ARN}:none`) },
  { name: 'GetPolicy of a function without one', operation: 'GetPolicy', input: { FunctionName: FN }, expect: notFound('The resource you requested does not exist.') },
  {
    name: 'RemovePermission of a function without a policy',
    operation: 'RemovePermission',
    input: { FunctionName: FN, StatementId: 'none' },
    expect: notFound('No policy is associated with the given resource.'),
  },
  {
    name: 'AddPermission refuses a StatementId with a dot',
    operation: 'AddPermission',
    input: { FunctionName: FN, StatementId: 'example.com', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' },
    expect: validation(`1 validation error detected: ${pattern('example.com', 'statementId', '[a-zA-Z0-9-_]+')}`),
  },
  {
    name: 'AddPermission refuses $LATEST',
    operation: 'AddPermission',
    input: { FunctionName: FN, Qualifier: '$LATEST', StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' },
    expect: invalid('We currently do not support adding policies for $LATEST.'),
  },
  {
    name: 'PutFunctionConcurrency refuses a qualified name',
    operation: 'PutFunctionConcurrency',
    input: { FunctionName: `${FN}:1`, ReservedConcurrentExecutions: 1 },
    expect: invalid('This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.'),
  },
  {
    name: 'PutFunctionConcurrency of a missing function names its $LATEST',
    operation: 'PutFunctionConcurrency',
    input: { FunctionName: 'errors-none-{{run}}', ReservedConcurrentExecutions: 1 },
    expect: notFound('Function not found: arn:aws:lambda:{{region}}:{{account}}:function:errors-none-{{run}}:$LATEST'),
  },
  { name: 'DeleteFunctionUrlConfig of none', operation: 'DeleteFunctionUrlConfig', input: { FunctionName: FN }, expect: notFound('The resource you requested does not exist.') },
  {
    name: 'CreateFunctionUrlConfig of a missing function',
    operation: 'CreateFunctionUrlConfig',
    input: { FunctionName: 'errors-none-{{run}}', AuthType: 'NONE' },
    expect: notFound('Function does not exist'),
  },
  {
    name: 'DeleteFunctionEventInvokeConfig of none',
    operation: 'DeleteFunctionEventInvokeConfig',
    input: { FunctionName: FN },
    expect: notFound(`The function ${ARN}:$LATEST doesn't have an EventInvokeConfig`),
  },
  {
    name: 'PutFunctionEventInvokeConfig of a missing function',
    operation: 'PutFunctionEventInvokeConfig',
    input: { FunctionName: 'errors-none-{{run}}', MaximumRetryAttempts: 1 },
    expect: notFound("The function doesn't exist."),
  },
  { name: 'cleanup: DeleteFunction', operation: 'DeleteFunction', input: { FunctionName: FN }, expect: { status: 204, fields: [] } },
];
