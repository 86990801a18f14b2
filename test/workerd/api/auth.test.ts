// SigV4 authentication of the API: every failure is a 403 in AWS's shape.
import { describe, expect, it } from 'vitest';
import { exports } from 'cloudflare:workers';
import { AwsClient } from 'aws4fetch';
import { ADMIN_KEY_ID, ADMIN_SECRET, ORIGIN, signedClient } from '../support/signed-client';

describe('SigV4', () => {
  it('accepts a correctly signed request', async () => {
    expect((await signedClient().send('GET', '/2015-03-31/functions/')).status).toBe(200);
  });

  it('refuses a request with no signature', async () => {
    const response = await exports.default.fetch(`${ORIGIN}/2015-03-31/functions/`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const response = await signedClient(ADMIN_KEY_ID, 'wrong-secret').send('GET', '/2015-03-31/functions/');
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  it('refuses an unknown key with UnrecognizedClientException', async () => {
    const response = await signedClient('AKIAUNKNOWNKEY000000', 'x').send('GET', '/2015-03-31/functions/');
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
  });

  it('refuses a body changed after signing', async () => {
    const aws = new AwsClient({ accessKeyId: ADMIN_KEY_ID, secretAccessKey: ADMIN_SECRET, service: 'lambda', region: 'us-east-1' });
    const signed = await aws.sign(`${ORIGIN}/api/admin/accounts`, { method: 'POST', body: '{"Name":"a"}' });
    const tampered = new Request(signed, { body: '{"Name":"b"}' });
    expect((await exports.default.fetch(tampered)).status).toBe(403);
  });

  it('verifies clients that send no payload hash (the AWS CLI v2) against the body', async () => {
    const aws = new AwsClient({ accessKeyId: ADMIN_KEY_ID, secretAccessKey: ADMIN_SECRET, service: 'lambda', region: 'us-east-1' });
    const signed = await aws.sign(`${ORIGIN}/api/admin/accounts`, { method: 'POST', body: '{"Name":"cli"}' });
    expect(signed.headers.has('x-amz-content-sha256')).toBe(false);
    expect((await exports.default.fetch(signed)).status).toBe(201);
  });

  it('refuses a signature older than 15 minutes', async () => {
    const aws = new AwsClient({ accessKeyId: ADMIN_KEY_ID, secretAccessKey: ADMIN_SECRET, service: 'lambda', region: 'us-east-1' });
    const old = new Date(Date.now() - 16 * 60 * 1000).toISOString().replace(/[:-]|\.\d{3}/g, '');
    const signed = await aws.sign(`${ORIGIN}/2015-03-31/functions/`, { method: 'GET', aws: { datetime: old } });
    const response = await exports.default.fetch(signed);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toMatch(/Signature expired/);
  });

  it('refuses a signature scoped to another region', async () => {
    const response = await signedClient(ADMIN_KEY_ID, ADMIN_SECRET, 'eu-west-1').send('GET', '/2015-03-31/functions/');
    expect(response.status).toBe(403);
  });
});
