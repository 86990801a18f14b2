// IAM's and STS's errors on the Query protocol: AWS's code, its HTTP status and message, rendered
// as `<ErrorResponse>` by src/protocols/aws-query.ts in each service's namespace. A leaf.
import { AwsError } from '../errors';

/** IAM's and STS's error codes and the HTTP status each answers with. */
const STATUS = {
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
  MalformedPolicyDocument: 400,
  InvalidInput: 400,
  ValidationError: 400,
  AccessDenied: 403,
  InvalidAction: 400,
  Throttling: 400,
  RegionDisabledException: 403,
} as const;

export type IamQueryErrorCode = keyof typeof STATUS;

/** @example throw new IamQueryError('NoSuchEntity', 'The role with name r cannot be found.') */
export class IamQueryError extends AwsError {
  declare readonly code: IamQueryErrorCode;

  constructor(code: IamQueryErrorCode, message: string) {
    super(STATUS[code], code, message);
  }
}

/** AWS's wording of one failed constraint of member `member` (`roleName`, `maxItems`). */
export const iamValidation = (value: string | undefined, member: string, constraint: string) =>
  new IamQueryError('ValidationError', `1 validation error detected: Value ${value === undefined ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`);
