// Function URLs in workerd tests: create one for a deployed function, open it to the public, and
// send requests to its host, unsigned or signed with a tenant's keys.
import { AwsClient } from 'aws4fetch';
import { exports } from 'cloudflare:workers';
import type { TestClient } from './signed-client';

/** Creates a URL config for `name`; returns its url-id and FunctionUrl. */
export async function createUrl(tenant: TestClient, name: string, config: Record<string, unknown> = { AuthType: 'NONE' }) {
  const response = await tenant.send('POST', `/2021-10-31/functions/${name}/url`, config);
  if (response.status !== 201) throw new Error(`CreateFunctionUrlConfig failed: ${response.status} ${await response.text()}`);
  const { FunctionUrl } = (await response.json()) as { FunctionUrl: string };
  return { functionUrl: FunctionUrl, urlId: new URL(FunctionUrl).hostname.split('.')[0] };
}

/** AddPermission that makes a NONE URL public, as the AWS CLI documents it. */
export async function allowPublic(tenant: TestClient, name: string, sid = 'FunctionURLAllowPublicAccess') {
  const response = await tenant.send('POST', `/2015-03-31/functions/${name}/policy`, {
    StatementId: sid, Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
  });
  if (response.status !== 201) throw new Error(`AddPermission failed: ${response.status} ${await response.text()}`);
}

/** An unsigned request to the URL's host; `path` may carry a query. */
export function urlFetch(urlId: string, path = '/', init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`http://${urlId}.lambda-url.us-east-1.localhost${path}`, init));
}

/** A request to the URL signed (SigV4, service lambda) with the given keys. */
export async function signedUrlFetch(keys: { accessKeyId: string; secretAccessKey: string }, urlId: string, path = '/', init: RequestInit = {}) {
  const aws = new AwsClient({ ...keys, service: 'lambda', region: 'us-east-1', retries: 0 });
  return exports.default.fetch(await aws.sign(`http://${urlId}.lambda-url.us-east-1.localhost${path}`, init));
}
