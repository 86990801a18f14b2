// The playground's public routes in workerd tests: solve a proof of work with altcha-lib's own
// solver, create sandboxes from a given client address, and send session requests as the console
// does (X-Faasbox-Playground: 1 and a same-origin Origin), optionally to a Worker with other settings.
import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/sha';
import worker from '../../../src/index';
import { ORIGIN, signedClient, type Tenant } from './signed-client';

export interface PublicRequestOptions {
  /** The client address, delivered as Cloudflare's edge delivers it (cf-connecting-ip with request.cf). */
  address?: string;
  cookie?: string;
  body?: unknown;
  /** Headers replacing the console's (X-Faasbox-Playground, Origin); null removes one. */
  headers?: Record<string, string | null>;
  /** Worker variables over the test configuration: the request goes to a Worker built with them. */
  vars?: Record<string, string>;
}

/** A request to a playground route, as the console on ORIGIN sends it. */
export async function playgroundFetch(method: string, path: string, options: PublicRequestOptions = {}): Promise<Response> {
  const headers = new Headers({ 'x-faasbox-playground': '1', origin: ORIGIN });
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (options.cookie) headers.set('cookie', options.cookie);
  if (options.address) headers.set('cf-connecting-ip', options.address);
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  const init: RequestInit & { cf?: object } = { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) };
  if (options.address) init.cf = { colo: 'TEST' };
  const request = new Request(`${ORIGIN}${path}`, init);
  if (!options.vars) return exports.default.fetch(request);
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, ...options.vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** A solved proof of work for a new challenge, as the altcha payload (base64 JSON). */
export async function solvedProof(): Promise<string> {
  const answer = await exports.default.fetch(new Request(`${ORIGIN}/api/playground/challenge`));
  if (answer.status !== 200) throw new Error(`challenge failed: ${answer.status} ${await answer.text()}`);
  const { Challenge: challenge } = (await answer.json()) as { Challenge: Challenge };
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('the challenge was not solved');
  return btoa(JSON.stringify({ challenge, solution }));
}

export interface CreatedSandbox {
  accountId: string;
  /** The session cookie as the browser sends it back (`name=token`). */
  cookie: string;
  token: string;
  /** Signed requests with the sandbox's keys. */
  tenant: Tenant;
  body: { Sandbox: { AccountId: string; CreatedAt: string; EndsAt: string }; AccessKey: { AccessKeyId: string; SecretAccessKey: string }; Region: string };
  setCookie: string;
}

/** POST /api/playground/sandboxes with a fresh proof; throws unless it answers 201. */
export async function createSandbox(options: PublicRequestOptions = {}): Promise<CreatedSandbox> {
  const response = await playgroundFetch('POST', '/api/playground/sandboxes', { body: { Proof: await solvedProof() }, ...options });
  if (response.status !== 201) throw new Error(`sandbox creation failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as CreatedSandbox['body'];
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  const { AccessKeyId, SecretAccessKey } = body.AccessKey;
  const tenant = { ...signedClient(AccessKeyId, SecretAccessKey), accountId: body.Sandbox.AccountId, secretAccessKey: SecretAccessKey };
  return { accountId: body.Sandbox.AccountId, cookie, token: cookie.slice(cookie.indexOf('=') + 1), tenant, body, setCookie };
}

/** The global PlaygroundRegistry's stub. */
export function registryStub() {
  return env.PLAYGROUND.get(env.PLAYGROUND.idFromName('playground'));
}
