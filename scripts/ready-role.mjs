// The ready execution role `npm start` offers: `lambda-basic-execution` in the local admin account,
// trusting lambda.amazonaws.com, with AWSLambdaBasicExecutionRole attached, created through the
// IAM API (signed for `iam`) once; a role of that name that already exists is kept as it is.
import { AwsClient } from 'aws4fetch';

export const READY_ROLE_NAME = 'lambda-basic-execution';
const BASIC_EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** An IAM Query call: `{ status, code, text }` (code: IAM's error code, '' on success). */
async function iam(client, endpoint, action, params) {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
  const response = await client.fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
  const text = await response.text();
  return { status: response.status, code: response.ok ? '' : (/<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`), text };
}

/**
 * Creates the ready role unless it exists; answers `{ arn, created }`, or throws with IAM's answer.
 * Retries for a few seconds while the Worker is still starting (wrangler prints "Ready" first).
 */
export async function ensureReadyRole({ endpoint, accessKeyId, secretAccessKey, region, accountId }) {
  const client = new AwsClient({ accessKeyId, secretAccessKey, service: 'iam', region, retries: 0 });
  const arn = `arn:aws:iam::${accountId}:role/${READY_ROLE_NAME}`;
  let created;
  for (let attempt = 1; ; attempt++) {
    try {
      created = await iam(client, endpoint, 'CreateRole', { RoleName: READY_ROLE_NAME, AssumeRolePolicyDocument: TRUST_POLICY, Description: 'Ready execution role of npm start: writes its logs to CloudWatch Logs' });
      if (created.status < 500) break;
    } catch (error) {
      if (attempt >= 20) throw error;
    }
    if (attempt >= 20) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (created.code === 'EntityAlreadyExists') return { arn, created: false };
  if (created.code) throw new Error(`CreateRole ${READY_ROLE_NAME} answered ${created.status} ${created.code}`);
  const attached = await iam(client, endpoint, 'AttachRolePolicy', { RoleName: READY_ROLE_NAME, PolicyArn: BASIC_EXECUTION_POLICY_ARN });
  if (attached.code) throw new Error(`AttachRolePolicy ${READY_ROLE_NAME} answered ${attached.status} ${attached.code}`);
  return { arn, created: true };
}
