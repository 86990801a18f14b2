// Function CRUD as Lambda's API reference documents it: CreateFunction's FunctionConfiguration
// fields, GetFunction's shape, and the not-found answers.
import type { CorpusCase } from '../../e2e/support/aws-corpus';
import { bytesOf } from '../../e2e/support/aws-corpus';
import { zipOf } from '../../e2e/support/bundles';

const CODE = { ZipFile: bytesOf(zipOf({ 'index.js': 'exports.handler = async () => "ok";' })) };
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';

export const cases: CorpusCase[] = [
  {
    name: 'CreateFunction answers 201 with the FunctionConfiguration',
    operation: 'CreateFunction',
    input: { FunctionName: 'crud-{{run}}', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: CODE },
    expect: {
      status: 201,
      body: { FunctionName: 'crud-{{run}}', FunctionArn: 'arn:aws:lambda:{{region}}:{{account}}:function:crud-{{run}}', Version: '$LATEST', MemorySize: 128, Timeout: 3 },
    },
  },
  {
    name: 'GetFunctionConfiguration of a function that does not exist',
    operation: 'GetFunctionConfiguration',
    input: { FunctionName: 'missing-{{run}}' },
    expect: {
      status: 404,
      error: { code: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:{{region}}:{{account}}:function:missing-{{run}}' },
    },
  },
  { name: 'DeleteFunction', operation: 'DeleteFunction', input: { FunctionName: 'crud-{{run}}' }, expect: { status: 204, fields: [] } },
];
