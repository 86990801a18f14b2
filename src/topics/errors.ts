// SNS's errors on the Query protocol: its codes, their HTTP statuses and messages, rendered as
// `<ErrorResponse>` in SNS's namespace by src/protocols/aws-query.ts. A leaf.
import { AwsError } from '../errors';

/** SNS's error codes (botocore's model) and the status each answers with. */
const STATUS = {
  InvalidParameter: 400,
  InvalidParameterValue: 400,
  NotFound: 404,
  AuthorizationError: 403,
  TopicLimitExceeded: 403,
  SubscriptionLimitExceeded: 403,
  TagLimitExceeded: 400,
  Throttled: 429,
  InvalidAction: 400,
  EmptyBatchRequest: 400,
  TooManyEntriesInBatchRequest: 400,
  BatchEntryIdsNotDistinct: 400,
  BatchRequestTooLong: 400,
  InvalidBatchEntryId: 400,
  ResourceNotFound: 404,
} as const;

export type SnsErrorCode = keyof typeof STATUS;

/** @example throw new SnsError('NotFound', 'Topic does not exist') */
export class SnsError extends AwsError {
  declare readonly code: SnsErrorCode;

  constructor(code: SnsErrorCode, message: string) {
    super(STATUS[code], code, message);
  }
}

/** SNS's InvalidParameter, whose message always starts `Invalid parameter: `. */
export const invalidSnsParameter = (detail: string) => new SnsError('InvalidParameter', `Invalid parameter: ${detail}`);
export const topicNotFound = () => new SnsError('NotFound', 'Topic does not exist');
export const subscriptionNotFound = () => new SnsError('NotFound', 'Subscription does not exist');
