// SQS errors: the codes QueueStore returns as values, and the one error class that renders them
// in the JSON protocol's shape (awsQueryCompatible) or, for Query-protocol clients, as XML.
import { AwsJsonError } from '../errors';

/** Every error the queue API can answer with; QueueStore results carry the same names. */
export type SqsErrorCode =
  | 'QueueDoesNotExist'
  | 'QueueNameExists'
  | 'InvalidAddress'
  | 'InvalidAttributeName'
  | 'InvalidAttributeValue'
  | 'InvalidMessageContents'
  | 'InvalidParameterValue'
  | 'MissingParameter'
  | 'ReceiptHandleIsInvalid'
  | 'UnsupportedOperation'
  | 'UnknownOperation'
  | 'SerializationException'
  | 'RequestThrottled'
  /** A message faasbox cannot encrypt or decrypt (docs/SECURITY.md), as SQS answers an SSE-KMS failure. */
  | 'KmsAccessDenied'
  /** An action past a limit (SQS's in-flight and permission limits; a playground sandbox's queue quotas). */
  | 'OverLimit';

/** A QueueStore failure: an error code and the message a client sees. */
export interface QueueFailure {
  ok: false;
  error: SqsErrorCode;
  message: string;
}

/** The code Query-protocol clients (and the JSON SDKs, through `x-amzn-query-error`) match on. */
const QUERY_CODES: Partial<Record<SqsErrorCode, string>> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueNameExists: 'QueueAlreadyExists',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
  KmsAccessDenied: 'KMS.AccessDeniedException',
};

/** Codes whose HTTP status is not 400: RequestThrottled and OverLimit are 403 in SQS's model (their awsQueryError). */
const STATUSES: Partial<Record<SqsErrorCode, number>> = { RequestThrottled: 403, OverLimit: 403 };

/**
 * An SQS API error. On the JSON protocol: HTTP 400 (or its STATUSES entry), `x-amzn-ErrorType`,
 * `x-amzn-query-error: <query code>;Sender` and `{"__type": "com.amazonaws.sqs#<code>", "message"}`;
 * Query-protocol clients get `queryCode` in `<ErrorResponse>` (src/protocols/aws-query.ts).
 * @example throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.')
 */
export class SqsError extends AwsJsonError {
  declare readonly code: SqsErrorCode;

  constructor(code: SqsErrorCode, message: string) {
    super(code, message, {
      contentType: 'application/x-amz-json-1.0',
      typePrefix: 'com.amazonaws.sqs#',
      status: STATUSES[code] ?? 400,
      headers: { 'x-amzn-query-error': `${QUERY_CODES[code] ?? code};Sender` },
    });
  }

  /** The code as the Query protocol names it (`AWS.SimpleQueueService.NonExistentQueue`...). */
  get queryCode(): string {
    return QUERY_CODES[this.code] ?? this.code;
  }
}

/** Turns a QueueStore failure into the error the API throws. */
export function sqsError(failure: QueueFailure): SqsError {
  return new SqsError(failure.error, failure.message);
}

export const queueDoesNotExist = () => new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');


/** SQS's answer to a caller over its rate limit. */
export const requestThrottled = () => new SqsError('RequestThrottled', 'Rate exceeded');
