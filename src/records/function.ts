// A function's stored configuration ($LATEST) and what a qualifier resolves to: the records the
// FunctionRegistry holds and the invocation path, triggers and API render.
import type { Tags } from './tags';

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
  /** SnapStart.ApplyOn; absent is None. PublishedVersions: a published version's cold starts restore a snapshot (OptimizationStatus On). */
  snapStartApplyOn?: 'PublishedVersions' | 'None';
  /** An empty VpcConfig as given (faasbox has no VPCs, so never with subnets or security groups). */
  vpcConfig?: { ipv6AllowedForDualStack: boolean };
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
  /** Async settings of this qualifier ($LATEST's, or a version's own): Put/UpdateFunctionEventInvokeConfig. */
  eventInvokeConfig?: EventInvokeConfig;
  /** The function's tags (CreateFunction's Tags, TagResource): $LATEST's only, as Lambda's are not part of a version. */
  tags?: Tags;
  /** PutRuntimeManagementConfig of $LATEST or a version: stored and answered (faasbox has one runtime version). */
  runtimeManagement?: RuntimeManagement;
  /** PutFunctionRecursionConfig: stored and answered; faasbox does not detect loops (absent: Terminate). */
  recursiveLoop?: 'Allow' | 'Terminate';
  /** The published version number of a snapshot; absent on $LATEST. */
  version?: string;
  /** LoggingConfig as set (docs/LOGS.md, "Log format and levels"); absent: Text, to `/aws/lambda/<name>`. */
  loggingConfig?: LoggingSettings;
  /** The function's own egress lists (faasbox's PUT /api/functions/<name>/egress; docs/SECURITY.md); absent: none. */
  egress?: FunctionEgress;
}

/**
 * A function's own egress rules, its entries in their normal text (sandbox's formatEgressPattern):
 * `allow-list` reaches only what `allow` lists; `deny-list` has no allow list. `deny` applies in both.
 */
export interface FunctionEgress {
  mode: 'allow-list' | 'deny-list';
  allow: string[];
  deny: string[];
}

export type LogFormat = 'Text' | 'JSON';
export type ApplicationLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
export type SystemLogLevel = 'DEBUG' | 'INFO' | 'WARN';

/** A function's log format, levels (JSON only, both set: INFO unless given) and custom log group (absent: the default one). */
export interface LoggingSettings {
  logFormat: LogFormat;
  applicationLogLevel?: ApplicationLogLevel;
  systemLogLevel?: SystemLogLevel;
  logGroup?: string;
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

/**
 * What a qualifier resolves to before an alias's weighted routing picks: the alias's primary
 * version and, with RoutingConfig, the additional version and its weight (its record undefined
 * when that version does not exist). The invocation path caches it (services/resolve-function.ts).
 */
export interface ResolutionPlan {
  primary: ResolvedFunction | undefined;
  additional?: { resolved: ResolvedFunction | undefined; weight: number };
}

/**
 * The function a plan runs: `'weighted'` takes the additional version when `random` (uniform in
 * [0, 1)) is below its weight, `'primary'` always the primary. Undefined when that version does not exist.
 */
export function pickResolution(plan: ResolutionPlan, routing: 'weighted' | 'primary', random: () => number): ResolvedFunction | undefined {
  const { additional } = plan;
  return additional && routing === 'weighted' && random() < additional.weight ? additional.resolved : plan.primary;
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

/** The members Put/UpdateFunctionEventInvokeConfig give; a destination of '' removes it. */
export interface EventInvokeConfigChanges {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
}

/**
 * The config a Put (`merge` false: replaces) or an Update (`merge` true: changes only the members
 * given) leaves, stamped `nowSeconds`.
 */
export function nextEventInvokeConfig(current: EventInvokeConfig | undefined, changes: EventInvokeConfigChanges, merge: boolean, nowSeconds: number): EventInvokeConfig {
  const base: Partial<EventInvokeConfig> = merge ? (current ?? {}) : {};
  const destination = (given: string | undefined, now: string | undefined) => (given === undefined ? now : given || undefined);
  return {
    maximumRetryAttempts: changes.maximumRetryAttempts ?? base.maximumRetryAttempts,
    maximumEventAgeInSeconds: changes.maximumEventAgeInSeconds ?? base.maximumEventAgeInSeconds,
    onSuccess: destination(changes.onSuccess, base.onSuccess),
    onFailure: destination(changes.onFailure, base.onFailure),
    lastModified: nowSeconds,
  };
}

/** A qualifier's runtime update mode; RuntimeVersionArn only with Manual, as Lambda answers it. */
export interface RuntimeManagement {
  updateRuntimeOn: 'Auto' | 'FunctionUpdate' | 'Manual';
  runtimeVersionArn?: string;
}

/** Lambda's LastModified format: `2026-11-26T19:11:20.562+0000`. */
export function lambdaTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}

/**
 * Whether SnapStart applies to `record`: a published version (never $LATEST) of ApplyOn
 * PublishedVersions, of a Node.js runtime (faasbox snapshots no MicroPython environment:
 * docs/PYTHON.md). Its OptimizationStatus is then On and its cold starts restore a snapshot.
 */
export function snapStartApplies(record: Pick<FunctionRecord, 'version' | 'snapStartApplyOn' | 'runtime'>): boolean {
  return record.version !== undefined && record.snapStartApplyOn === 'PublishedVersions' && !record.runtime.startsWith('python');
}
