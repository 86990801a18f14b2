// The README's start command, for real: `npm start` in a fresh checkout-like directory writes
// .dev.vars once, starts wrangler dev and prints keys that work with the AWS SDK.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AWS_CLI } from './support/aws-cli';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';

const ROOT = resolve(import.meta.dirname, '..', '..');
const checkout = mkdtempSync(join(tmpdir(), 'faasbox-start-'));
for (const entry of ['package.json', 'wrangler.toml', 'src', 'sandbox', 'console', 'scripts', 'node_modules', 'worker-configuration.d.ts']) {
  symlinkSync(join(ROOT, entry), join(checkout, entry));
}

let child: ChildProcess | undefined;

async function npmStart(port: number): Promise<string> {
  child = spawn('npm', ['start', '--', '--port', String(port)], { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' }, detached: true });
  let output = '';
  await new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), 90_000);
    child!.stdout!.on('data', (d) => {
      output += d;
      if (/aws lambda list-functions/.test(output)) {
        clearTimeout(timer);
        resolvePromise();
      }
    });
    child!.stderr!.on('data', (d) => (output += d));
    child!.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return output;
}

async function stop() {
  const proc = child;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((r) => {
    proc.once('exit', () => r());
    // npm, the start script and wrangler share a process group of their own.
    process.kill(-proc.pid!, 'SIGINT');
  });
}

afterAll(async () => {
  await stop();
  rmSync(checkout, { recursive: true, force: true });
});

describe('npm start', () => {
  it('adds an encryption key to a .dev.vars from before encryption at rest, keeping the admin keys', () => {
    const older = join(checkout, 'older.dev.vars');
    const keys = '# faasbox local admin account (generated; never commit)\nFAASBOX_ACCESS_KEY_ID=AKIAOLDER\nFAASBOX_SECRET_ACCESS_KEY=older-secret';
    writeFileSync(older, keys, { mode: 0o600 });
    const ensure = `import { ensureDevVars } from ${JSON.stringify(join(ROOT, 'scripts', 'dev-vars.mjs'))}; ensureDevVars(${JSON.stringify(older)});`;
    execFileSync('node', ['--input-type=module', '-e', ensure]);
    const text = readFileSync(older, 'utf8');
    expect(text.startsWith(`${keys}\n`)).toBe(true);
    expect(Buffer.from(/^FAASBOX_ENCRYPTION_KEY=(\S+)$/m.exec(text)![1], 'base64')).toHaveLength(32);
    execFileSync('node', ['--input-type=module', '-e', ensure]);
    expect(readFileSync(older, 'utf8')).toBe(text);
    rmSync(older);
  });

  it('prints --help', async () => {
    const help = await new Promise<string>((r) => {
      const p = spawn('node', ['scripts/start.mjs', '--help'], { cwd: checkout });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('exit', () => r(out));
    });
    expect(help).toMatch(/Usage: npm start/);
    expect(existsSync(join(checkout, '.dev.vars'))).toBe(false);
  });

  it('creates the admin keys once, prints them, and they sign requests', async () => {
    const port = 18_000 + Math.floor(Math.random() * 1000);
    const banner = await npmStart(port);
    const vars = readFileSync(join(checkout, '.dev.vars'), 'utf8');
    const accessKeyId = /FAASBOX_ACCESS_KEY_ID=(\S+)/.exec(vars)![1];
    const secretAccessKey = /FAASBOX_SECRET_ACCESS_KEY=(\S+)/.exec(vars)![1];
    expect(accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(secretAccessKey).toHaveLength(40);
    // The root key of encryption at rest: 32 random bytes, written with the admin keys and kept with them.
    expect(Buffer.from(/FAASBOX_ENCRYPTION_KEY=(\S+)/.exec(vars)![1], 'base64')).toHaveLength(32);
    expect(statSync(join(checkout, '.dev.vars')).mode & 0o077).toBe(0);
    expect(banner).toContain(`Access key id      ${accessKeyId}`);
    expect(banner).toContain('Account id         123456789012');
    expect(banner).toContain('Region             us-east-1');
    expect(banner).toContain(`export FAASBOX=http://127.0.0.1:${port}`);
    // The ready execution role, made through the IAM API, trusting Lambda, with basic execution only.
    expect(banner).toContain('Execution role     arn:aws:iam::123456789012:role/lambda-basic-execution (created now');
    // The snippet as a user pastes it, with the AWS CLI v2 the tests use (Debian's 2.9 reads no AWS_ENDPOINT_URL).
    const snippet = banner.slice(banner.indexOf('Paste into a shell')).split('\n').filter((line) => line.startsWith('  ')).join('\n');
    const listed = execFileSync('bash', ['-c', snippet], { encoding: 'utf8', env: { PATH: `${dirname(AWS_CLI)}:${process.env.PATH}`, HOME: checkout } });
    expect(JSON.parse(listed)).toEqual({ Functions: [] });
    const attached = execFileSync('bash', ['-c', `${snippet.split('\n').filter((line) => line.includes('export ')).join('\n')}
aws iam list-attached-role-policies --role-name lambda-basic-execution --endpoint-url $FAASBOX`], { encoding: 'utf8', env: { PATH: `${dirname(AWS_CLI)}:${process.env.PATH}`, HOME: checkout } });
    expect(JSON.parse(attached).AttachedPolicies).toEqual([{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }]);

    const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
    expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    lambda.destroy();
    await stop();

    const again = await npmStart(port);
    expect(readFileSync(join(checkout, '.dev.vars'), 'utf8')).toBe(vars);
    expect(again).toContain(`Access key id      ${accessKeyId}`);
    // Made once: a later start finds it and keeps it as it is.
    expect(again).toContain('Execution role     arn:aws:iam::123456789012:role/lambda-basic-execution\n');
    await stop();
  });
});
