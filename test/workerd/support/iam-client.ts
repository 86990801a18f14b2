// IAM in workerd tests: Query calls to the IAM API, users with an inline policy and their signed
// clients, roles trusting Lambda, and clients signing with a role session's temporary credentials.
import { AwsClient } from 'aws4fetch';
import { exports } from 'cloudflare:workers';
import { ORIGIN, signedClient, type TestClient } from './signed-client';

/** One IAM Query call of `client` (signed for `iam`): its status and XML text. */
export async function iamCall(client: TestClient, action: string, params: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
  const response = await client.as('iam').send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded' });
  return { status: response.status, text: await response.text() };
}

/** One IAM Query call that must succeed: its XML text. */
export async function iamOk(client: TestClient, action: string, params: Record<string, string> = {}): Promise<string> {
  const { status, text } = await iamCall(client, action, params);
  if (status !== 200) throw new Error(`${action} failed: ${status} ${text}`);
  return text;
}

export const xmlValue = (xml: string, element: string) => new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1] ?? '';
export const policyOf = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
export const LAMBDA_TRUST = policyOf({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });

/** A new IAM user of the account `owner` signs for, `document` its inline policy, and a client signing with its new key. */
export async function userWithPolicy(owner: TestClient, userName: string, document?: string): Promise<TestClient & { arn: string }> {
  const created = await iamOk(owner, 'CreateUser', { UserName: userName });
  if (document) await iamOk(owner, 'PutUserPolicy', { UserName: userName, PolicyName: 'inline', PolicyDocument: document });
  const key = await iamOk(owner, 'CreateAccessKey', { UserName: userName });
  return { ...signedClient(xmlValue(key, 'AccessKeyId'), xmlValue(key, 'SecretAccessKey')), arn: xmlValue(created, 'Arn') };
}

/** A new role trusting Lambda with `document` inline, as mintSessionCredentials takes it. */
export async function roleWithPolicy(owner: TestClient, accountId: string, roleName: string, document?: string) {
  const created = await iamOk(owner, 'CreateRole', { RoleName: roleName, AssumeRolePolicyDocument: LAMBDA_TRUST });
  if (document) await iamOk(owner, 'PutRolePolicy', { RoleName: roleName, PolicyName: 'inline', PolicyDocument: document });
  return { accountId, roleName, roleId: xmlValue(created, 'RoleId'), roleArn: xmlValue(created, 'Arn') };
}

/** A client signing with temporary credentials (X-Amz-Security-Token when given), for SigV4 service `service`. */
export function temporaryClient(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, service = 'lambda'): TestClient {
  const aws = new AwsClient({ ...credentials, service, region: 'us-east-1', retries: 0 });
  return {
    accessKeyId: credentials.accessKeyId,
    async send(method, path, body, headers = {}) {
      const payload = body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      return exports.default.fetch(await aws.sign(`${ORIGIN}${path}`, { method, body: payload, headers }));
    },
    as: (other) => temporaryClient(credentials, other),
  };
}

/** Polls `attempt` until it answers `status` (a policy change reaches this isolate within FAASBOX_IAM_POLICY_CACHE_SECONDS). */
export async function eventually(attempt: () => Promise<Response>, status: number): Promise<Response> {
  for (let i = 0; ; i++) {
    const response = await attempt();
    if (response.status === status || i >= 200) return response;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
