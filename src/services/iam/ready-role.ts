// The ready execution role `lambda-basic-execution` (docs/IAM.md): trusts lambda.amazonaws.com,
// AWSLambdaBasicExecutionRole attached. `npm start` makes it in the local admin account through
// the IAM API (scripts/ready-role.mjs); a playground sandbox gets it here when it is created, so
// the console's blueprints (which name it) work under FAASBOX_UNKNOWN_ROLES=refuse.
import { iamStore } from '../../bindings';

export const READY_ROLE_NAME = 'lambda-basic-execution';
const BASIC_EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const TRUST_LAMBDA = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** Creates the ready role in `accountId` unless one of that name exists. Throws if IAM refuses otherwise. */
export async function createReadyRole(env: Env, accountId: string): Promise<void> {
  const store = iamStore(env, accountId);
  const created = await store.createRole(accountId, {
    roleName: READY_ROLE_NAME, path: '/', assumeRolePolicyDocument: TRUST_LAMBDA,
    description: 'Ready execution role: writes its logs to CloudWatch Logs',
  });
  if (!created.ok) {
    if (created.error === 'EntityAlreadyExists') return;
    throw new Error(`the ready role was refused: ${created.error} ${created.message}`);
  }
  const attached = await store.attachPolicy({ kind: 'role', name: READY_ROLE_NAME }, BASIC_EXECUTION_POLICY_ARN);
  if (!attached.ok) throw new Error(`AWSLambdaBasicExecutionRole was not attached to the ready role: ${attached.error} ${attached.message}`);
}
