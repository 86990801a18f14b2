// Starts a real `wrangler dev` for end-to-end tests: its own port, its own state directory and
// its own admin keys; stopped by its process id.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Client configuration for the AWS SDK against a dev server, without retries and without
 * keep-alive: a test that blocks its event loop (a CLI run by spawnSync) would otherwise send its
 * next call on a socket the server closed meanwhile ("socket hang up").
 */
export interface SdkConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
  requestHandler: { httpAgent: Agent };
}

export interface DevServer {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  accountId: string;
  /** The `--persist-to` directory: Durable Objects' SQLite files and R2, as `.wrangler/state` locally. */
  stateDir: string;
  sdkConfig: SdkConfig;
  stop(): Promise<void>;
  /** Stops and starts again on the same port and state (a restart of `wrangler dev`). */
  restart(): Promise<void>;
  output(): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The SDK's configuration for `endpoint` with `credentials` (see SdkConfig). */
export function sdkConfigFor(endpoint: string, region: string, credentials: SdkConfig['credentials']): SdkConfig {
  return { endpoint, region, credentials, maxAttempts: 1, requestHandler: { httpAgent: new Agent({ keepAlive: false }) } };
}

/**
 * Variables every e2e server has unless `vars` says otherwise: the suites' functions name placeholder
 * roles that no IamStore holds, accepted with every permission (the IAM files set `refuse`); room in
 * the pool for the suites' concurrent invocations (wrangler.toml's 80 MiB runs one at a time).
 */
const E2E_DEFAULT_VARS: Record<string, string> = { FAASBOX_UNKNOWN_ROLES: 'allow-all', FAASBOX_POOL_BUDGET_MB: '512' };

/** `vars` are extra Worker variables for this server (e.g. `FAASBOX_OTLP_ENDPOINT`). */
export async function startDevServer(options: { vars?: Record<string, string> } = {}): Promise<DevServer> {
  let port = await freePort();
  const stateDir = mkdtempSync(join(tmpdir(), 'faasbox-e2e-'));
  const accessKeyId = 'AKIAE2ETEST' + Math.random().toString(36).slice(2, 11).toUpperCase().padEnd(9, 'X');
  const secretAccessKey = 'e2e-secret/' + crypto.randomUUID();
  // The root key of encryption at rest, as npm start writes one to .dev.vars.
  const encryptionKey = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
  let log = '';
  let child: ChildProcess | undefined;

  const launch = async () => {
    child = spawn(
      'wrangler',
      ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir, '--show-interactive-dev-session=false', '--test-scheduled',
        '--var', `FAASBOX_ACCESS_KEY_ID:${accessKeyId}`, '--var', `FAASBOX_SECRET_ACCESS_KEY:${secretAccessKey}`,
        '--var', `FAASBOX_ENCRYPTION_KEY:${encryptionKey}`,
        ...Object.entries({ ...E2E_DEFAULT_VARS, ...options.vars }).flatMap(([name, value]) => ['--var', `${name}:${value}`])],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', FAASBOX_CONSOLE_PREBUILT: '1' } },
    );
    const proc = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wrangler dev did not start:\n${log}`)), 90_000);
      const onData = (chunk: Buffer) => {
        log += chunk;
        if (/Ready on/.test(log.slice(-2000))) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (chunk: Buffer) => (log += chunk));
      proc.on('exit', (code) => reject(new Error(`wrangler dev exited with ${code}:\n${log}`)));
    });
    // Wait until the Worker answers (the first request compiles the module).
    for (let i = 0; i < 100; i++) {
      try {
        // The body is not wanted: cancelled, so no half-read response holds the connection.
        await (await fetch(`http://127.0.0.1:${port}/`)).body?.cancel();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    });
  };

  // A port free when chosen can be taken before wrangler binds it (another file's wrangler dev
  // starting at the same time takes ephemeral ports of its own): choose again.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt === 3 || !/Address already in use/.test(String(error))) throw error;
      await stop();
      log = '';
      port = await freePort();
    }
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId,
    secretAccessKey,
    region: 'us-east-1',
    accountId: '123456789012',
    stateDir,
    sdkConfig: sdkConfigFor(`http://127.0.0.1:${port}`, 'us-east-1', { accessKeyId, secretAccessKey }),
    output: () => log,
    async restart() {
      await stop();
      log = '';
      await launch();
    },
    async stop() {
      await stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
