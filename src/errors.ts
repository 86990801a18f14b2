// API request errors in AWS's shapes. Thrown anywhere in the request path; rendered once, by
// app.onError (src/app.ts). Invocation outcomes are values, never these.

/** Which field carries the message: Lambda uses `Message` for some exceptions, `message` for most. */
type MessageField = 'message' | 'Message';

/**
 * An error a client sees in AWS's restJson1 shape: the `x-amzn-ErrorType` header, a `Type` and a
 * message field in the body, and optional extra fields (e.g. `Reason` for throttles).
 * @example throw new LambdaError(404, 'ResourceNotFoundException', 'Function not found: arn:...', { messageField: 'Message' })
 */
export class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly options: {
      messageField?: MessageField;
      errorKind?: 'User' | 'Service';
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    const body: Record<string, unknown> = {
      ...this.options.extra,
      Type: this.options.errorKind ?? (this.status >= 500 ? 'Service' : 'User'),
      [this.options.messageField ?? 'message']: this.message,
    };
    return new Response(JSON.stringify(body), {
      status: this.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-ErrorType': this.errorType,
        ...this.options.headers,
      },
    });
  }
}

export const invalidParameter = (message: string) =>
  new LambdaError(400, 'InvalidParameterValueException', message);

/** One constraint failure in AWS's ValidationException wording. */
export const validationError = (value: string, member: string, constraint: string) =>
  new LambdaError(
    400,
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );

export const functionNotFound = (arn: string) =>
  new LambdaError(404, 'ResourceNotFoundException', `Function not found: ${arn}`, { messageField: 'Message' });

export const resourceConflict = (message: string) =>
  new LambdaError(409, 'ResourceConflictException', message);

export const preconditionFailed = (message: string) =>
  new LambdaError(412, 'PreconditionFailedException', message);

export const accessDenied = (message: string) =>
  new LambdaError(403, 'AccessDeniedException', message, { messageField: 'Message' });

/**
 * An error of a service on AWS's JSON protocols (CloudWatch Logs, SQS, EventBridge...): the
 * `x-amzn-ErrorType` header and `{"__type": <prefix><code>, "message"}` in the service's content
 * type, HTTP 400 unless given.
 * @example throw new AwsJsonError('ResourceNotFoundException', 'The specified log group does not exist.', { contentType: 'application/x-amz-json-1.1' })
 */
export class AwsJsonError extends LambdaError {
  constructor(
    readonly code: string,
    message: string,
    readonly protocol: { contentType: string; typePrefix?: string; status?: number; headers?: Record<string, string> },
  ) {
    super(protocol.status ?? 400, code, message);
  }

  override toResponse(): Response {
    return new Response(JSON.stringify({ __type: `${this.protocol.typePrefix ?? ''}${this.code}`, message: this.message }), {
      status: this.status,
      headers: { 'content-type': this.protocol.contentType, 'x-amzn-ErrorType': this.code, ...this.protocol.headers },
    });
  }
}
