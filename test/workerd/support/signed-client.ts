// Signs requests with SigV4 (aws4fetch) and sends them to the Worker under test, in workerd.
import { AwsClient } from 'aws4fetch';
import { exports } from 'cloudflare:workers';

export const ADMIN_KEY_ID = 'AKIATESTADMIN0000000';
export const ADMIN_SECRET = 'test-admin-secret-key';
export const ORIGIN = 'http://faasbox.test';

export interface TestClient {
  accessKeyId: string;
  /** Sends a request signed with this client's keys; `path` is under ORIGIN. */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The same keys signing for SigV4 service `service` (each API checks the credential scope's service). */
  as(service: string): TestClient;
}

/** `service` is the SigV4 service name the requests are signed for (SQS SDKs sign as `sqs`). */
export function signedClient(accessKeyId = ADMIN_KEY_ID, secretAccessKey = ADMIN_SECRET, region = 'us-east-1', service = 'lambda'): TestClient {
  const aws = new AwsClient({ accessKeyId, secretAccessKey, service, region, retries: 0 });
  return {
    accessKeyId,
    async send(method, path, body, headers = {}) {
      const payload = body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      const signed = await aws.sign(`${ORIGIN}${path}`, { method, body: payload, headers });
      // A request given a client address is sent as Cloudflare's edge delivers one (with request.cf),
      // the only case in which the platform believes cf-connecting-ip (src/auth/client-address.ts).
      return exports.default.fetch(headers['cf-connecting-ip'] ? new Request(signed, { cf: { colo: 'TEST' } } as RequestInit) : signed);
    },
    as: (other) => signedClient(accessKeyId, secretAccessKey, region, other),
  };
}

/** A new tenant account with its own keys, created through the admin API; its requests signed for `service`. */
export async function createTenant(name = 'tenant', service = 'lambda'): Promise<TestClient & { accountId: string; secretAccessKey: string }> {
  const response = await signedClient().send('POST', '/api/admin/accounts', { Name: name });
  if (response.status !== 201) throw new Error(`account creation failed: ${response.status} ${await response.text()}`);
  const created = (await response.json()) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string; AccountId: string } };
  const { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, AccountId: accountId } = created.AccessKey;
  return { ...signedClient(accessKeyId, secretAccessKey, 'us-east-1', service), accountId, secretAccessKey };
}

export type Tenant = Awaited<ReturnType<typeof createTenant>>;

/** Deploys `source` as `index.js` of a nodejs22.x function `name` for `tenant`; expects 201. */
export async function deploy(tenant: TestClient, name: string, source: string, extra: Record<string, unknown> = {}): Promise<void> {
  const { zipBase64, ROLE } = await import('./zip');
  const response = await tenant.send('POST', '/2015-03-31/functions', {
    FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64({ 'index.js': source }) }, ...extra,
  });
  if (response.status !== 201) throw new Error(`deploy ${name} failed: ${response.status} ${await response.text()}`);
}
