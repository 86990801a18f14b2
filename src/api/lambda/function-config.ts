// Request schemas of the function configuration operations, checked once at the API boundary
// (zod, with Lambda's constraint wording; members faasbox does not know are refused, never
// dropped), and the FunctionConfiguration rendering.
import { z } from 'zod';
import { readConfig } from '../../config';
import { accountCipher, openEnvironment, SealError, undecryptableEnvironmentMessage } from '../../crypto/envelope';
import { invalidParameter, LambdaError } from '../../errors';
import { functionArn, type Caller } from '../../function-names';
import { snapStartApplies, type FunctionRecord, type LoggingSettings } from '../../records/function';
import { functionLogGroup } from '../../logs/logging-config';
import { SUPPORTED_RUNTIMES } from '../../../sandbox/contract';
import {
  DESCRIPTION_MAX_CHARS, ENVIRONMENT_MAX_BYTES, EPHEMERAL_STORAGE_MAX_MB, EPHEMERAL_STORAGE_MIN_MB, HANDLER_MAX_CHARS,
  MEMORY_MAX_MB, MEMORY_MIN_MB, TIMEOUT_MAX_SECONDS, TIMEOUT_MIN_SECONDS,
} from '../../limits';

const lengthAtMost = (n: number) => `Member must have length less than or equal to ${n}`;
const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
const ENV_KEY_PATTERN = '[a-zA-Z]([a-zA-Z0-9_])+';

const Handler = z.string()
  .max(HANDLER_MAX_CHARS, { error: lengthAtMost(HANDLER_MAX_CHARS) })
  .regex(/^[^\s]+$/, { error: 'Member must satisfy regular expression pattern: [^\\s]+' });
const Role = z.string().regex(new RegExp(`^${ROLE_PATTERN}$`), { error: `Member must satisfy regular expression pattern: ${ROLE_PATTERN}` });
const Description = z.string().max(DESCRIPTION_MAX_CHARS, { error: lengthAtMost(DESCRIPTION_MAX_CHARS) });
const Timeout = z.number().int({ error: 'Member must be an integer' })
  .min(TIMEOUT_MIN_SECONDS, { error: `Member must have value greater than or equal to ${TIMEOUT_MIN_SECONDS}` })
  .max(TIMEOUT_MAX_SECONDS, { error: `Member must have value less than or equal to ${TIMEOUT_MAX_SECONDS}` });
const MemorySize = z.number().int({ error: 'Member must be an integer' })
  .min(MEMORY_MIN_MB, { error: `Member must have value greater than or equal to ${MEMORY_MIN_MB}` })
  .max(MEMORY_MAX_MB, { error: `Member must have value less than or equal to ${MEMORY_MAX_MB}` });
/**
 * A request structure that refuses members it does not declare: parseRequest answers them with
 * InvalidParameterValueException, so nothing a client sent is dropped silently. Every request
 * structure of these operations, nested ones too, is one; a new member only needs declaring.
 */
export const requestStructure = <Shape extends z.ZodRawShape>(shape: Shape) => z.strictObject(shape);

/**
 * A member faasbox cannot honour: refused (InvalidParameterValueException, `Member is not
 * supported by faasbox: why`) whenever it carries anything; an empty value ([], {}, '') is taken
 * as the nothing it says.
 */
function unsupported(member: string, why: string) {
  return z.unknown().superRefine((value, ctx) => {
    if (!isEmptyValue(value)) ctx.addIssue({ code: 'custom', message: `${member} is not supported by faasbox: ${why}`, params: { refusal: 'unsupported' } });
  }).optional();
}

function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.values(value).every(isEmptyValue);
}

const ENV_KEY = new RegExp(`^${ENV_KEY_PATTERN}$`);
// One violation for the whole map, its value not quoted (Lambda's EnvironmentVariables are sensitive).
const Environment = requestStructure({
  Variables: z.record(z.string(), z.string({ error: 'Map values must be strings' })).superRefine((variables, ctx) => {
    if (Object.keys(variables).some((key) => !ENV_KEY.test(key))) {
      ctx.addIssue({ code: 'custom', message: `Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${ENV_KEY_PATTERN}]`, params: { sensitive: true } });
    }
  }).optional(),
});
const KMS_KEY_ARN_PATTERN = '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()';
/** Stored and shown as given; faasbox encrypts with its own key whatever it names (docs/SECURITY.md). */
const KMSKeyArn = z.string().regex(new RegExp(`^(?:${KMS_KEY_ARN_PATTERN})$`), { error: `Member must satisfy regular expression pattern: ${KMS_KEY_ARN_PATTERN}` });
const TracingConfig = requestStructure({ Mode: z.enum(['Active', 'PassThrough'], { error: 'Member must satisfy enum value set: [Active, PassThrough]' }).optional() });
const DeadLetterConfig = requestStructure({ TargetArn: z.string().optional() });
/** Lambda's Tags map (its rules: ./tags.ts, checkTags). */
export const TagMap = z.record(z.string(), z.string({ error: 'Map values must be strings' }));
const LOG_GROUP_PATTERN = '[\\.\\-_/#A-Za-z0-9]+';
const LoggingConfig = requestStructure({
  LogFormat: z.enum(['JSON', 'Text'], { error: 'Member must satisfy enum value set: [JSON, Text]' }).optional(),
  ApplicationLogLevel: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'], { error: 'Member must satisfy enum value set: [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]' }).optional(),
  SystemLogLevel: z.enum(['DEBUG', 'INFO', 'WARN'], { error: 'Member must satisfy enum value set: [DEBUG, INFO, WARN]' }).optional(),
  LogGroup: z.string()
    .min(1, { error: 'Member must have length greater than or equal to 1' })
    .max(512, { error: lengthAtMost(512) })
    .regex(new RegExp(`^${LOG_GROUP_PATTERN}$`), { error: `Member must satisfy regular expression pattern: ${LOG_GROUP_PATTERN}` })
    .optional(),
});
/** Layer version ARNs, in order; their pattern, count and existence are checked by resolveFunctionLayers (Lambda's wording). */
const Layers = z.array(z.string({ error: 'Member must not be null' }));
// S3Bucket/S3Key/S3ObjectVersion are read by storeCode (src/services/functions.ts) from the caller's S3; ImageUri is declared so that it refuses it by name.
const CodeMembers = {
  ZipFile: z.string().optional(),
  S3Bucket: z.string().optional(),
  S3Key: z.string().optional(),
  S3ObjectVersion: z.string().optional(),
  ImageUri: z.string().optional(),
  SourceKMSKeyArn: unsupported('SourceKMSKeyArn', 'it does not encrypt deployment packages with a key of yours (docs/SECURITY.md, "Not encrypted yet").'),
};
const Code = requestStructure(CodeMembers);

const ARCHITECTURES = ['x86_64', 'arm64'] as const;
/** Exactly one architecture, checked with Lambda's texts; stored and shown, not enforced (QuickJS runs the same everywhere). */
const Architectures = z.array(z.string()).superRefine((list, ctx) => {
  if (list.length > 1) ctx.addIssue({ code: 'custom', message: 'Member must have length less than or equal to 1' });
  else if (list.length === 0) ctx.addIssue({ code: 'custom', message: 'Member must have length greater than or equal to 1' });
  else if (!ARCHITECTURES.includes(list[0] as never)) {
    ctx.addIssue({ code: 'custom', message: `Member must satisfy constraint: [Member must satisfy enum value set: [${ARCHITECTURES.join(', ')}], Member must not be null]` });
  }
});
/** Stored and shown; faasbox does not give functions a /tmp to size. */
const EphemeralStorage = requestStructure({
  Size: z.number({ error: 'Member must not be null' }).int({ error: 'Member must be an integer' })
    .min(EPHEMERAL_STORAGE_MIN_MB, { error: `Member must have value greater than or equal to ${EPHEMERAL_STORAGE_MIN_MB}` })
    .max(EPHEMERAL_STORAGE_MAX_MB, { error: `Member must have value less than or equal to ${EPHEMERAL_STORAGE_MAX_MB}` }),
});
/** Applied to published versions (OptimizationStatus On for them): their cold starts restore a snapshot of their initialised environment. */
const SnapStart = requestStructure({
  ApplyOn: z.enum(['PublishedVersions', 'None'], { error: 'Member must satisfy enum value set: [PublishedVersions, None]' }).optional(),
});
/**
 * faasbox has no VPCs: an empty VpcConfig (what Terraform sends to detach one) is stored and shown
 * as Lambda shows a function without subnets; subnets or security groups are refused.
 */
const VpcConfig = requestStructure({
  SubnetIds: z.array(z.string()).max(16, { error: 'Member must have length less than or equal to 16' }).optional(),
  SecurityGroupIds: z.array(z.string()).max(5, { error: 'Member must have length less than or equal to 5' }).optional(),
  Ipv6AllowedForDualStack: z.boolean().optional(),
}).superRefine((vpc, ctx) => {
  if ((vpc.SubnetIds?.length ?? 0) > 0 || (vpc.SecurityGroupIds?.length ?? 0) > 0) {
    ctx.addIssue({
      code: 'custom',
      params: { refusal: 'unsupported' },
      message: 'VpcConfig with subnets or security groups is not supported by faasbox: it has no VPCs. What a function may reach is set by faasbox\'s egress rules (docs/SECURITY.md, "Egress from functions"); an empty VpcConfig (SubnetIds and SecurityGroupIds []) is accepted.',
    });
  }
});
const FileSystemConfigs = unsupported('FileSystemConfigs', 'it has no EFS file systems to mount.');
const ImageConfig = unsupported('ImageConfig', 'it runs Zip packages only, not container images.');
const CodeSigningConfigArn = unsupported('CodeSigningConfigArn', 'it does not verify code signatures.');
const CapacityProviderConfig = unsupported('CapacityProviderConfig', 'it has no capacity providers (Lambda Managed Instances).');
const PublishTo = unsupported('PublishTo', 'it has no capacity providers (Lambda Managed Instances) to publish to.');
const DurableConfig = unsupported('DurableConfig', 'it has no durable functions.');
const TenancyConfig = unsupported('TenancyConfig', 'it has no tenant isolation mode.');

export const CreateFunctionRequest = requestStructure({
  FunctionName: z.string({ error: 'Member must not be null' }),
  Runtime: z.string().optional(),
  Role: Role,
  Handler: Handler.optional(),
  Code: Code,
  Description: Description.optional(),
  Timeout: Timeout.optional(),
  MemorySize: MemorySize.optional(),
  Publish: z.boolean().optional(),
  PackageType: z.enum(['Zip', 'Image'], { error: 'Member must satisfy enum value set: [Zip, Image]' }).optional(),
  Environment: Environment.optional(),
  KMSKeyArn: KMSKeyArn.optional(),
  TracingConfig: TracingConfig.optional(),
  DeadLetterConfig: DeadLetterConfig.optional(),
  Architectures: Architectures.optional(),
  EphemeralStorage: EphemeralStorage.optional(),
  SnapStart: SnapStart.optional(),
  VpcConfig: VpcConfig.optional(),
  FileSystemConfigs,
  ImageConfig,
  CodeSigningConfigArn,
  CapacityProviderConfig,
  PublishTo,
  DurableConfig,
  TenancyConfig,
  Tags: TagMap.optional(),
  LoggingConfig: LoggingConfig.optional(),
  Layers: Layers.optional(),
});

export const UpdateFunctionConfigurationRequest = requestStructure({
  Role: Role.optional(),
  Handler: Handler.optional(),
  Description: Description.optional(),
  Timeout: Timeout.optional(),
  MemorySize: MemorySize.optional(),
  Environment: Environment.optional(),
  KMSKeyArn: KMSKeyArn.optional(),
  Runtime: z.string().optional(),
  TracingConfig: TracingConfig.optional(),
  DeadLetterConfig: DeadLetterConfig.optional(),
  LoggingConfig: LoggingConfig.optional(),
  Layers: Layers.optional(),
  RevisionId: z.string().optional(),
  EphemeralStorage: EphemeralStorage.optional(),
  SnapStart: SnapStart.optional(),
  VpcConfig: VpcConfig.optional(),
  FileSystemConfigs,
  ImageConfig,
  CapacityProviderConfig,
  DurableConfig,
});

export const UpdateFunctionCodeRequest = requestStructure({
  ...CodeMembers,
  Publish: z.boolean().optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
  Architectures: Architectures.optional(),
  PublishTo,
});

/**
 * Parses `body` with `schema`, or throws ValidationException listing every failed constraint in
 * AWS's words (`Value '0' at 'timeout' failed to satisfy constraint: ...`). When every constraint
 * holds, members faasbox does not know (requestStructure) or cannot honour (`unsupported`) are
 * refused with InvalidParameterValueException instead of being dropped.
 */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LambdaError(400, 'SerializationException', 'Request body must be a JSON object');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const refusals = parsed.error.issues.filter((issue) => issue.code === 'unrecognized_keys' || (issue.code === 'custom' && issue.params?.refusal === 'unsupported'));
  const issues = parsed.error.issues.filter((issue) => !refusals.includes(issue));
  if (issues.length === 0) throw invalidParameter(refusalMessage(refusals));
  const details = issues.map((issue) => {
    const member = issue.path.map((p) => (typeof p === 'string' ? p[0].toLowerCase() + p.slice(1) : String(p))).join('.');
    const value = issue.path.reduce<unknown>((v, p) => (v as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey], body);
    // A required member left out is null to Lambda, whatever its type.
    if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) return `Value null at '${member}' failed to satisfy constraint: Member must not be null`;
    if (issue.code === 'custom' && issue.params?.sensitive === true) return `Value at '${member}' failed to satisfy constraint: ${issue.message}`;
    return `Value '${constraintValue(value)}' at '${member}' failed to satisfy constraint: ${issue.message}`;
  });
  throw new LambdaError(400, 'ValidationException', `${issues.length} validation error${issues.length > 1 ? 's' : ''} detected: ${details.join('; ')}`);
}

/** A value as Lambda's constraint texts print it: a list of scalars as `[x86_64, arm64]`, other objects as JSON. */
function constraintValue(value: unknown): string {
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return `[${value.join(', ')}]`;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One message for the members refused: what faasbox cannot honour says why; unknown ones are named together. */
function refusalMessage(refusals: z.core.$ZodIssue[]): string {
  const unknown = refusals.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key].join('.')) : []));
  const reasons = refusals.filter((issue) => issue.code !== 'unrecognized_keys').map((issue) => issue.message);
  if (unknown.length > 0) {
    reasons.push(`${unknown.length > 1 ? 'The members' : 'The member'} ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not supported by faasbox: it does not know ${unknown.length > 1 ? 'them' : 'it'}, and refuses what it would otherwise ignore.`);
  }
  return reasons.join(' ');
}

/** Runtimes of Lambda's model that AWS no longer lets a function be created or updated with. */
const AWS_DEPRECATED_RUNTIMES = new Set([
  'nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'java8', 'python2.7',
  'python3.6', 'python3.7', 'python3.8', 'python3.9', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'go1.x', 'ruby2.5', 'ruby2.7', 'provided',
]);
/** The other runtimes of Lambda's model: AWS runs them, faasbox does not. */
const AWS_OTHER_RUNTIMES = new Set([
  'nodejs16.x', 'java8.al2', 'java11', 'java17', 'java21', 'java25', 'python3.10', 'python3.11', 'dotnet6', 'dotnet8', 'dotnet10', 'ruby3.2', 'ruby3.3', 'ruby3.4', 'ruby4.0', 'provided.al2', 'provided.al2023',
]);

/**
 * A runtime faasbox runs, or InvalidParameterValueException beginning as AWS's does: a runtime
 * AWS retired in its words, one it does not know as an enum violation (listing what faasbox
 * accepts), one AWS runs but faasbox does not with faasbox's reason.
 */
export function checkRuntime(runtime: string | undefined): asserts runtime is (typeof SUPPORTED_RUNTIMES)[number] {
  if (SUPPORTED_RUNTIMES.includes(runtime as never)) return;
  if (runtime !== undefined && AWS_DEPRECATED_RUNTIMES.has(runtime)) {
    throw invalidParameter(`The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`);
  }
  if (runtime !== undefined && !AWS_OTHER_RUNTIMES.has(runtime)) {
    throw invalidParameter(`Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${SUPPORTED_RUNTIMES.join(', ')}]`);
  }
  throw invalidParameter(
    `The runtime parameter of ${runtime ?? 'null'} is not supported. faasbox runs JavaScript on QuickJS and Python on MicroPython, and accepts: ${SUPPORTED_RUNTIMES.join(', ')}.`,
  );
}

/**
 * A request's LoggingConfig as stored: it replaces the function's whole setting, as in Lambda (a
 * missing LogFormat is Text, a missing LogGroup the default one); JSON's levels default to INFO.
 * Levels with Text are refused with Lambda's message. Undefined: Text to the default group.
 */
export function loggingSettings(config: z.infer<typeof LoggingConfig>, functionName: string): LoggingSettings | undefined {
  const logFormat = config.LogFormat ?? 'Text';
  if (logFormat === 'Text' && (config.ApplicationLogLevel !== undefined || config.SystemLogLevel !== undefined)) {
    throw invalidParameter('LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "JSON" and try again.');
  }
  const logGroup = config.LogGroup !== undefined && config.LogGroup !== `/aws/lambda/${functionName}` ? { logGroup: config.LogGroup } : {};
  if (logFormat === 'Text') return logGroup.logGroup === undefined ? undefined : { logFormat, ...logGroup };
  return { logFormat, applicationLogLevel: config.ApplicationLogLevel ?? 'INFO', systemLogLevel: config.SystemLogLevel ?? 'INFO', ...logGroup };
}

/** Lambda's LoggingConfig of a function: the levels only with JSON, the group always. */
function renderLoggingConfig(record: FunctionRecord) {
  const config = record.loggingConfig;
  const levels = config?.logFormat === 'JSON' ? { ApplicationLogLevel: config.applicationLogLevel ?? 'INFO', SystemLogLevel: config.systemLogLevel ?? 'INFO' } : {};
  return { LogFormat: config?.logFormat ?? 'Text', ...levels, LogGroup: functionLogGroup(record) };
}

const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

/**
 * Enforces Lambda's reserved names and 4 KB total on environment variables, and refuses them
 * when the platform has no key to encrypt them with (they are never stored in clear).
 */
export function checkEnvironment(env: Env, variables: Record<string, string>): void {
  const reserved = Object.keys(variables).filter((k) => RESERVED_VARIABLES.has(k));
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (new TextEncoder().encode(measured).byteLength > ENVIRONMENT_MAX_BYTES) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
  if (Object.keys(variables).length > 0 && readConfig(env).encryptionKey === undefined) {
    throw invalidParameter('Lambda was unable to configure access to your environment variables because faasbox has no encryption key configured (FAASBOX_ENCRYPTION_KEY), and it never stores them in clear.');
  }
}

/**
 * The members faasbox stores and shows without acting on them (README, "Function configuration
 * members"), as record fields: only those the request gives, so an update keeps the others.
 */
export function storedMembers(request: {
  Environment?: unknown;
  Architectures?: string[];
  EphemeralStorage?: { Size: number };
  SnapStart?: { ApplyOn?: 'PublishedVersions' | 'None' };
  VpcConfig?: { Ipv6AllowedForDualStack?: boolean };
}): Pick<FunctionRecord, 'environmentGiven' | 'architecture' | 'ephemeralStorageMb' | 'snapStartApplyOn' | 'vpcConfig'> {
  return {
    ...(request.Environment !== undefined && { environmentGiven: true as const }),
    ...(request.Architectures !== undefined && { architecture: request.Architectures[0] as (typeof ARCHITECTURES)[number] }),
    ...(request.EphemeralStorage !== undefined && { ephemeralStorageMb: request.EphemeralStorage.Size }),
    ...(request.SnapStart !== undefined && { snapStartApplyOn: request.SnapStart.ApplyOn ?? 'None' }),
    ...(request.VpcConfig !== undefined && { vpcConfig: { ipv6AllowedForDualStack: request.VpcConfig.Ipv6AllowedForDualStack ?? false } }),
  };
}

/**
 * Lambda's FunctionConfiguration for a stored record ($LATEST or a version snapshot). The ARN
 * carries `qualifier` as the caller named it (a version, an alias or `$LATEST`). The variables
 * are decrypted here, for the caller who may read them. `listed`: as ListFunctions and
 * ListVersionsByFunction show it, without the state fields and RuntimeVersionConfig (Lambda's
 * "subset of the FunctionConfiguration fields"). Members that were never set are absent, as in Lambda.
 */
export async function renderConfiguration(env: Env, record: FunctionRecord, caller: Caller, qualifier?: string, view: 'full' | 'listed' = 'full') {
  const full = view === 'full';
  return {
    FunctionName: record.name,
    FunctionArn: functionArn(caller, record.name, qualifier),
    Runtime: record.runtime,
    Role: record.role,
    Handler: record.handler,
    CodeSize: record.codeSize,
    Description: record.description,
    Timeout: record.timeoutSeconds,
    MemorySize: record.memorySizeMb,
    LastModified: record.lastModified,
    CodeSha256: record.codeSha256,
    Version: record.version ?? '$LATEST',
    ...(record.vpcConfig && {
      // Lambda derives VpcId from the subnets: with none it is empty.
      VpcConfig: { SubnetIds: [], SecurityGroupIds: [], VpcId: '', Ipv6AllowedForDualStack: record.vpcConfig.ipv6AllowedForDualStack },
    }),
    ...((record.sealedEnvironment !== undefined || record.environmentGiven) && { Environment: await renderEnvironment(env, record, caller) }),
    ...(record.kmsKeyArn ? { KMSKeyArn: record.kmsKeyArn } : {}),
    TracingConfig: { Mode: record.tracingMode },
    RevisionId: record.revisionId,
    ...(full && { State: 'Active', LastUpdateStatus: 'Successful' }),
    PackageType: 'Zip',
    Architectures: [record.architecture ?? 'x86_64'],
    EphemeralStorage: { Size: record.ephemeralStorageMb ?? EPHEMERAL_STORAGE_MIN_MB },
    LoggingConfig: renderLoggingConfig(record),
    ...(record.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: record.deadLetterTargetArn } } : {}),
    ...(record.layers?.length ? { Layers: record.layers.map((layer) => ({ Arn: layer.arn, CodeSize: layer.codeSize })) } : {}),
    // On for a published version of ApplyOn PublishedVersions: its cold starts restore a snapshot (docs/ARCHITECTURE.md, "Cold start").
    SnapStart: { ApplyOn: record.snapStartApplyOn ?? 'None', OptimizationStatus: snapStartApplies(record) ? 'On' : 'Off' },
    ...(full && { RuntimeVersionConfig: { RuntimeVersionArn: `arn:aws:lambda:${caller.region}::runtime:faasbox-quickjs` } }),
  };
}

/**
 * Lambda's EnvironmentResponse: the variables, or, as Lambda shows a KMS failure, an Error in
 * their place (the rest of the configuration still answers).
 */
async function renderEnvironment(env: Env, record: FunctionRecord, caller: Caller) {
  try {
    return { Variables: await openEnvironment(accountCipher(env, caller.accountId), record.name, record.sealedEnvironment) };
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    console.error(`environment variables of ${caller.accountId}/${record.name} not decrypted: ${error.message}`);
    return { Error: { ErrorCode: 'AccessDeniedException', Message: undecryptableEnvironmentMessage(error.reason) } };
  }
}

/**
 * Checks a dead-letter or destination ARN: a faasbox queue or topic of the caller's account, or
 * (for destinations only) one of its functions. EventBridge buses are not supported.
 */
export function checkTargetArn(arn: string, caller: Caller, kind: 'dead-letter' | 'destination'): void {
  const parts = arn.split(':');
  const sameAccount = parts[0] === 'arn' && parts[3] === caller.region && parts[4] === caller.accountId;
  const isQueueOrTopic = sameAccount && (parts[2] === 'sqs' || parts[2] === 'sns') && parts.length === 6 && parts[5].length > 0;
  const isFunction = sameAccount && parts[2] === 'lambda' && parts[5] === 'function' && (parts.length === 7 || parts.length === 8);
  if (isQueueOrTopic || (kind === 'destination' && isFunction)) return;
  throw invalidParameter(
    kind === 'dead-letter'
      ? `The provided target ARN ${arn} is not supported: faasbox dead-letter targets are queues or topics of your account (arn:aws:sqs:${caller.region}:${caller.accountId}:<queue>, arn:aws:sns:${caller.region}:${caller.accountId}:<topic>).`
      : `The destination ARN ${arn} is not supported: faasbox destinations are queues (arn:aws:sqs:...), topics (arn:aws:sns:...) or functions (arn:aws:lambda:...:function:...) of your account.`,
  );
}
