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
  /** KMSKeyArn as the caller gave it: stored and shown; faasbox encrypts with its own key whatever it names. */
  kmsKeyArn?: string;
  tracingMode: 'Active' | 'PassThrough';
  codeSha256: string;
  codeSize: number;
  /** Declared bytes of the zip's files unzipped; absent on records stored before layers (read from R2 then). */
  codeUnzippedBytes?: number;
  /** R2 key of the zip this configuration runs. */
  codeKey: string;
  /** Layers, in the order they are extracted to /opt (docs/LAYERS.md); absent when none. */
  layers?: FunctionLayer[];
  revisionId: string;
  lastModified: string;
  /** DeadLetterConfig.TargetArn: a faasbox queue of the same account. */
  deadLetterTargetArn?: string;
  /** Per-function async settings (Put/UpdateFunctionEventInvokeConfig). */
  eventInvokeConfig?: EventInvokeConfig;
  /** The published version number of a snapshot; absent on $LATEST. */
  version?: string;
}

/**
 * A layer a function's configuration names, as it was when the function was configured: Lambda
 * keeps a function's layers working after the layer version is deleted, so the function holds
 * what it needs to load it (the zip, never deleted while the owner's account lives).
 */
export interface FunctionLayer {
  arn: string;
  codeSize: number;
  codeKey: string;
  unzippedBytes: number;
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
