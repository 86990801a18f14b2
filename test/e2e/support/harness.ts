// The one end-to-end harness: a `wrangler dev` per test file, started in beforeAll and torn down
// in afterAll with the SDK clients and the work directory it handed out, and requests signed
// with its keys.
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { startDevServer, type DevServer, type SdkConfig } from './dev-server';
import { runAwsCli, runBoto3 } from './aws-cli';

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
 * @example
 * const server = useDevServer();
 * let lambda: LambdaClient;
 * beforeAll(() => { lambda = server.client(LambdaClient); });
 */
export function useDevServer(options: { vars?: Record<string, string> | (() => Record<string, string>) } = {}): E2EServer {
  let started: DevServer | undefined;
  let workDir: string | undefined;
  let signer: AwsClient | undefined;
  const clients: { destroy(): void }[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'faasbox-e2e-work-'));
    started = await startDevServer({ vars: typeof options.vars === 'function' ? options.vars() : options.vars });
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
