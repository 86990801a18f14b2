// What a blueprint is: code and configuration for a new function, the resources it needs beside
// it (queues, a schedule rule, a function URL, a queue trigger, async settings) declared as data,
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
}

/** A setting of a blueprint beside the function's own: a name or expression the user may change. */
export interface BlueprintSetting {
  key: string;
  label: string;
  hint: string;
  /** The value until the user edits it, derived from the function's name. */
  defaultValue(functionName: string): string;
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

export type Resource = QueueResource | FunctionUrlResource | ScheduleResource | QueueTriggerResource | AsyncConfigResource;

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
  /** A queue of the plan that receives the events whose async retries ran out. */
  deadLetterQueue?: string;
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
}

/** The ARN of a queue of the account (faasbox queue ARNs are SQS's). */
export function queueArn(ctx: Pick<BlueprintContext, 'accountId' | 'region'>, name: string): string {
  return `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;
}

export function ruleArn(ctx: Pick<BlueprintContext, 'accountId' | 'region'>, name: string): string {
  return `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${name}`;
}

export function functionArn(ctx: Pick<BlueprintContext, 'accountId' | 'region' | 'functionName'>): string {
  return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${ctx.functionName}`;
}
