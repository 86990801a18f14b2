// CloudWatch's errors, in the JSON 1.0 protocol's shape (awsQueryCompatible, as the current SDKs
// read them) and with the code Query-protocol clients (the AWS CLI before 2.13, boto3 before
// 1.31) match on, rendered as `<ErrorResponse>` by src/protocols/aws-query.ts.
import { AwsJsonError } from '../errors';

/** Every error the CloudWatch API answers with, by its JSON-protocol name. */
export type CloudWatchErrorCode =
  | 'InvalidParameterValueException'
  | 'InvalidParameterCombinationException'
  | 'MissingRequiredParameterException'
  | 'InvalidNextToken'
  /** GetMetricData's own validation errors (Query code ValidationError). */
  | 'ValidationException'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'ThrottlingException';

/** The code of each error on the Query protocol (the model's awsQueryError names). */
const QUERY_CODES: Record<CloudWatchErrorCode, string> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  MissingRequiredParameterException: 'MissingParameter',
  InvalidNextToken: 'InvalidNextToken',
  ValidationException: 'ValidationError',
  UnknownOperationException: 'InvalidAction',
  SerializationException: 'SerializationException',
  ThrottlingException: 'Throttling',
};

export const CLOUDWATCH_CONTENT_TYPE = 'application/x-amz-json-1.0';

/**
 * A CloudWatch API error: HTTP 400, `x-amzn-ErrorType`, `x-amzn-query-error: <query code>;Sender`
 * and `{"__type": "com.amazonaws.cloudwatch#<code>", "message"}`; `queryCode` for `<ErrorResponse>`.
 * @example throw new CloudWatchError('MissingRequiredParameterException', 'The parameter Period is required.')
 */
export class CloudWatchError extends AwsJsonError {
  declare readonly code: CloudWatchErrorCode;

  constructor(code: CloudWatchErrorCode, message: string) {
    super(code, message, {
      contentType: CLOUDWATCH_CONTENT_TYPE,
      typePrefix: 'com.amazonaws.cloudwatch#',
      headers: { 'x-amzn-query-error': `${QUERY_CODES[code]};Sender` },
    });
  }

  get queryCode(): string {
    return QUERY_CODES[this.code];
  }
}

export const invalidValue = (message: string) => new CloudWatchError('InvalidParameterValueException', message);
export const invalidCombination = (message: string) => new CloudWatchError('InvalidParameterCombinationException', message);
export const missingParameter = (name: string) => new CloudWatchError('MissingRequiredParameterException', `The parameter ${name} is required.`);
export const validationFailed = (message: string) => new CloudWatchError('ValidationException', message);
export const invalidNextToken = () => new CloudWatchError('InvalidNextToken', 'The NextToken is not valid.');
export const cloudWatchThrottled = () => new CloudWatchError('ThrottlingException', 'Rate exceeded');
