// The one end-to-end harness: a `wrangler dev` per test file (or, opted in, an account of its own on
// the one server such files share), started in beforeAll and torn down in afterAll with the SDK
// clients and the work directory it handed out, and requests signed with its keys.
import { afterAll, beforeAll, inject } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { startDevServer, sdkConfigFor, type DevServer, type SdkConfig } from './dev-server';
import { runAwsCli, runBoto3 } from './aws-cli';
import { askBroker, type SharedDevServer } from './shared-servers';

export interface E2EServer extends Omit<DevServer, 'stop'> {
  /** The port `wrangler dev` listens on, at 127.0.0.1. */
  readonly port: number;
  /** A directory of this file's own (the CLIs' HOME and working directory, zips), removed at teardown. */
  readonly workDir: string;
  /** An AWS SDK client against this server (no retries; `overrides` e.g. other credentials), destroyed at teardown. */
  client<C extends { destroy(): void }>(Client: new (config: SdkConfig) => C, overrides?: Partial<SdkConfig>): C;
  /** `fetch` of `path` under the endpoint, signed with SigV4 (service `lambda`) with the server's keys. */
  signedFetch(path: string, init?: RequestInit): Promise<Response>;
  /** Debian's AWS CLI v2 against this server: its stdout; throws with its stderr on a non-zero exit. */
  aws(...args: string[]): string;
  /** A Python script run by the tests' python3 with boto3, `args` as sys.argv[1:] and the server's keys: its stdout. */
  boto3(script: string, ...args: string[]): string;
}

/**
 * Registers a beforeAll that starts a dev server and an afterAll that stops it. `vars` are extra
 * Worker variables, or a function that returns them when the server starts (after the test
 * file's earlier beforeAll hooks, e.g. once a local collector has its URL). The returned server is usable inside hooks and tests only; after-hooks of the
 * test file run before this teardown (vitest runs them in reverse order of registration).
 *
 * `shared: true` (no `vars`): instead of a server of its own, the file gets a new account (keys,
 * account id) on the one `wrangler dev` that every such file of the run shares
 * (test/e2e/support/shared-servers.ts), deleted at teardown. It saves a server start per file; it
 * suits a file that needs nothing of the server but its API and its own account: `restart()`,
 * `stateDir` and `output()` throw there, and the admin keys are not the file's.
 *
 * @example
 * const server = useDevServer({ shared: true });
 * let lambda: LambdaClient;
 * beforeAll(() => { lambda = server.client(LambdaClient); });
 */
export function useDevServer(options: { vars?: Record<string, string> | (() => Record<string, string>); shared?: boolean } = {}): E2EServer {
  let started: DevServer | undefined;
  let workDir: string | undefined;
  let signer: AwsClient | undefined;
  const clients: { destroy(): void }[] = [];

  if (options.shared && options.vars) throw new Error('useDevServer: a shared server has no variables of a file; drop shared or vars');
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'faasbox-e2e-work-'));
    started = options.shared
      ? await accountOnSharedServer(await askBroker<SharedDevServer>(inject('e2eSharedBrokerUrl'), '/dev-server'))
      : await startDevServer({ vars: typeof options.vars === 'function' ? options.vars() : options.vars });
    signer = new AwsClient({ accessKeyId: started.accessKeyId, secretAccessKey: started.secretAccessKey, service: 'lambda', region: started.region, retries: 0 });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await started?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const live = (): DevServer => {
    if (!started) throw new Error('useDevServer: the server starts in beforeAll; use it inside hooks and tests');
    return started;
  };
  const server: E2EServer = {
    get endpoint() { return live().endpoint; },
    get port() { return Number(new URL(live().endpoint).port); },
    get accessKeyId() { return live().accessKeyId; },
    get secretAccessKey() { return live().secretAccessKey; },
    get region() { return live().region; },
    get accountId() { return live().accountId; },
    get stateDir() { return live().stateDir; },
    get sdkConfig() { return live().sdkConfig; },
    get workDir() { live(); return workDir!; },
    output: () => live().output(),
    restart: () => live().restart(),
    client(Client, overrides = {}) {
      const client = new Client({ ...live().sdkConfig, ...overrides });
      clients.push(client);
      return client;
    },
    signedFetch(path, init) {
      const { endpoint } = live();
      return signer!.fetch(`${endpoint}${path}`, init);
    },
    aws: (...args) => runAwsCli(live(), server.workDir, ...args),
    boto3: (script, ...args) => runBoto3(live(), server.workDir, script, ...args),
  };
  return server;
}

/** A new account on the shared server, made with its admin keys: a DevServer whose keys are the account's and whose stop deletes it. */
async function accountOnSharedServer(shared: SharedDevServer): Promise<DevServer> {
  const admin = new AwsClient({ accessKeyId: shared.accessKeyId, secretAccessKey: shared.secretAccessKey, service: 'lambda', region: shared.region, retries: 0 });
  const response = await admin.fetch(`${shared.endpoint}/api/admin/accounts`, { method: 'POST', body: JSON.stringify({ Name: 'e2e test file' }) });
  if (response.status !== 201) throw new Error(`the shared server made no account: ${response.status} ${await response.text()}`);
  const { Account, AccessKey } = (await response.json()) as { Account: { AccountId: string }; AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
  const keys = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
  const notShared = (what: string) => () => { throw new Error(`${what} is not available on the shared server: use useDevServer() without shared`); };
  return {
    endpoint: shared.endpoint,
    ...keys,
    region: shared.region,
    accountId: Account.AccountId,
    get stateDir(): string { return notShared('stateDir')(); },
    sdkConfig: sdkConfigFor(shared.endpoint, shared.region, keys),
    output: notShared('output()'),
    restart: notShared('restart()'),
    async stop() {
      const deleted = await admin.fetch(`${shared.endpoint}/api/admin/accounts/${Account.AccountId}`, { method: 'DELETE' });
      if (deleted.status !== 204) throw new Error(`the file's account on the shared server was not deleted: ${deleted.status} ${await deleted.text()}`);
    },
  };
}
