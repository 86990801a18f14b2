// API request errors. One root, AwsError (an HTTP status, AWS's error code, a message); each
// protocol's errors are a subclass carrying what that protocol renders. Thrown anywhere in the
// request path and rendered once, by the protocol layer (src/protocols/render-error.ts from
// app.onError). Invocation outcomes are values, never these.

/**
 * An error a client of any faasbox API sees: `status`, AWS's error `code` (x-amzn-ErrorType) and
 * `message`, plus response `headers`. Throw one of the protocol subclasses below.
 */
export abstract class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Which field carries the message: Lambda uses `Message` for some exceptions, `message` for most. */
type MessageField = 'message' | 'Message';

/**
 * An error of a restJson1 service (Lambda, X-Ray, faasbox's own API): the `x-amzn-ErrorType`
 * header and a JSON body with the message field and `fields`.
 */
export class RestJsonError extends AwsError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly messageField: MessageField = 'message',
    readonly fields: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(status, code, message, headers);
  }
}

/**
 * Lambda's error shape: restJson1 with `Type` (User or Service) and optional extra fields (e.g.
 * `Reason` for throttles).
 * @example throw new LambdaError(404, 'ResourceNotFoundException', 'Function not found: arn:...', { messageField: 'Message' })
 */
export class LambdaError extends RestJsonError {
  constructor(
    status: number,
    errorType: string,
    message: string,
    options: {
      messageField?: MessageField;
      errorKind?: 'User' | 'Service';
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(status, errorType, message, options.messageField ?? 'message', {
      ...options.extra,
      Type: options.errorKind ?? (status >= 500 ? 'Service' : 'User'),
    }, options.headers);
  }
}

/**
 * An error of a service on AWS's JSON protocols (CloudWatch Logs, SQS, EventBridge...): the
 * `x-amzn-ErrorType` header and `{"__type": <typePrefix><code>, "message"}` in the service's
 * content type, HTTP 400 unless given.
 * @example throw new AwsJsonError('ResourceNotFoundException', 'The specified log group does not exist.', { contentType: 'application/x-amz-json-1.1' })
 */
export class AwsJsonError extends AwsError {
  readonly contentType: string;
  readonly typePrefix: string;

  constructor(
    code: string,
    message: string,
    protocol: { contentType: string; typePrefix?: string; status?: number; headers?: Record<string, string> },
  ) {
    super(protocol.status ?? 400, code, message, protocol.headers);
    this.contentType = protocol.contentType;
    this.typePrefix = protocol.typePrefix ?? '';
  }
}

export const invalidParameter = (message: string) =>
  new LambdaError(400, 'InvalidParameterValueException', message);

/** One constraint failure in AWS's ValidationException wording. */
export const validationError = (value: string, member: string, constraint: string) =>
  validationErrors([`Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`]);

/** Every constraint failure of a request, counted as AWS counts them ("2 validation errors detected: ...; ..."). */
export const validationErrors = (violations: string[]) =>
  new LambdaError(
    400,
    'ValidationException',
    `${violations.length} validation error${violations.length > 1 ? 's' : ''} detected: ${violations.join('; ')}`,
  );

/** Lambda's 404 ResourceNotFoundException (`Message`, capital M), in the words of the operation that answers it. */
export const resourceNotFound = (message: string) =>
  new LambdaError(404, 'ResourceNotFoundException', message, { messageField: 'Message' });

export const functionNotFound = (arn: string) => resourceNotFound(`Function not found: ${arn}`);

/** What most operations on a missing alias answer (UpdateAlias says "Alias not found: <arn>"). */
export const aliasNotFound = (aliasArn: string) => resourceNotFound(`Cannot find alias arn: ${aliasArn}`);

/** AWS's answer for a resource some operations do not name (GetPolicy, a function URL config, ...). */
export const RESOURCE_DOES_NOT_EXIST = 'The resource you requested does not exist.';

export const resourceConflict = (message: string) =>
  new LambdaError(409, 'ResourceConflictException', message);

export const preconditionFailed = (message: string) =>
  new LambdaError(412, 'PreconditionFailedException', message);

export const accessDenied = (message: string) =>
  new LambdaError(403, 'AccessDeniedException', message, { messageField: 'Message' });
