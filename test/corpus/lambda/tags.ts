// Tags as AWS answers them: Lambda's TagResource, UntagResource and ListTags on a function, Tags on
// CreateFunction and in GetFunction, and their refusals (texts as Lambda answers them, recorded in
// LocalStack's AWS-validated snapshots of test_lambda_api.py); SQS's TagQueue, UntagQueue,
// ListQueueTags and CreateQueue's tags (ListQueueTags omits Tags when there are none); an event
// source mapping's tags, on the ARN its creation answered.
import type { CorpusCase } from '../../e2e/support/aws-corpus';
import { bytesOf } from '../../e2e/support/aws-corpus';
import { zipOf } from '../../e2e/support/bundles';

const CODE = { ZipFile: bytesOf(zipOf({ 'index.js': 'exports.handler = async () => "ok";' })) };
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
const FN = 'arn:aws:lambda:{{region}}:{{account}}:function:tags-fn-{{run}}';
const QUEUE = '{{endpoint}}/{{account}}/tags-q-{{run}}';
const ESM = 'arn:aws:lambda:{{region}}:{{account}}:event-source-mapping:{{uuid}}';
const TAGGABLE_RESOURCE_PATTERN =
  'arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)';
const QUALIFIED = { code: 'InvalidParameterValueException', message: 'Tags on function aliases and versions are not supported. Please specify a function ARN.' };

export const cases: CorpusCase[] = [
  {
    name: 'CreateFunction with Tags',
    operation: 'CreateFunction',
    input: { FunctionName: 'tags-fn-{{run}}', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: CODE, Tags: { team: 'a' } },
  },
  {
    name: 'GetFunction shows the Tags given at creation',
    operation: 'GetFunction',
    input: { FunctionName: 'tags-fn-{{run}}' },
    expect: { status: 200, fields: ['Code', 'Configuration', 'Tags'], body: { Tags: { team: 'a' } } },
  },
  {
    name: 'ListTags of the function',
    operation: 'ListTags',
    input: { Resource: FN },
    expect: { status: 200, fields: ['Tags'], body: { Tags: { team: 'a' } } },
  },
  {
    name: 'TagResource adds tags and overwrites a key the function has, answering 204',
    operation: 'TagResource',
    input: { Resource: FN, Tags: { team: 'b', stage: 'dev' } },
    expect: { status: 204, fields: [] },
  },
  {
    name: 'ListTags after TagResource',
    operation: 'ListTags',
    input: { Resource: FN },
    expect: { status: 200, fields: ['Tags'], body: { Tags: { team: 'b', stage: 'dev' } } },
  },
  {
    name: 'UntagResource of every key, one the function does not have among them',
    operation: 'UntagResource',
    input: { Resource: FN, TagKeys: ['team', 'stage', 'missing'] },
    expect: { status: 204, fields: [] },
  },
  {
    name: 'GetFunction of a function without tags has no Tags',
    operation: 'GetFunction',
    input: { FunctionName: 'tags-fn-{{run}}' },
    expect: { status: 200, fields: ['Code', 'Configuration'] },
  },
  {
    name: 'ListTags of a function without tags answers an empty map',
    operation: 'ListTags',
    input: { Resource: FN },
    expect: { status: 200, fields: ['Tags'], body: { Tags: {} } },
  },
  {
    name: 'TagResource refuses a version ARN',
    operation: 'TagResource',
    input: { Resource: `${FN}:1`, Tags: { a: 'b' } },
    expect: { status: 400, error: QUALIFIED },
  },
  {
    name: 'ListTags refuses a $LATEST ARN',
    operation: 'ListTags',
    input: { Resource: `${FN}:$LATEST` },
    expect: { status: 400, error: QUALIFIED },
  },
  {
    name: 'TagResource refuses an empty map',
    operation: 'TagResource',
    input: { Resource: FN, Tags: {} },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: 'An error occurred and the request cannot be processed.' } },
  },
  {
    name: 'UntagResource refuses an empty TagKeys (sent as no tagKeys at all)',
    operation: 'UntagResource',
    input: { Resource: FN, TagKeys: [] },
    expect: {
      status: 400,
      error: { code: 'ValidationException', message: "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null" },
    },
  },
  {
    name: 'TagResource refuses 51 tags',
    operation: 'TagResource',
    input: { Resource: FN, Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`${i}_key`, `${i}_value`])) },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: 'Number of tags exceeds resource tag limit.' } },
  },
  {
    name: 'ListTags of an ARN that names no taggable resource',
    operation: 'ListTags',
    input: { Resource: 'arn:aws:lambda:{{region}}:{{account}}:foobar:tags-fn-{{run}}' },
    expect: {
      status: 400,
      error: {
        code: 'ValidationException',
        message: `1 validation error detected: Value 'arn:aws:lambda:{{region}}:{{account}}:foobar:tags-fn-{{run}}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: ${TAGGABLE_RESOURCE_PATTERN}`,
      },
    },
  },
  { name: 'DeleteFunction', operation: 'DeleteFunction', input: { FunctionName: 'tags-fn-{{run}}' }, expect: { status: 204, fields: [] } },
  {
    name: 'TagResource of a deleted function',
    operation: 'TagResource',
    input: { Resource: FN, Tags: { a: 'b' } },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: `Function not found: ${FN}` } },
  },
  {
    name: 'ListTags of a deleted function',
    operation: 'ListTags',
    input: { Resource: FN },
    expect: { status: 404, error: { code: 'ResourceNotFoundException', message: `Function not found: ${FN}` } },
  },
  {
    name: 'ListTags of an event source mapping that does not exist',
    operation: 'ListTags',
    input: { Resource: 'arn:aws:lambda:{{region}}:{{account}}:event-source-mapping:00000000-0000-4000-8000-000000000000' },
    expect: {
      status: 404,
      error: { code: 'ResourceNotFoundException', message: 'Event source mapping not found: arn:aws:lambda:{{region}}:{{account}}:event-source-mapping:00000000-0000-4000-8000-000000000000' },
    },
  },
  // An event source mapping's tags: its ARN is known only from CreateEventSourceMapping's answer (captured as {{uuid}}).
  { name: 'CreateQueue for a mapping', service: 'sqs', operation: 'CreateQueue', input: { QueueName: 'tags-esm-q-{{run}}' } },
  {
    name: 'CreateFunction for a mapping',
    operation: 'CreateFunction',
    input: { FunctionName: 'tags-esm-fn-{{run}}', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: CODE },
  },
  {
    name: 'CreateEventSourceMapping with Tags',
    operation: 'CreateEventSourceMapping',
    input: { FunctionName: 'tags-esm-fn-{{run}}', EventSourceArn: 'arn:aws:sqs:{{region}}:{{account}}:tags-esm-q-{{run}}', Enabled: false, Tags: { team: 'a' } },
    expect: { status: 202, body: { State: 'Creating', EventSourceMappingArn: ESM } },
    capture: { uuid: 'UUID' },
  },
  {
    name: 'ListTags of the mapping shows the Tags given at creation',
    operation: 'ListTags',
    input: { Resource: ESM },
    expect: { status: 200, fields: ['Tags'], body: { Tags: { team: 'a' } } },
  },
  { name: 'TagResource of the mapping', operation: 'TagResource', input: { Resource: ESM, Tags: { team: 'b', stage: 'dev' } }, expect: { status: 204, fields: [] } },
  {
    name: 'ListTags of the mapping after TagResource',
    operation: 'ListTags',
    input: { Resource: ESM },
    expect: { status: 200, fields: ['Tags'], body: { Tags: { team: 'b', stage: 'dev' } } },
  },
  { name: 'UntagResource of the mapping', operation: 'UntagResource', input: { Resource: ESM, TagKeys: ['team', 'stage'] }, expect: { status: 204, fields: [] } },
  {
    name: 'ListTags of a mapping without tags answers an empty map',
    operation: 'ListTags',
    input: { Resource: ESM },
    expect: { status: 200, fields: ['Tags'], body: { Tags: {} } },
  },
  {
    name: 'TagResource refuses 51 tags on a mapping',
    operation: 'TagResource',
    input: { Resource: ESM, Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`${i}_key`, `${i}_value`])) },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: 'Number of tags exceeds resource tag limit.' } },
  },
  { name: 'DeleteEventSourceMapping', operation: 'DeleteEventSourceMapping', input: { UUID: '{{uuid}}' }, expect: { status: 202, body: { State: 'Deleting' } } },
  { name: 'DeleteFunction of the mapping\'s function', operation: 'DeleteFunction', input: { FunctionName: 'tags-esm-fn-{{run}}' } },
  { name: 'DeleteQueue of the mapping\'s queue', service: 'sqs', operation: 'DeleteQueue', input: { QueueUrl: '{{endpoint}}/{{account}}/tags-esm-q-{{run}}' } },
  // SQS
  { name: 'CreateQueue with tags', service: 'sqs', operation: 'CreateQueue', input: { QueueName: 'tags-q-{{run}}', tags: { team: 'a', empty: '' } } },
  {
    name: 'ListQueueTags shows the tags given at creation',
    service: 'sqs',
    operation: 'ListQueueTags',
    input: { QueueUrl: QUEUE },
    expect: { status: 200, fields: ['Tags'], body: { Tags: { team: 'a', empty: '' } } },
  },
  { name: 'TagQueue', service: 'sqs', operation: 'TagQueue', input: { QueueUrl: QUEUE, Tags: { stage: 'dev' } }, expect: { status: 200, fields: [] } },
  {
    name: 'ListQueueTags after TagQueue',
    service: 'sqs',
    operation: 'ListQueueTags',
    input: { QueueUrl: QUEUE },
    expect: { status: 200, fields: ['Tags'], body: { Tags: { team: 'a', empty: '', stage: 'dev' } } },
  },
  {
    name: 'UntagQueue of every key, one the queue does not have among them',
    service: 'sqs',
    operation: 'UntagQueue',
    input: { QueueUrl: QUEUE, TagKeys: ['team', 'empty', 'stage', 'missing'] },
    expect: { status: 200, fields: [] },
  },
  {
    name: 'ListQueueTags of a queue without tags omits Tags',
    service: 'sqs',
    operation: 'ListQueueTags',
    input: { QueueUrl: QUEUE },
    expect: { status: 200, fields: [] },
  },
  { name: 'DeleteQueue', service: 'sqs', operation: 'DeleteQueue', input: { QueueUrl: QUEUE }, expect: { status: 200, fields: [] } },
];
