// What a blueprint is: code and configuration for a new function, the resources it needs beside
// it (queues, a schedule rule, a function URL, a queue trigger, async settings, an S3 bucket with a
// sample object and its notification, an SNS topic with a queue subscribed) declared as data,
// and its default test event. Pure data and functions (no DOM, no API calls), so the end-to-end
// tests import the same definitions the page creates from.

/** Where the function and its resources live, and what creating them returned. */
export interface BlueprintContext {
  functionName: string;
  accountId: string;
  region: string;
  /** The blueprint's own settings (queue and rule names, schedule expression), as the form has them. */
  settings: Record<string, string>;
  /** The function URL CreateFunctionUrlConfig answered, once it exists. */
  functionUrl?: string;
  /** The sample object the plan uploaded (PutObject's answer), once it exists. */
  sampleObject?: UploadedObject;
}

/** An object as S3 stored it: its key, size in bytes and ETag (without quotes). */
export interface UploadedObject {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
}

/** A setting of a blueprint beside the function's own: a name or expression the user may change. */
export interface BlueprintSetting {
  key: string;
  label: string;
  hint: string;
  /**
   * The value until the user edits it, derived from the function's name; `unique` is a few random
   * letters and digits the form keeps (for names that are global, as S3's bucket names are).
   */
  defaultValue(functionName: string, unique: string): string;
  /** What is wrong with `value`, in the wording of the API that would refuse it, or undefined. */
  problem(value: string): string | undefined;
}

/** A standard queue (SQS CreateQueue). `deadLetterQueue` names another queue of the plan (a RedrivePolicy). */
export interface QueueResource {
  kind: 'queue';
  name: string;
  visibilityTimeoutSeconds?: number;
  deadLetterQueue?: { name: string; maxReceiveCount: number };
}

export interface FunctionUrlResource {
  kind: 'function-url';
  authType: 'NONE' | 'AWS_IAM';
  cors?: CorsSettings;
}

/** An EventBridge schedule rule whose target is the function. */
export interface ScheduleResource {
  kind: 'schedule';
  ruleName: string;
  scheduleExpression: string;
  description?: string;
}

/** An event source mapping from a queue of the plan to the function. */
export interface QueueTriggerResource {
  kind: 'queue-trigger';
  queueName: string;
  batchSize: number;
  reportBatchItemFailures: boolean;
}

/** Asynchronous invocation settings (PutFunctionEventInvokeConfig). */
export interface AsyncConfigResource {
  kind: 'async-config';
  maximumRetryAttempts: number;
  maximumEventAgeInSeconds: number;
}

/**
 * An S3 bucket (CreateBucket in the platform's region). The function's new role may read and write
 * its objects (s3:GetObject, s3:PutObject on `arn:aws:s3:::<name>/*`).
 */
export interface BucketResource {
  kind: 'bucket';
  name: string;
}

/** A JPEG drawn in the browser (a colour gradient, `width` x `height`) and put into a bucket of the plan. */
export interface SampleImageResource {
  kind: 'sample-image';
  bucket: string;
  key: string;
  width: number;
  height: number;
}

/** An SNS topic (CreateTopic); `subscribedQueue` names a queue of the plan subscribed to it (protocol sqs). */
export interface TopicResource {
  kind: 'topic';
  name: string;
  subscribedQueue?: string;
}

/**
 * S3 event notifications from a bucket of the plan to the function: the permission for
 * s3.amazonaws.com (SourceArn the bucket, SourceAccount the account), then
 * PutBucketNotificationConfiguration with one LambdaFunctionConfiguration.
 */
export interface BucketNotificationResource {
  kind: 'bucket-notification';
  bucket: string;
  id: string;
  events: string[];
  suffix?: string;
}

/** Kinds created before the function (it, its role or its dead-letter target depend on them). */
export type PrerequisiteResource = QueueResource | BucketResource | SampleImageResource | TopicResource;

export type Resource = PrerequisiteResource | FunctionUrlResource | ScheduleResource | QueueTriggerResource | AsyncConfigResource | BucketNotificationResource;

export const PREREQUISITE_KINDS: readonly Resource['kind'][] = ['queue', 'topic', 'bucket', 'sample-image'];

export function isPrerequisite(resource: Resource): resource is PrerequisiteResource {
  return PREREQUISITE_KINDS.includes(resource.kind);
}

/** Lambda's function URL Cors, as CreateFunctionUrlConfig takes it. */
export interface CorsSettings {
  AllowOrigins?: string[];
  AllowMethods?: string[];
  AllowHeaders?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
  AllowCredentials?: boolean;
}

/** The function itself as CreateFunction will create it. */
export interface FunctionSpec {
  runtime: string;
  handler: string;
  memorySizeMb: number;
  timeoutSeconds: number;
  description: string;
  /** Source files by path, zipped in the browser. */
  files: Record<string, string>;
  /**
   * More files of the zip (a library the code bundles, as node_modules/...), loaded only when the
   * zip is built: their source is a chunk of its own, so the console's first load does not carry it.
   */
  bundledFiles?: { describe: string; load(): Promise<Record<string, string>> };
  /** A queue of the plan that receives the events whose async retries ran out. */
  deadLetterQueue?: string;
  /** A topic of the plan that receives them instead (DeadLetterConfig.TargetArn a topic). */
  deadLetterTopic?: string;
}

export interface Blueprint {
  id: string;
  title: string;
  summary: string;
  /** Services the blueprint uses besides Lambda, shown as labels. */
  uses: string[];
  defaultFunctionName: string;
  settings: BlueprintSetting[];
  function(ctx: Omit<BlueprintContext, 'functionUrl'>): FunctionSpec;
  /** What is created beside the function; queues are created before it, the rest after. */
  resources(ctx: Omit<BlueprintContext, 'functionUrl'>): Resource[];
  /** The default test event, as JSON text (saved as the function's test event "blueprint-default"). */
  testEvent(ctx: BlueprintContext): string;
  /** Why a playground sandbox cannot create it (shown, and Create refused), when it cannot. */
  notInPlayground?: string;
}

/** The ARN of a queue of the account (faasbox queue ARNs are SQS's). */
export function queueArn(ctx: Pick<BlueprintContext, 'accountId' | 'region'>, name: string): string {
  return `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;
}

export function ruleArn(ctx: Pick<BlueprintContext, 'accountId' | 'region'>, name: string): string {
  return `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${name}`;
}

export function topicArn(ctx: Pick<BlueprintContext, 'accountId' | 'region'>, name: string): string {
  return `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;
}

export const bucketArn = (name: string) => `arn:aws:s3:::${name}`;

export function functionArn(ctx: Pick<BlueprintContext, 'accountId' | 'region' | 'functionName'>): string {
  return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${ctx.functionName}`;
}
