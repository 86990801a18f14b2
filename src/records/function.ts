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
  /**
   * The environment variables, sealed (src/crypto/envelope.ts); absent when there are none. Only
   * the invocation path and the API's rendering open it (openEnvironment).
   */
  sealedEnvironment?: string;
  /** Environment was given (even with no variables): Lambda then shows it, `{ Variables: {} }` at least. */
  environmentGiven?: true;
  /** KMSKeyArn as the caller gave it: stored and shown; faasbox encrypts with its own key whatever it names. */
  kmsKeyArn?: string;
  tracingMode: 'Active' | 'PassThrough';
  /** Architectures[0]; absent is x86_64. Stored and shown: QuickJS runs the same on either. */
  architecture?: 'x86_64' | 'arm64';
  /** EphemeralStorage.Size; absent is 512. Stored and shown: functions have no /tmp here. */
  ephemeralStorageMb?: number;
  /** SnapStart.ApplyOn; absent is None. Stored and shown (OptimizationStatus Off) until issue 14 runs it. */
  snapStartApplyOn?: 'PublishedVersions' | 'None';
  /** An empty VpcConfig as given (faasbox has no VPCs, so never with subnets or security groups). */
  vpcConfig?: { ipv6AllowedForDualStack: boolean };
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

/** A new function as a write hands it to the FunctionRegistry: its variables in clear, sealed there before they are stored. */
export type NewFunctionRecord = Omit<FunctionRecord, 'sealedEnvironment'> & { environment: Record<string, string> };

/** Changes to $LATEST as a write hands them to the FunctionRegistry: variables in clear, sealed there. */
export type FunctionChanges = Partial<Omit<FunctionRecord, 'name' | 'revisionId' | 'lastModified' | 'sealedEnvironment'>> & {
  environment?: Record<string, string>;
};

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
