// What each IAM and STS operation asks IAM (AWS's "Actions, resources, and condition keys for
// IAM"): iam:<Operation> on the role, user or policy it names; the `access` of the IAM and STS
// Query services (src/api/iam.ts, src/api/sts.ts).
import type { AuthenticatedCaller } from '../auth/authenticate';
import type { JsonInput } from '../protocols/aws-json';
import type { ServiceAccess } from '../protocols/operation-access';
import { IamQueryError } from '../iam/query-errors';

const text = (input: JsonInput, name: string): string | undefined => (typeof input[name] === 'string' ? input[name] : undefined);

/**
 * The entity an IAM request names: its role (`RoleName`), user (`UserName`; a user acting on its
 * own keys or itself names none, and then it is the caller), or policy (`PolicyArn`, or
 * CreatePolicy's name and path); `*` for listings.
 */
function iamResource({ caller }: { caller: AuthenticatedCaller }, input: JsonInput, operation: string): string {
  const account = `arn:aws:iam::${caller.accountId}`;
  const path = text(input, 'Path') ?? '/';
  const role = text(input, 'RoleName');
  if (role !== undefined) return `${account}:role${operation === 'CreateRole' ? path : '/'}${role}`;
  const user = text(input, 'UserName');
  if (user !== undefined) return `${account}:user${operation === 'CreateUser' ? path : '/'}${user}`;
  const policyArn = text(input, 'PolicyArn') ?? text(input, 'PolicySourceArn');
  if (policyArn !== undefined) return policyArn;
  if (operation === 'CreatePolicy') return `${account}:policy${path}${text(input, 'PolicyName') ?? ''}`;
  if (/^(Create|Delete|Update|List)AccessKeys?$|^GetUser$/.test(operation) && caller.principal.kind === 'user') return caller.principal.arn;
  return '*';
}

/** IAM's iam:<Op>, refused as IAM's `<Error><Code>AccessDenied</Code>`. */
export const IAM_ACCESS: ServiceAccess<{ caller: AuthenticatedCaller }, JsonInput> = {
  prefix: 'iam',
  resources: {},
  defaultResource: iamResource,
  denied: (message) => new IamQueryError('AccessDenied', message),
};

/**
 * STS: GetCallerIdentity needs no permission, as in AWS; AssumeRole is decided by the operation
 * itself, which evaluates the caller's identity policies together with the role's trust policy
 * (src/services/iam/assume-role.ts).
 */
export const STS_ACCESS: ServiceAccess<unknown, JsonInput> = {
  prefix: 'sts',
  resources: {},
  unrestricted: ['GetCallerIdentity', 'AssumeRole'],
  denied: (message) => new IamQueryError('AccessDenied', message),
};
