// Test support: tenants that call the queue API as the SQS SDKs do (SigV4 service `sqs`, the
// JSON protocol through sqsApi, or the Query protocol), through the Worker's own fetch, in workerd.
import { ORIGIN, createTenant } from '../support/signed-client';
import { sqsApi } from '../support/aws-json-client';

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
  const tenant = await createTenant(name, 'sqs');
  return {
    accountId: tenant.accountId,
    accessKeyId: tenant.accessKeyId,
    call: (operation, input) => sqsApi.response(tenant, operation, input),
    ok: (operation, input) => sqsApi.call(tenant, operation, input),
    query(params) {
      const body = new URLSearchParams({ Version: '2012-11-05', ...params }).toString();
      return tenant.send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
    },
    url: (queue) => `${ORIGIN}/${tenant.accountId}/${queue}`,
  };
}
