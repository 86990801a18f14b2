// What FAASBOX_UNKNOWN_ROLES gives a role that does not exist in its account (docs/IAM.md,
// "Unknown roles"): no policy (refuse), AWSLambdaBasicExecutionRole's document, or one allowing
// everything (identity policies never reach another account: that needs its resource policy).
// One answer for the platform's work for a function and for the calls its own credentials make.
import { AWS_MANAGED_POLICIES } from './managed-policies';
import { parsePolicyDocument, type NamedPolicy } from './policy-document';
import type { UnknownRoles } from '../config';

const BASIC_EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

const ALLOW_ALL: NamedPolicy = {
  name: 'FAASBOX_UNKNOWN_ROLES=allow-all',
  document: { version: '2012-10-17', statements: [{ effect: 'Allow', action: ['*'], resource: ['*'] }] },
};

let basicExecution: NamedPolicy | undefined;

/** The identity policies of a role that does not exist, under `setting`; undefined: it has none and may do nothing. */
export function unknownRolePolicies(setting: UnknownRoles): NamedPolicy[] | undefined {
  if (setting === 'allow-all') return [ALLOW_ALL];
  if (setting === 'refuse') return undefined;
  if (!basicExecution) {
    const managed = AWS_MANAGED_POLICIES.get(BASIC_EXECUTION_POLICY_ARN);
    if (!managed) throw new Error(`${BASIC_EXECUTION_POLICY_ARN} is not among the AWS managed policies`);
    basicExecution = { name: managed.policyName, arn: managed.arn, document: parsePolicyDocument(managed.document, 'identity') };
  }
  return [basicExecution];
}
