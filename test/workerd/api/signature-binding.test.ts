// SigV4 as AWS verifies it: the signature binds the body, the credential scope names the API's
// service, host and x-amz-date are signed, and a body is not read before the headers pass.
import { describe, expect, it } from 'vitest';
import { exports } from 'cloudflare:workers';
import { AwsClient } from 'aws4fetch';
import { SignatureV4 } from '@smithy/signature-v4';
import { WebCryptoSha256, sha256Hex } from '../../../src/auth/sigv4';
import { ADMIN_KEY_ID, ADMIN_SECRET, ORIGIN, createTenant, signedClient } from '../support/signed-client';

const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const signer = (service = 'lambda', secretAccessKey = ADMIN_SECRET, accessKeyId = ADMIN_KEY_ID) =>
  new AwsClient({ accessKeyId, secretAccessKey, service, region: 'us-east-1', retries: 0 });

/** A restJson1 refusal: status, x-amzn-ErrorType and `{"message"}`. */
async function restRefusal(response: Response): Promise<{ status: number; code: string | null; message: string }> {
  return { status: response.status, code: response.headers.get('x-amzn-errortype'), message: ((await response.json()) as { message: string }).message };
}

/**
 * A body of `totalBytes` in 64 KiB chunks that counts what was pulled from it: a server that
 * reads it whole pulls everything, one that refuses on the headers only what the pipe prefetched.
 */
function countingBody(totalBytes: number): { stream: ReadableStream<Uint8Array>; pulledBytes: () => number } {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return { stream, pulledBytes: () => pulled };
}

const BIG_BODY_BYTES = 32 * 1024 * 1024;
/** What may have been pulled from a body the server never read: the pipe's own prefetch. */
const PREFETCH_MAX_BYTES = 1024 * 1024;

describe('the signature binds the body', () => {
  it('refuses a captured signed request replayed with another body under the same signed x-amz-content-sha256', async () => {
    const original = '{"Name":"original"}';
    const signed = await signer().sign(`${ORIGIN}/api/admin/accounts`, {
      method: 'POST', body: original, headers: { 'x-amz-content-sha256': await sha256Hex(new TextEncoder().encode(original)) },
    });
    expect(signed.headers.get('authorization')).toContain('x-amz-content-sha256');
    const replayed = new Request(signed, { body: '{"Name":"replayed"}' });
    expect(await restRefusal(await exports.default.fetch(replayed))).toEqual({ status: 403, code: 'InvalidSignatureException', message: MISMATCH });
    // The request as signed still passes.
    expect((await exports.default.fetch(signed)).status).toBe(201);
  });

  it('refuses UNSIGNED-PAYLOAD on the JSON and REST APIs (it is S3\'s alone)', async () => {
    const signed = await signer().sign(`${ORIGIN}/api/admin/accounts`, { method: 'POST', body: '{"Name":"unsigned"}', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(await restRefusal(await exports.default.fetch(signed))).toEqual({ status: 403, code: 'InvalidSignatureException', message: MISMATCH });
  });

  it('accepts a signed payload hash that is the body\'s (as the AWS SDK for JavaScript sends it)', async () => {
    const body = '{"Name":"sdk-style"}';
    const signed = await signer().sign(`${ORIGIN}/api/admin/accounts`, { method: 'POST', body, headers: { 'x-amz-content-sha256': await sha256Hex(new TextEncoder().encode(body)) } });
    expect((await exports.default.fetch(signed)).status).toBe(201);
  });
});

describe('the credential scope names the API\'s service', () => {
  it('refuses requests to the Lambda API signed for s3 or sqs', async () => {
    for (const service of ['s3', 'sqs']) {
      const response = await signedClient(ADMIN_KEY_ID, ADMIN_SECRET, 'us-east-1', service).send('GET', '/2015-03-31/functions/');
      expect(await restRefusal(response)).toEqual({ status: 403, code: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'lambda'. " });
    }
  });

  it('refuses faasbox\'s own API and X-Ray signed for another service, in the REST shape', async () => {
    const metrics = await signedClient(ADMIN_KEY_ID, ADMIN_SECRET, 'us-east-1', 'sqs').send('GET', '/api/billing/statement');
    expect(await restRefusal(metrics)).toEqual({ status: 403, code: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'lambda'. " });
    const xray = await signedClient().send('POST', '/TraceSummaries', { StartTime: 0, EndTime: 1 });
    expect(await restRefusal(xray)).toEqual({ status: 403, code: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'xray'. " });
  });

  it('refuses SQS, CloudWatch Logs and EventBridge requests signed for lambda, each in its JSON shape', async () => {
    const tenant = await createTenant('scopes');
    const sqs = await tenant.send('POST', '/', '{}', { 'X-Amz-Target': 'AmazonSQS.ListQueues', 'Content-Type': 'application/x-amz-json-1.0' });
    expect(sqs.status).toBe(403);
    expect(sqs.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(sqs.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(await sqs.json()).toEqual({ __type: 'com.amazon.coral.service#InvalidSignatureException', message: "Credential should be scoped to correct service: 'sqs'. " });
    for (const [target, service] of [['Logs_20140328.DescribeLogGroups', 'logs'], ['AWSEvents.ListRules', 'events']]) {
      const response = await tenant.send('POST', '/', '{}', { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(await response.json()).toEqual({ __type: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${service}'. ` });
      // Signed for its own service, the same request passes.
      expect((await tenant.as(service).send('POST', '/', '{}', { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' })).status).toBe(200);
    }
  });

  it('refuses an SQS Query-protocol request signed for lambda with the Query protocol\'s SignatureDoesNotMatch', async () => {
    const tenant = await createTenant('query-scope');
    const body = new URLSearchParams({ Action: 'ListQueues', Version: '2012-11-05' }).toString();
    const response = await tenant.send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
    expect(response.status).toBe(403);
    const xml = await response.text();
    expect(xml).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(xml).toContain("<Message>Credential should be scoped to correct service: &#39;sqs&#39;. </Message>");
    expect((await tenant.as('sqs').send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' })).status).toBe(200);
  });
});

describe('host and x-amz-date are signed', () => {
  /** A GET of the function list signed with smithy's signer, leaving `unsigned` out of the signed headers. */
  async function signedWithout(unsigned: string): Promise<Request> {
    const url = new URL(`${ORIGIN}/2015-03-31/functions/`);
    const headers: Record<string, string> = unsigned === 'host' ? {} : { host: url.host };
    const smithy = new SignatureV4({ credentials: { accessKeyId: ADMIN_KEY_ID, secretAccessKey: ADMIN_SECRET }, region: 'us-east-1', service: 'lambda', sha256: WebCryptoSha256, applyChecksum: false });
    const signed = await smithy.sign({ method: 'GET', protocol: url.protocol, hostname: url.hostname, path: url.pathname, query: {}, headers }, { unsignableHeaders: new Set([unsigned]) });
    expect(String(signed.headers.authorization)).not.toMatch(new RegExp(`SignedHeaders=[^,]*\\b${unsigned}\\b`));
    const { host: _host, ...sent } = signed.headers;
    return new Request(url, { headers: sent });
  }

  it('refuses a signature that does not cover host', async () => {
    expect(await restRefusal(await exports.default.fetch(await signedWithout('host')))).toEqual({
      status: 400, code: 'IncompleteSignatureException', message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  it('refuses a signature that does not cover x-amz-date', async () => {
    expect(await restRefusal(await exports.default.fetch(await signedWithout('x-amz-date')))).toEqual({
      status: 400, code: 'IncompleteSignatureException', message: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });
});

describe('a body is not read before the headers pass', () => {
  /** Sends `BIG_BODY_BYTES` with headers from `sign` (no Content-Length: a stream), returns the refusal and how much was pulled. */
  async function sendBig(sign: (url: string) => Promise<Headers | Record<string, string>>, path = '/2015-03-31/functions') {
    const url = `${ORIGIN}${path}`;
    const body = countingBody(BIG_BODY_BYTES);
    const response = await exports.default.fetch(new Request(url, { method: 'POST', headers: await sign(url), body: body.stream }));
    return { refusal: await restRefusal(response), pulledBytes: body.pulledBytes() };
  }
  /** Headers of a request signed over a declared payload hash (the body itself is never hashed). */
  const signedHeaders = (client: AwsClient) => async (url: string) =>
    (await client.sign(url, { method: 'POST', headers: { 'x-amz-content-sha256': 'a'.repeat(64), 'content-type': 'application/json' } })).headers;

  it('refuses a large unsigned upload with MissingAuthenticationTokenException', async () => {
    const { refusal, pulledBytes } = await sendBig(async () => ({ 'content-type': 'application/json' }));
    expect(refusal).toEqual({ status: 403, code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    expect(pulledBytes).toBeLessThan(PREFETCH_MAX_BYTES);
  });

  it('refuses a large upload signed with an unknown key with UnrecognizedClientException', async () => {
    const { refusal, pulledBytes } = await sendBig(signedHeaders(signer('lambda', 'x', 'AKIAUNKNOWNKEY000000')));
    expect(refusal).toEqual({ status: 403, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    expect(pulledBytes).toBeLessThan(PREFETCH_MAX_BYTES);
  });

  it('refuses a large upload with a wrong signature over its declared payload hash', async () => {
    const { refusal, pulledBytes } = await sendBig(signedHeaders(signer('lambda', 'wrong-secret')));
    expect(refusal).toEqual({ status: 403, code: 'InvalidSignatureException', message: MISMATCH });
    expect(pulledBytes).toBeLessThan(PREFETCH_MAX_BYTES);
  });

  it('refuses a large upload signed for another service', async () => {
    const { refusal, pulledBytes } = await sendBig(signedHeaders(signer('s3')));
    expect(refusal).toEqual({ status: 403, code: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'lambda'. " });
    expect(pulledBytes).toBeLessThan(PREFETCH_MAX_BYTES);
  });

  it('refuses a declared Content-Length over the API\'s bound with 413 before reading', async () => {
    const response = await exports.default.fetch(new Request(`${ORIGIN}/api/admin/accounts`, { method: 'POST', headers: { 'content-length': String(3 * 1024 * 1024) }, body: 'x' }));
    expect(await restRefusal(response)).toMatchObject({ status: 413, code: 'RequestEntityTooLargeException' });
  });

  it('stops reading a body without a signed hash (CLI v2 style) once it passes the API\'s bound', async () => {
    const { refusal, pulledBytes } = await sendBig(async (url) => (await signer().sign(url, { method: 'POST', headers: { 'content-type': 'application/json' } })).headers, '/api/admin/accounts');
    expect(refusal).toEqual({ status: 413, code: 'RequestEntityTooLargeException', message: `Request must be smaller than ${2 * 1024 * 1024} bytes` });
    expect(pulledBytes).toBeLessThan(2 * 1024 * 1024 + PREFETCH_MAX_BYTES);
  });
});
