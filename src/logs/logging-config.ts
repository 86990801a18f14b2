// A function's logging controls as the invocation path applies them: its log group, format and
// the two level thresholds, with Lambda's ranks of the levels (docs/LOGS.md, "Log format and levels").
import type { ApplicationLogLevel, FunctionRecord, LogFormat, SystemLogLevel } from '../records/function';

/** The group a function's lines go to: its LoggingConfig.LogGroup, else `/aws/lambda/<name>`. */
export function functionLogGroup(record: Pick<FunctionRecord, 'name' | 'loggingConfig'>): string {
  return record.loggingConfig?.logGroup ?? `/aws/lambda/${record.name}`;
}

/** What the invocation path needs of a function's LoggingConfig; with Text, nothing is filtered. */
export interface InvocationLogging {
  logFormat: LogFormat;
  applicationLogLevel: ApplicationLogLevel;
  systemLogLevel: SystemLogLevel;
}

export const TEXT_LOGGING: InvocationLogging = { logFormat: 'Text', applicationLogLevel: 'TRACE', systemLogLevel: 'DEBUG' };

export function invocationLogging(record: Pick<FunctionRecord, 'loggingConfig'>): InvocationLogging {
  const config = record.loggingConfig;
  if (config?.logFormat !== 'JSON') return TEXT_LOGGING;
  return { logFormat: 'JSON', applicationLogLevel: config.applicationLogLevel ?? 'INFO', systemLogLevel: config.systemLogLevel ?? 'INFO' };
}

/** Detail ranks, TRACE the most detailed: a record is written when its rank is at least the threshold's. */
const LEVEL_RANK: Record<ApplicationLogLevel, number> = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };

export function passesLevel(level: ApplicationLogLevel, threshold: ApplicationLogLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[threshold];
}

/**
 * The variables Lambda sets for the runtime: AWS_LAMBDA_LOG_FORMAT always, AWS_LAMBDA_LOG_LEVEL
 * (the application level) only with JSON.
 */
export function loggingVariables(logging: InvocationLogging): Record<string, string> {
  return logging.logFormat === 'JSON'
    ? { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: logging.applicationLogLevel }
    : { AWS_LAMBDA_LOG_FORMAT: 'Text' };
}
