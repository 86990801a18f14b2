// The README's commands, as a user pastes them: its Quickstart and throttle-test blocks, read from
// README.md itself and run one command at a time by bash with Debian's AWS CLI v2 (which reads no
// AWS_ENDPOINT_URL: every command must name --endpoint-url) against a real wrangler dev.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { useDevServer } from './support/harness';
import { AWS_CLI, awsCliEnv } from './support/aws-cli';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The commands of the first ```sh block after `anchor`, continuation lines joined, comments kept. */
function commandsAfter(anchor: string): string[] {
  const start = README.indexOf(anchor);
  expect(start, `README has "${anchor}"`).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(README.slice(start))![1];
  const commands: string[] = [];
  let heredoc: string | undefined;
  for (const line of block.split('\n')) {
    const last = commands.length - 1;
    if (heredoc !== undefined) {
      commands[last] += `\n${line}`;
      if (line === heredoc) heredoc = undefined;
    } else if (last >= 0 && commands[last].endsWith('\\')) {
      commands[last] += `\n${line}`;
    } else if (line.trim() !== '') {
      commands.push(line);
      heredoc = /<<'?(\w+)'?/.exec(line)?.[1];
    }
  }
  return commands;
}

// Roles are enforced as in a deployment (no placeholder roles): the README's role must exist.
const server = useDevServer({ vars: { FAASBOX_UNKNOWN_ROLES: 'refuse' } });

/** What `npm start` does before its banner: the ready role `lambda-basic-execution` (scripts/ready-role.mjs). */
function ensureReadyRole(): void {
  const script = `import { ensureReadyRole } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'scripts', 'ready-role.mjs'))};
await ensureReadyRole(${JSON.stringify({ endpoint: server.endpoint, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, region: server.region, accountId: server.accountId })});`;
  execFileSync('node', ['--input-type=module', '-e', script]);
}

/** Runs one README command in the work directory; the README's local endpoint becomes this server's. */
function run(command: string): { status: number | null; stdout: string; stderr: string } {
  const local = command.replaceAll('http://127.0.0.1:8787', server.endpoint);
  const env = { ...awsCliEnv(server, server.workDir), PATH: `${dirname(AWS_CLI)}:${process.env.PATH}`, FAASBOX: server.endpoint };
  const result = spawnSync('bash', ['-c', local], { cwd: server.workDir, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the README's commands with Debian's AWS CLI v2", () => {
  it('Quickstart: creates and invokes hello', () => {
    ensureReadyRole();
    const commands = commandsAfter('Then, with the AWS CLI v2:');
    expect(commands.every((c) => !c.startsWith('aws ') || c.includes('--endpoint-url $FAASBOX'))).toBe(true);
    for (const command of commands) {
      const result = run(command);
      expect(result.status, `${command}\n${result.stderr}`).toBe(0);
    }
    expect(JSON.parse(readFileSync(join(server.workDir, 'out.json'), 'utf8'))).toMatchObject({ hello: 'world' });
  });

  it('the classic throttle test: 429 for a sync call, 202 and the dead-letter queue for an async one', async () => {
    const commands = commandsAfter('The classic throttle test:');
    const results = commands.slice(0, -1).map((command) => ({ command, ...run(command) }));
    const syncInvoke = results.find((r) => r.command.includes('invoke') && !r.command.includes('Event'))!;
    expect(syncInvoke.status).not.toBe(0);
    expect(syncInvoke.stderr).toContain('TooManyRequestsException');
    expect(syncInvoke.stderr).toContain('Rate Exceeded.');
    for (const other of results.filter((r) => r !== syncInvoke)) expect(other.status, `${other.command}\n${other.stderr}`).toBe(0);
    expect(JSON.parse(results.find((r) => r.command.includes('Event'))!.stdout)).toMatchObject({ StatusCode: 202 });
    // The last command reads the dead-letter queue; the event reaches it shortly after the 202.
    const receive = commands.at(-1)!;
    let messages: { Body: string; MessageAttributes: Record<string, { StringValue: string }> }[] = [];
    for (let i = 0; i < 60 && messages.length === 0; i++) {
      const result = run(receive);
      expect(result.status, result.stderr).toBe(0);
      messages = result.stdout.trim() ? JSON.parse(result.stdout).Messages ?? [] : [];
      if (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0].Body)).toEqual({ order: 42 });
    expect(messages[0].MessageAttributes.RequestID.StringValue).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the README's thumbnail walkthrough", () => {
  it('a photo copied with aws s3 cp gets a 128-pixel-wide thumbnail; a corrupt one reaches the dead-letter topic\'s queue with its error', async () => {
    ensureReadyRole();
    // The walkthrough runs from the repository's root: its fixture and node_modules, seen from the work directory.
    const root = join(import.meta.dirname, '..', '..');
    for (const entry of ['test', 'node_modules']) symlinkSync(join(root, entry), join(server.workDir, entry));
    const data = Buffer.alloc(320 * 240 * 4, 200);
    writeFileSync(join(server.workDir, 'photo.jpg'), jpeg.encode({ width: 320, height: 240, data }, 90).data);
    const commands = commandsAfter('## Walkthrough: thumbnails');
    const [list, corrupt, receive] = commands.slice(-3);
    expect(list).toContain('s3 ls');
    for (const command of commands.slice(0, -3)) {
      const result = run(command);
      expect(result.status, `${command}\n${result.stderr}`).toBe(0);
    }
    // S3 invokes the function asynchronously: the thumbnail appears a moment after the copy.
    let listed = '';
    for (const deadline = Date.now() + 150_000; !listed.includes('photo.jpg') && Date.now() < deadline;) {
      listed = run(list).stdout;
      if (!listed.includes('photo.jpg')) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const logs = () => run('aws logs filter-log-events --endpoint-url $FAASBOX --log-group-name /aws/lambda/thumbnail --output text').stdout;
    expect(listed, listed.includes('photo.jpg') ? '' : `the function's log:\n${logs()}`).toContain('photo.jpg');
    const copied = run(`aws s3 cp --endpoint-url $FAASBOX s3://uploads/thumbnails/photo.jpg thumb.jpg`);
    expect(copied.status, copied.stderr).toBe(0);
    const thumbnail = jpeg.decode(readFileSync(join(server.workDir, 'thumb.jpg')));
    expect([thumbnail.width, thumbnail.height]).toEqual([128, 96]);

    const uploaded = run(corrupt);
    expect(uploaded.status, uploaded.stderr).toBe(0);
    let messages: { Body: string }[] = [];
    for (let i = 0; i < 4 && messages.length === 0; i++) {
      const result = run(receive);
      expect(result.status, result.stderr).toBe(0);
      messages = result.stdout.trim() ? JSON.parse(result.stdout).Messages ?? [] : [];
    }
    expect(messages).toHaveLength(1);
    const envelope = JSON.parse(messages[0].Body) as { Type: string; Message: string; MessageAttributes: Record<string, { Type: string; Value: string }> };
    expect(envelope.Type).toBe('Notification');
    expect(JSON.parse(envelope.Message).Records[0].s3.object.key).toBe('corrupt.jpg');
    expect(envelope.MessageAttributes.ErrorMessage).toEqual({ Type: 'String', Value: 'SOI not found' });
    expect(envelope.MessageAttributes.ErrorCode.Value).toBe('200');
  }, 480_000); // about 20 AWS CLI runs, each a Python start: minutes on a loaded 2-core machine
});

describe("the README's IAM commands", () => {
  it("make a CI user whose key is its own principal and may update only hello's code", () => {
    const commands = commandsAfter('A least-privilege key for\nCI');
    const results = commands.map((command) => ({ command, ...run(command) }));
    for (const result of results) expect(result.status, `${result.command}\n${result.stderr}`).toBe(0);
    const { AccessKey } = JSON.parse(results.find((r) => r.command.includes('create-access-key'))!.stdout) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
    const asCi = (command: string) => spawnSync('bash', ['-c', command], {
      cwd: server.workDir, encoding: 'utf8',
      env: { ...awsCliEnv({ ...server, accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey }, server.workDir), PATH: `${dirname(AWS_CLI)}:${process.env.PATH}` },
    });
    const identity = asCi(`aws sts get-caller-identity --endpoint-url ${server.endpoint}`);
    expect(identity.status, identity.stderr).toBe(0);
    expect(JSON.parse(identity.stdout).Arn).toBe(`arn:aws:iam::${server.accountId}:user/ci`);
    const listed = asCi(`aws lambda list-functions --endpoint-url ${server.endpoint}`);
    expect(listed.status).not.toBe(0);
    expect(listed.stderr).toContain('AccessDeniedException');
  });
});

// The helper's own behaviour is plain string handling: keep it honest on a block with a here-document.
it('reads a block with a here-document and continuation lines as whole commands', () => {
  expect(commandsAfter('Then, with the AWS CLI v2:')[0]).toMatch(/^cat > index.js <<'JS'\n[\s\S]*\nJS$/);
  expect(execFileSync('bash', ['-n', '-c', commandsAfter('The classic throttle test:').join('\n')]).toString()).toBe('');
});
