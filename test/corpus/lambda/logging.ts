// LoggingConfig as Lambda answers it: levels only with JSON (INFO unless given), the log group
// always, a LoggingConfig replacing the whole setting, levels with Text refused with Lambda's
// InvalidParameterValueException, and malformed members with its ValidationException.
import type { CorpusCase } from '../../e2e/support/aws-corpus';
import { bytesOf } from '../../e2e/support/aws-corpus';
import { zipOf } from '../../e2e/support/bundles';

const CODE = { ZipFile: bytesOf(zipOf({ 'index.js': 'exports.handler = async () => "ok";' })) };
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
const FUNCTION = { Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: CODE };
const LEVELS_WITH_TEXT = 'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "JSON" and try again.';

export const cases: CorpusCase[] = [
  {
    name: 'CreateFunction with LoggingConfig JSON answers both levels, the one not given at INFO, and the default group',
    operation: 'CreateFunction',
    input: { FunctionName: 'logging-fn-{{run}}', ...FUNCTION, LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } },
    expect: {
      status: 201,
      body: { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO', LogGroup: '/aws/lambda/logging-fn-{{run}}' } },
    },
  },
  {
    name: 'GetFunctionConfiguration answers the stored LoggingConfig',
    operation: 'GetFunctionConfiguration',
    input: { FunctionName: 'logging-fn-{{run}}' },
    expect: { status: 200, body: { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO', LogGroup: '/aws/lambda/logging-fn-{{run}}' } } },
  },
  {
    name: 'UpdateFunctionConfiguration with levels and no LogFormat is refused: a LoggingConfig without LogFormat is Text',
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'logging-fn-{{run}}', LoggingConfig: { ApplicationLogLevel: 'ERROR', SystemLogLevel: 'WARN' } },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: LEVELS_WITH_TEXT } },
  },
  {
    name: 'UpdateFunctionConfiguration to Text with a custom log group answers no levels',
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'logging-fn-{{run}}', LoggingConfig: { LogFormat: 'Text', LogGroup: '/custom/logging-{{run}}' } },
    expect: { status: 200, body: { LoggingConfig: { LogFormat: 'Text', LogGroup: '/custom/logging-{{run}}' } } },
  },
  {
    name: 'UpdateFunctionConfiguration with an unknown LogFormat',
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'logging-fn-{{run}}', LoggingConfig: { LogFormat: 'Yaml' } },
    expect: {
      status: 400,
      error: { code: 'ValidationException', message: "1 validation error detected: Value 'Yaml' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, Text]" },
    },
  },
  {
    name: 'UpdateFunctionConfiguration with a log group name outside its pattern',
    operation: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'logging-fn-{{run}}', LoggingConfig: { LogFormat: 'JSON', LogGroup: 'my logs' } },
    expect: {
      status: 400,
      error: { code: 'ValidationException', message: "1 validation error detected: Value 'my logs' at 'loggingConfig.logGroup' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+" },
    },
  },
  {
    name: 'CreateFunction with a level and LogFormat Text is refused',
    operation: 'CreateFunction',
    input: { FunctionName: 'logging-text-{{run}}', ...FUNCTION, LoggingConfig: { LogFormat: 'Text', SystemLogLevel: 'DEBUG' } },
    expect: { status: 400, error: { code: 'InvalidParameterValueException', message: LEVELS_WITH_TEXT } },
  },
  { name: 'DeleteFunction', operation: 'DeleteFunction', input: { FunctionName: 'logging-fn-{{run}}' }, expect: { status: 204, fields: [] } },
];
