// Request schemas of the function configuration operations, checked once at the API boundary
// (zod, with Lambda's constraint wording), and the FunctionConfiguration rendering.
import { z } from 'zod';
import { readConfig } from '../../config';
import { accountCipher, openEnvironment, SealError, undecryptableEnvironmentMessage } from '../../crypto/envelope';
import { invalidParameter, LambdaError } from '../../errors';
import { functionArn, type Caller } from '../../function-names';
import type { FunctionRecord, LoggingSettings } from '../../records/function';
import { functionLogGroup } from '../../logs/logging-config';
import { SUPPORTED_RUNTIMES } from '../../../sandbox/contract';
import {
  DESCRIPTION_MAX_CHARS, ENVIRONMENT_MAX_BYTES, HANDLER_MAX_CHARS, MEMORY_MAX_MB, MEMORY_MIN_MB,
  TIMEOUT_MAX_SECONDS, TIMEOUT_MIN_SECONDS,
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
const Environment = z.object({
  Variables: z.record(
    z.string().regex(new RegExp(`^${ENV_KEY_PATTERN}$`), { error: `Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${ENV_KEY_PATTERN}]` }),
    z.string({ error: 'Map values must be strings' }),
  ).optional(),
});
const KMS_KEY_ARN_PATTERN = '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()';
/** Stored and shown as given; faasbox encrypts with its own key whatever it names (docs/SECURITY.md). */
const KMSKeyArn = z.string().regex(new RegExp(`^(?:${KMS_KEY_ARN_PATTERN})$`), { error: `Member must satisfy regular expression pattern: ${KMS_KEY_ARN_PATTERN}` });
const TracingConfig = z.object({ Mode: z.enum(['Active', 'PassThrough'], { error: 'Member must satisfy enum value set: [Active, PassThrough]' }).optional() });
const DeadLetterConfig = z.object({ TargetArn: z.string().optional() });
/** Lambda's Tags map (its rules: ./tags.ts, checkTags). */
export const TagMap = z.record(z.string(), z.string({ error: 'Map values must be strings' }));
const LOG_GROUP_PATTERN = '[\\.\\-_/#A-Za-z0-9]+';
const LoggingConfig = z.object({
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
const Code = z.object({
  ZipFile: z.string().optional(),
  S3Bucket: z.string().optional(),
  S3Key: z.string().optional(),
  ImageUri: z.string().optional(),
});

export const CreateFunctionRequest = z.object({
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
  Tags: TagMap.optional(),
  LoggingConfig: LoggingConfig.optional(),
  Layers: Layers.optional(),
});

export const UpdateFunctionConfigurationRequest = z.object({
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
});

export const UpdateFunctionCodeRequest = Code.extend({
  Publish: z.boolean().optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
});

/**
 * Parses `body` with `schema`, or throws ValidationException listing every failed constraint in
 * AWS's words (`Value '0' at 'timeout' failed to satisfy constraint: ...`).
 */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LambdaError(400, 'SerializationException', 'Request body must be a JSON object');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const details = issues.map((issue) => {
    const member = issue.path.map((p) => (typeof p === 'string' ? p[0].toLowerCase() + p.slice(1) : String(p))).join('.');
    const value = issue.path.reduce<unknown>((v, p) => (v as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey], body);
    return `Value '${typeof value === 'object' ? JSON.stringify(value) : String(value)}' at '${member}' failed to satisfy constraint: ${issue.message}`;
  });
  throw new LambdaError(400, 'ValidationException', `${issues.length} validation error${issues.length > 1 ? 's' : ''} detected: ${details.join('; ')}`);
}

/** Runtimes of Lambda's model that AWS no longer lets a function be created or updated with. */
const AWS_DEPRECATED_RUNTIMES = new Set([
  'nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'java8', 'python2.7',
  'python3.6', 'python3.7', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'go1.x', 'ruby2.5', 'ruby2.7', 'provided',
]);
/** The other runtimes of Lambda's model: AWS runs them, faasbox does not. */
const AWS_OTHER_RUNTIMES = new Set([
  'nodejs16.x', 'java8.al2', 'java11', 'java17', 'java21', 'java25', 'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12',
  'python3.13', 'python3.14', 'dotnet6', 'dotnet8', 'dotnet10', 'ruby3.2', 'ruby3.3', 'ruby3.4', 'ruby4.0', 'provided.al2', 'provided.al2023',
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
    `The runtime parameter of ${runtime ?? 'null'} is not supported. faasbox runs JavaScript on QuickJS and accepts: ${SUPPORTED_RUNTIMES.join(', ')}.`,
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
 * Lambda's FunctionConfiguration for a stored record ($LATEST or a version snapshot). The ARN
 * carries `qualifier` as the caller named it (a version, an alias or `$LATEST`). The variables
 * are decrypted here, for the caller who may read them.
 */
export async function renderConfiguration(env: Env, record: FunctionRecord, caller: Caller, qualifier?: string) {
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
    Environment: await renderEnvironment(env, record, caller),
    ...(record.kmsKeyArn ? { KMSKeyArn: record.kmsKeyArn } : {}),
    TracingConfig: { Mode: record.tracingMode },
    RevisionId: record.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: renderLoggingConfig(record),
    ...(record.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: record.deadLetterTargetArn } } : {}),
    ...(record.layers?.length ? { Layers: record.layers.map((layer) => ({ Arn: layer.arn, CodeSize: layer.codeSize })) } : {}),
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: { RuntimeVersionArn: `arn:aws:lambda:${caller.region}::runtime:faasbox-quickjs` },
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
 * Checks a dead-letter or destination ARN: a faasbox queue of the caller's account, or (for
 * destinations only) one of its functions. SNS topics and EventBridge buses are not supported.
 */
export function checkTargetArn(arn: string, caller: Caller, kind: 'dead-letter' | 'destination'): void {
  const parts = arn.split(':');
  const sameAccount = parts[0] === 'arn' && parts[3] === caller.region && parts[4] === caller.accountId;
  const isQueue = sameAccount && parts[2] === 'sqs' && parts.length === 6 && parts[5].length > 0;
  const isFunction = sameAccount && parts[2] === 'lambda' && parts[5] === 'function' && (parts.length === 7 || parts.length === 8);
  if (isQueue || (kind === 'destination' && isFunction)) return;
  throw invalidParameter(
    kind === 'dead-letter'
      ? `The provided target ARN ${arn} is not supported: faasbox dead-letter targets are queues of your account (arn:aws:sqs:${caller.region}:${caller.accountId}:<queue>).`
      : `The destination ARN ${arn} is not supported: faasbox destinations are queues (arn:aws:sqs:...) or functions (arn:aws:lambda:...:function:...) of your account.`,
  );
}
