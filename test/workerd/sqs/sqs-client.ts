// Test support: tenants that call the queue API as the SQS SDKs do (SigV4 service `sqs`, the
// JSON protocol, or the Query protocol), through the Worker's own fetch, in workerd.
import { AwsClient } from 'aws4fetch';
import { exports } from 'cloudflare:workers';
import { ORIGIN, signedClient } from '../support/signed-client';

export { ORIGIN };

export interface SqsTenant {
  accountId: string;
  accessKeyId: string;
  /** Sends `AmazonSQS.<operation>` (or `operation` itself when it has a dot) with `input` as its JSON body. */
  call(operation: string, input?: unknown): Promise<Response>;
  /** Like `call`, but expects a 200 and returns the parsed body. */
  ok<T = Record<string, any>>(operation: string, input?: unknown): Promise<T>;
  /** Sends a Query-protocol request (form-encoded, Version 2012-11-05). */
  query(params: Record<string, string>): Promise<Response>;
  /** A QueueUrl of this tenant's queue `name`. */
  url(name: string): string;
}

/** A new account, created through the admin API, with a client signing as SQS clients do. */
export async function createSqsTenant(name = 'sqs-tenant'): Promise<SqsTenant> {
  const response = await signedClient().send('POST', '/api/admin/accounts', { Name: name });
  if (response.status !== 201) throw new Error(`account creation failed: ${response.status} ${await response.text()}`);
  const { AccessKey } = (await response.json()) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string; AccountId: string } };
  const aws = new AwsClient({ accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey, service: 'sqs', region: 'us-east-1', retries: 0 });
  const call = async (operation: string, input: unknown = {}) => {
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': operation.includes('.') ? operation : `AmazonSQS.${operation}` };
    return exports.default.fetch(await aws.sign(`${ORIGIN}/`, { method: 'POST', body: typeof input === 'string' ? input : JSON.stringify(input), headers }));
  };
  return {
    accountId: AccessKey.AccountId,
    accessKeyId: AccessKey.AccessKeyId,
    call,
    async ok(operation, input) {
      const res = await call(operation, input);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${operation} failed: ${res.status} ${text}`);
      return JSON.parse(text);
    },
    async query(params) {
      const body = new URLSearchParams({ Version: '2012-11-05', ...params }).toString();
      const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
      return exports.default.fetch(await aws.sign(`${ORIGIN}/`, { method: 'POST', body, headers }));
    },
    url: (queue) => `${ORIGIN}/${AccessKey.AccountId}/${queue}`,
  };
}
