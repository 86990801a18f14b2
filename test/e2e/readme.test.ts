// The README's commands, as a user pastes them: its Quickstart and throttle-test blocks, read from
// README.md itself and run one command at a time by bash with Debian's AWS CLI v2 (which reads no
// AWS_ENDPOINT_URL: every command must name --endpoint-url) against a real wrangler dev.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

const server = useDevServer();

/** Runs one README command in the work directory; the README's local endpoint becomes this server's. */
function run(command: string): { status: number | null; stdout: string; stderr: string } {
  const local = command.replaceAll('http://127.0.0.1:8787', server.endpoint);
  const env = { ...awsCliEnv(server, server.workDir), PATH: `${dirname(AWS_CLI)}:${process.env.PATH}`, FAASBOX: server.endpoint };
  const result = spawnSync('bash', ['-c', local], { cwd: server.workDir, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the README's commands with Debian's AWS CLI v2", () => {
  it('Quickstart: creates and invokes hello', () => {
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

// The helper's own behaviour is plain string handling: keep it honest on a block with a here-document.
it('reads a block with a here-document and continuation lines as whole commands', () => {
  expect(commandsAfter('Then, with the AWS CLI v2:')[0]).toMatch(/^cat > index.js <<'JS'\n[\s\S]*\nJS$/);
  expect(execFileSync('bash', ['-n', '-c', commandsAfter('The classic throttle test:').join('\n')]).toString()).toBe('');
});
