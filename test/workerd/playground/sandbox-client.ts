// A playground sandbox for quota tests, made as the playground makes one: an account flagged
// `playground` in the AccountDirectory, then initialiseSandbox; its requests signed with its key.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { accountDirectory } from '../../../src/bindings';
import { initialiseSandbox } from '../../../src/services/playground/quotas';
import { signedClient, type TestClient } from '../support/signed-client';

export type Sandbox = TestClient & { accountId: string; secretAccessKey: string };

export async function createSandbox(name = 'sandbox'): Promise<Sandbox> {
  const { account, key } = await accountDirectory(env).createAccount(name, { playground: true });
  await initialiseSandbox(env, account.accountId);
  return { ...signedClient(key.accessKeyId, key.secretAccessKey), accountId: account.accountId, secretAccessKey: key.secretAccessKey };
}

/** Asserts a refusal in an AWS error shape with `status` and `code`; returns its message, which must name a playground quota. */
export async function expectQuotaRefusal(response: Response, status: number, code: string): Promise<string> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('x-amzn-errortype') ?? '').toContain(code);
  const body = JSON.parse(text) as { message?: string; Message?: string };
  const message = body.message ?? body.Message ?? '';
  expect(message).toMatch(/^Playground quota: /);
  return message;
}

export const invoke = (client: TestClient, name: string, payload: unknown = {}, headers: Record<string, string> = {}) =>
  client.send('POST', `/2015-03-31/functions/${name}/invocations`, payload, headers);
