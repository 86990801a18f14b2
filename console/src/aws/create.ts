// Creating a function and what it needs, as ordered steps: queues, buckets (and a sample image put
// into one), topics (and a queue subscribed), the execution role when the page creates one (with the
// policies the function needs), CreateFunction (code zipped in the browser), then the function URL
// and its public permission, the schedule rule with its permission and target, the queue trigger,
// the async settings, a bucket's notifications with S3's permission. Each step knows its API call, its
// AWS CLI equivalent and how to undo it, so the page can show progress and, when a later step
// fails, exactly what exists. Also the form checks, worded as the APIs word their refusals.
import { strToU8, zipSync } from 'fflate';
import { awsCli } from '../cli';
import { awsJson, restJson } from './client';
import { lambdaPath } from './lambda';
import { BASIC_EXECUTION_POLICY_ARN, roleCreation, SQS_QUEUE_EXECUTION_POLICY_ARN, type ExecutionRolePolicies } from './iam';
import { awsQuery, elementText, escapeXml, s3Request } from './query';
import {
  bucketArn, functionArn, isPrerequisite, queueArn, ruleArn, topicArn,
  type BucketNotificationResource, type FunctionSpec, type PrerequisiteResource, type Resource, type UploadedObject,
} from '../blueprints/types';

/** Runtimes faasbox accepts (its CreateFunction refuses the others), newest first. */
export const RUNTIMES = ['nodejs24.x', 'nodejs22.x', 'nodejs20.x', 'nodejs18.x', 'python3.14', 'python3.13', 'python3.12'] as const;

/** A runtime's name as Lambda's console shows it: `Node.js 22.x`, `Python 3.13`. */
export function runtimeLabel(runtime: string): string {
  return runtime.startsWith('python') ? `Python ${runtime.slice(6)}` : `Node.js ${runtime.slice(6, 8)}.x`;
}
export const MEMORY_MIN_MB = 128;
export const MEMORY_MAX_MB = 10_240;
export const TIMEOUT_MIN_SECONDS = 1;
export const TIMEOUT_MAX_SECONDS = 900;
const DESCRIPTION_MAX_CHARS = 256;
const FUNCTION_NAME_MAX_CHARS = 64;
const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';

/** The role ARN the "Enter a role ARN" field starts with: the ready role `npm start` creates (README). */
export function defaultRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/lambda-basic-execution`;
}

const policyDocument = (action: string | string[], resource: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

/**
 * What a new execution role needs for the function and resources of `plan`: writing its logs
 * always (AWSLambdaBasicExecutionRole); reading its queue trigger (AWSLambdaSQSQueueExecutionRole);
 * sending to its dead-letter queue or topic (sqs:SendMessage / sns:Publish on it, inline); reading
 * and writing the objects of its buckets (s3:GetObject and s3:PutObject, inline).
 */
export function executionRolePolicies(plan: Pick<CreationPlan, 'spec' | 'resources' | 'accountId' | 'region'>): ExecutionRolePolicies {
  const managed = [BASIC_EXECUTION_POLICY_ARN];
  if (plan.resources.some((r) => r.kind === 'queue-trigger')) managed.push(SQS_QUEUE_EXECUTION_POLICY_ARN);
  const inline: ExecutionRolePolicies['inline'] = [];
  if (plan.spec.deadLetterQueue) {
    inline.push({ name: 'send-to-dead-letter-queue', summary: 'sqs:SendMessage on the dead-letter queue', document: policyDocument('sqs:SendMessage', queueArn(plan, plan.spec.deadLetterQueue)) });
  }
  if (plan.spec.deadLetterTopic) {
    inline.push({ name: 'publish-to-dead-letter-topic', summary: 'sns:Publish on the dead-letter topic', document: policyDocument('sns:Publish', topicArn(plan, plan.spec.deadLetterTopic)) });
  }
  for (const bucket of plan.resources.filter((r) => r.kind === 'bucket')) {
    inline.push({ name: `objects-of-${bucket.name}`.slice(0, 128), summary: `s3:GetObject and s3:PutObject on ${bucket.name}`, document: policyDocument(['s3:GetObject', 's3:PutObject'], `${bucketArn(bucket.name)}/*`) });
  }
  return { managed, inline };
}

/** What is wrong with each field of a new function, in CreateFunction's wording; empty when nothing. */
export function functionProblems(name: string, spec: Pick<FunctionSpec, 'runtime' | 'memorySizeMb' | 'timeoutSeconds' | 'description'> & { role: string }): Record<string, string> {
  const problems: Record<string, string> = {};
  if (name.length === 0) problems.name = 'Enter a function name.';
  else if (name.length > FUNCTION_NAME_MAX_CHARS) problems.name = `Member must have length less than or equal to ${FUNCTION_NAME_MAX_CHARS}`;
  else if (!/^[a-zA-Z0-9-_]+$/.test(name)) problems.name = 'Use only letters, numbers, hyphens and underscores (Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+).';
  if (!(RUNTIMES as readonly string[]).includes(spec.runtime)) problems.runtime = `faasbox accepts: ${RUNTIMES.join(', ')}.`;
  const integerIn = (value: number, min: number, max: number) =>
    !Number.isInteger(value) ? 'Member must be an integer'
      : value < min ? `Member must have value greater than or equal to ${min}`
        : value > max ? `Member must have value less than or equal to ${max}` : undefined;
  const memory = integerIn(spec.memorySizeMb, MEMORY_MIN_MB, MEMORY_MAX_MB);
  if (memory) problems.memory = memory;
  const timeout = integerIn(spec.timeoutSeconds, TIMEOUT_MIN_SECONDS, TIMEOUT_MAX_SECONDS);
  if (timeout) problems.timeout = timeout;
  if (!new RegExp(`^${ROLE_PATTERN}$`).test(spec.role)) problems.role = `Member must satisfy regular expression pattern: ${ROLE_PATTERN}`;
  if (spec.description.length > DESCRIPTION_MAX_CHARS) problems.description = `Member must have length less than or equal to ${DESCRIPTION_MAX_CHARS}`;
  return problems;
}

/** What is wrong with a function URL's CORS, as CreateFunctionUrlConfig checks it, or undefined. */
export function corsProblem(cors: { AllowOrigins?: string[]; AllowMethods?: string[]; MaxAge?: number }): string | undefined {
  if ((cors.AllowOrigins?.length ?? 0) > 100) return 'At most 100 allowed origins.';
  if (cors.AllowOrigins?.some((o) => o.length > 253)) return 'An allowed origin has at most 253 characters.';
  if ((cors.AllowMethods?.length ?? 0) > 6) return 'At most 6 allowed methods.';
  if (cors.MaxAge !== undefined && (!Number.isInteger(cors.MaxAge) || cors.MaxAge < 0 || cors.MaxAge > 86400)) return 'Max age is a whole number of seconds from 0 to 86400.';
  return undefined;
}

/** Everything the page creates: the function and the resources beside it. */
export interface CreationPlan {
  functionName: string;
  role: string;
  /** Set when the page creates the execution role (`role` is then its ARN): its name. */
  newRoleName?: string;
  spec: FunctionSpec;
  resources: Resource[];
  accountId: string;
  region: string;
}

/** What the steps learned while running, for the later steps and the test event. */
export interface CreationState {
  functionUrl?: string;
  mappingUuid?: string;
  sampleObject?: UploadedObject;
}

export interface CreationStep {
  /** What the step creates, for the progress list ("Queue orders-dlq"). */
  title: string;
  /** The AWS CLI command doing the same. */
  cli: string;
  /** Creates it; resolves to a detail worth showing (a URL), if any. */
  run(state: CreationState): Promise<string | undefined>;
  /** True for the CreateFunction step. */
  createsFunction?: boolean;
  /** Removes what `run` created; absent when deleting the function removes it too. */
  undo?(state: CreationState): Promise<void>;
}

const encode = encodeURIComponent;

/** The function's files as a zip (fflate), and as base64 for CreateFunction's Code.ZipFile. */
export function zipFiles(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
}

/** Every file of the function's zip: its own, and the library files it bundles (loaded now, once). */
export async function allFiles(spec: Pick<FunctionSpec, 'files' | 'bundledFiles'>): Promise<Record<string, string>> {
  return { ...spec.files, ...(await spec.bundledFiles?.load()) };
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function queueUrl(plan: CreationPlan, name: string): string {
  return `${location.origin}/${plan.accountId}/${name}`;
}

/** The steps of `plan`, in the order they must run: what the function depends on, its role, the function, then the rest. */
export function creationSteps(plan: CreationPlan): CreationStep[] {
  const name = plan.functionName;
  const arn = functionArn({ ...plan, functionName: name });
  const prerequisites = plan.resources.filter(isPrerequisite);
  const others = plan.resources.filter((r): r is Exclude<Resource, PrerequisiteResource> => !isPrerequisite(r));
  const steps: CreationStep[] = prerequisites.map((resource) => prerequisiteStep(plan, resource));

  if (plan.newRoleName) {
    const policies = executionRolePolicies(plan);
    const creation = roleCreation(plan.newRoleName, policies);
    const policyNames = [...policies.managed.map((arn) => arn.split('/').pop()), ...policies.inline.map((p) => `inline ${p.name}`)];
    steps.push({ title: `Execution role ${plan.newRoleName} (${policyNames.join(', ')})`, cli: creation.cli, run: creation.run, undo: creation.undo });
  }

  const spec = plan.spec;
  const deadLetterArn = spec.deadLetterQueue ? queueArn(plan, spec.deadLetterQueue) : spec.deadLetterTopic ? topicArn(plan, spec.deadLetterTopic) : undefined;
  const deadLetterTitle = spec.deadLetterQueue ? `, dead-letter queue ${spec.deadLetterQueue}` : spec.deadLetterTopic ? `, dead-letter topic ${spec.deadLetterTopic}` : '';
  steps.push({
    createsFunction: true,
    title: `Function ${name || '(no name yet)'} (${spec.runtime}, ${spec.memorySizeMb} MB, ${spec.timeoutSeconds} s${deadLetterTitle})`,
    cli: awsCli('lambda', 'create-function', [
      '--function-name', name, '--runtime', spec.runtime, '--handler', spec.handler, '--role', plan.role,
      '--memory-size', String(spec.memorySizeMb), '--timeout', String(spec.timeoutSeconds),
      ...(spec.description ? ['--description', spec.description] : []),
      ...(deadLetterArn ? ['--dead-letter-config', `TargetArn=${deadLetterArn}`] : []),
      '--zip-file', 'fileb://function.zip',
    ]),
    run: async () => {
      await restJson('POST', lambdaPath('/functions'), {
        FunctionName: name, Runtime: spec.runtime, Role: plan.role, Handler: spec.handler,
        Code: { ZipFile: base64(zipFiles(await allFiles(spec))) },
        Description: spec.description, MemorySize: spec.memorySizeMb, Timeout: spec.timeoutSeconds,
        ...(deadLetterArn ? { DeadLetterConfig: { TargetArn: deadLetterArn } } : {}),
      });
      return undefined;
    },
    // Deleting the function also removes its URL, policy and async settings.
    undo: async () => { await restJson('DELETE', lambdaPath(`/functions/${encode(name)}`)); },
  });

  for (const resource of others) steps.push(...resourceSteps(plan, arn, resource));
  return steps;
}

/** The step creating a resource the function depends on: a queue, bucket, sample image or topic. */
function prerequisiteStep(plan: CreationPlan, resource: PrerequisiteResource): CreationStep {
  switch (resource.kind) {
    case 'queue': {
      const attributes: Record<string, string> = {
        ...(resource.visibilityTimeoutSeconds !== undefined ? { VisibilityTimeout: String(resource.visibilityTimeoutSeconds) } : {}),
        ...(resource.deadLetterQueue ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(plan, resource.deadLetterQueue.name), maxReceiveCount: resource.deadLetterQueue.maxReceiveCount }) } : {}),
      };
      const hasAttributes = Object.keys(attributes).length > 0;
      return {
        title: `Queue ${resource.name}${resource.deadLetterQueue ? ` (dead letters to ${resource.deadLetterQueue.name} after ${resource.deadLetterQueue.maxReceiveCount} receives)` : ''}`,
        cli: awsCli('sqs', 'create-queue', ['--queue-name', resource.name, ...(hasAttributes ? ['--attributes', JSON.stringify(attributes)] : [])]),
        run: async () => (await awsJson<{ QueueUrl: string }>('sqs', 'CreateQueue', { QueueName: resource.name, ...(hasAttributes ? { Attributes: attributes } : {}) })).QueueUrl,
        undo: async () => { await awsJson('sqs', 'DeleteQueue', { QueueUrl: queueUrl(plan, resource.name) }); },
      };
    }
    case 'bucket':
      return {
        title: `Bucket ${resource.name}`,
        cli: awsCli('s3api', 'create-bucket', ['--bucket', resource.name]),
        run: async () => { await s3Request('PUT', `/${encode(resource.name)}`); return undefined; },
        undo: async () => { await s3Request('DELETE', `/${encode(resource.name)}`); },
      };
    case 'sample-image': {
      const path = `/${encode(resource.bucket)}/${resource.key.split('/').map(encode).join('/')}`;
      return {
        title: `Sample image ${resource.key} (${resource.width} x ${resource.height} JPEG drawn in the browser) in ${resource.bucket}`,
        cli: awsCli('s3api', 'put-object', ['--bucket', resource.bucket, '--key', resource.key, '--body', resource.key, '--content-type', 'image/jpeg']),
        run: async (state) => {
          const body = await sampleJpeg(resource.width, resource.height);
          const answer = await s3Request('PUT', path, { body, headers: { 'content-type': 'image/jpeg' } });
          const eTag = (answer.headers.get('etag') ?? '').replace(/"/g, '');
          state.sampleObject = { bucket: resource.bucket, key: resource.key, size: body.byteLength, eTag };
          return `${body.byteLength} bytes, ETag ${eTag}`;
        },
        undo: async () => { await s3Request('DELETE', path); },
      };
    }
    case 'topic': {
      const arn = topicArn(plan, resource.name);
      const queue = resource.subscribedQueue;
      return {
        title: `Topic ${resource.name}${queue ? ` (queue ${queue} subscribed)` : ''}`,
        cli: [
          awsCli('sns', 'create-topic', ['--name', resource.name]),
          ...(queue ? [awsCli('sns', 'subscribe', ['--topic-arn', arn, '--protocol', 'sqs', '--notification-endpoint', queueArn(plan, queue)])] : []),
        ].join('\n'),
        run: async () => {
          const created = elementText(await awsQuery('sns', 'CreateTopic', { Name: resource.name }), 'TopicArn') ?? arn;
          if (queue) await awsQuery('sns', 'Subscribe', { TopicArn: created, Protocol: 'sqs', Endpoint: queueArn(plan, queue) });
          return created;
        },
        // Deleting a topic deletes its subscriptions, as in SNS.
        undo: async () => { await awsQuery('sns', 'DeleteTopic', { TopicArn: arn }); },
      };
    }
  }
}

/** A `width` x `height` JPEG of a colour gradient, drawn on an OffscreenCanvas and encoded by the browser. */
async function sampleJpeg(width: number, height: number): Promise<ArrayBuffer> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw the sample image (no 2D canvas).');
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, '#1f6feb');
  gradient.addColorStop(0.5, '#f2cc60');
  gradient.addColorStop(1, '#d1242f');
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#ffffff';
  context.font = `bold ${Math.round(height / 6)}px sans-serif`;
  context.fillText('faasbox', width / 10, height / 1.8);
  return (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer();
}

/** The notification configuration document S3's PutBucketNotificationConfiguration takes (one function). */
export function notificationXml(resource: BucketNotificationResource, arn: string): string {
  const filter = resource.suffix ? `<Filter><S3Key><FilterRule><Name>suffix</Name><Value>${escapeXml(resource.suffix)}</Value></FilterRule></S3Key></Filter>` : '';
  return '<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CloudFunctionConfiguration>'
    + `<Id>${escapeXml(resource.id)}</Id><CloudFunction>${escapeXml(arn)}</CloudFunction>${resource.events.map((e) => `<Event>${escapeXml(e)}</Event>`).join('')}${filter}`
    + '</CloudFunctionConfiguration></NotificationConfiguration>';
}

function resourceSteps(plan: CreationPlan, arn: string, resource: Exclude<Resource, PrerequisiteResource>): CreationStep[] {
  const name = plan.functionName;
  switch (resource.kind) {
    case 'function-url': {
      const steps: CreationStep[] = [{
        title: `Function URL (auth type ${resource.authType}${resource.cors ? ', CORS' : ''})`,
        cli: awsCli('lambda', 'create-function-url-config', ['--function-name', name, '--auth-type', resource.authType, ...(resource.cors ? ['--cors', JSON.stringify(resource.cors)] : [])]),
        run: async (state) => {
          const answer = await restJson<{ FunctionUrl: string }>('POST', `/2021-10-31/functions/${encode(name)}/url`, { AuthType: resource.authType, ...(resource.cors ? { Cors: resource.cors } : {}) });
          state.functionUrl = answer.FunctionUrl;
          return answer.FunctionUrl;
        },
      }];
      // As Lambda's console does: a NONE URL is public only once the policy says so.
      if (resource.authType === 'NONE') {
        steps.push({
          title: 'Permission: anyone may call the function URL (FunctionURLAllowPublicAccess)',
          cli: awsCli('lambda', 'add-permission', ['--function-name', name, '--statement-id', 'FunctionURLAllowPublicAccess', '--action', 'lambda:InvokeFunctionUrl', '--principal', '*', '--function-url-auth-type', 'NONE']),
          run: async () => {
            await restJson('POST', lambdaPath(`/functions/${encode(name)}/policy`), { StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' });
            return undefined;
          },
        });
      }
      return steps;
    }
    case 'schedule': {
      const rule = ruleArn(plan, resource.ruleName);
      const targets = [{ Id: `${name}-target`.slice(0, 64), Arn: arn }];
      const statementId = `${resource.ruleName}-events`.slice(0, 100);
      return [
        {
          title: `Schedule rule ${resource.ruleName} (${resource.scheduleExpression})`,
          cli: awsCli('events', 'put-rule', ['--name', resource.ruleName, '--schedule-expression', resource.scheduleExpression, ...(resource.description ? ['--description', resource.description] : [])]),
          run: async () => {
            await awsJson('events', 'PutRule', { Name: resource.ruleName, ScheduleExpression: resource.scheduleExpression, State: 'ENABLED', ...(resource.description ? { Description: resource.description } : {}) });
            return undefined;
          },
          undo: async () => {
            await awsJson('events', 'RemoveTargets', { Rule: resource.ruleName, Ids: targets.map((t) => t.Id) });
            await awsJson('events', 'DeleteRule', { Name: resource.ruleName });
          },
        },
        {
          title: `Permission: EventBridge may invoke the function for ${resource.ruleName}`,
          cli: awsCli('lambda', 'add-permission', ['--function-name', name, '--statement-id', statementId, '--action', 'lambda:InvokeFunction', '--principal', 'events.amazonaws.com', '--source-arn', rule]),
          run: async () => {
            await restJson('POST', lambdaPath(`/functions/${encode(name)}/policy`), { StatementId: statementId, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: rule });
            return undefined;
          },
        },
        {
          title: `Target: ${resource.ruleName} invokes ${name}`,
          cli: awsCli('events', 'put-targets', ['--rule', resource.ruleName, '--targets', JSON.stringify(targets)]),
          run: async () => {
            const answer = await awsJson<{ FailedEntryCount: number; FailedEntries?: { ErrorMessage?: string }[] }>('events', 'PutTargets', { Rule: resource.ruleName, Targets: targets });
            // PutTargets answers 200 with per-target failures: those are this step's failure too.
            if (answer.FailedEntryCount > 0) throw new Error(answer.FailedEntries?.[0]?.ErrorMessage ?? 'The target was refused.');
            return undefined;
          },
        },
      ];
    }
    case 'queue-trigger': {
      const source = queueArn(plan, resource.queueName);
      return [{
        title: `Trigger: ${resource.queueName} → ${name} (batches of ${resource.batchSize}${resource.reportBatchItemFailures ? ', ReportBatchItemFailures' : ''})`,
        cli: awsCli('lambda', 'create-event-source-mapping', ['--function-name', name, '--event-source-arn', source, '--batch-size', String(resource.batchSize), ...(resource.reportBatchItemFailures ? ['--function-response-types', 'ReportBatchItemFailures'] : [])]),
        run: async (state) => {
          const answer = await restJson<{ UUID: string }>('POST', lambdaPath('/event-source-mappings'), {
            FunctionName: name, EventSourceArn: source, BatchSize: resource.batchSize,
            ...(resource.reportBatchItemFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
          });
          state.mappingUuid = answer.UUID;
          return `mapping ${answer.UUID}`;
        },
        undo: async (state) => {
          if (state.mappingUuid) await restJson('DELETE', lambdaPath(`/event-source-mappings/${encode(state.mappingUuid)}`));
        },
      }];
    }
    case 'bucket-notification': {
      const source = bucketArn(resource.bucket);
      const statementId = `${resource.bucket}-s3`.slice(0, 100);
      const configuration = {
        LambdaFunctionConfigurations: [{
          Id: resource.id, LambdaFunctionArn: arn, Events: resource.events,
          ...(resource.suffix ? { Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: resource.suffix }] } } } : {}),
        }],
      };
      return [
        {
          title: `Permission: S3 may invoke the function for ${resource.bucket}`,
          cli: awsCli('lambda', 'add-permission', ['--function-name', name, '--statement-id', statementId, '--action', 'lambda:InvokeFunction', '--principal', 's3.amazonaws.com', '--source-arn', source, '--source-account', plan.accountId]),
          run: async () => {
            await restJson('POST', lambdaPath(`/functions/${encode(name)}/policy`), { StatementId: statementId, Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: source, SourceAccount: plan.accountId });
            return undefined;
          },
        },
        {
          title: `Notification: ${resource.events.join(', ')}${resource.suffix ? ` of keys ending ${resource.suffix}` : ''} in ${resource.bucket} → ${name}`,
          cli: awsCli('s3api', 'put-bucket-notification-configuration', ['--bucket', resource.bucket, '--notification-configuration', JSON.stringify(configuration)]),
          run: async () => {
            await s3Request('PUT', `/${encode(resource.bucket)}?notification`, { body: notificationXml(resource, arn), headers: { 'content-type': 'application/xml' } });
            return undefined;
          },
          // Removing what was created empties the configuration before the bucket goes.
          undo: async () => { await s3Request('PUT', `/${encode(resource.bucket)}?notification`, { body: '<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>', headers: { 'content-type': 'application/xml' } }); },
        },
      ];
    }
    case 'async-config':
      return [{
        title: `Async invocation: ${resource.maximumRetryAttempts} retries, events kept up to ${resource.maximumEventAgeInSeconds / 60} minutes`,
        cli: awsCli('lambda', 'put-function-event-invoke-config', ['--function-name', name, '--maximum-retry-attempts', String(resource.maximumRetryAttempts), '--maximum-event-age-in-seconds', String(resource.maximumEventAgeInSeconds)]),
        run: async () => {
          await restJson('PUT', `/2019-09-25/functions/${encode(name)}/event-invoke-config`, { MaximumRetryAttempts: resource.maximumRetryAttempts, MaximumEventAgeInSeconds: resource.maximumEventAgeInSeconds });
          return undefined;
        },
      }];
  }
}
