// A function's stored configuration ($LATEST) and what a qualifier resolves to: the records the
// FunctionRegistry holds and the invocation path, triggers and API render.

/** A function's stored configuration; the API layer renders it as Lambda's FunctionConfiguration. */
export interface FunctionRecord {
  name: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeoutSeconds: number;
  memorySizeMb: number;
  environment: Record<string, string>;
  tracingMode: 'Active' | 'PassThrough';
  codeSha256: string;
  codeSize: number;
  /** R2 key of the zip this configuration runs. */
  codeKey: string;
  revisionId: string;
  lastModified: string;
  /** DeadLetterConfig.TargetArn: a faasbox queue of the same account. */
  deadLetterTargetArn?: string;
  /** Per-function async settings (Put/UpdateFunctionEventInvokeConfig). */
  eventInvokeConfig?: EventInvokeConfig;
  /** The published version number of a snapshot; absent on $LATEST. */
  version?: string;
}

/** What a qualifier names: the snapshot to run, the version it is, and the alias that chose it. */
export interface ResolvedFunction {
  record: FunctionRecord;
  executedVersion: string;
  alias?: string;
}

export interface EventInvokeConfig {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  /** Destination ARNs: a queue or a function of the same account. */
  onSuccess?: string;
  onFailure?: string;
  /** Epoch seconds, as Lambda reports it. */
  lastModified: number;
}

/** Lambda's LastModified format: `2026-11-26T19:11:20.562+0000`. */
export function lambdaTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}
