// Runs Debian's AWS CLI v2 against a dev server, with its keys, a HOME of its own and nothing
// from the caller's AWS configuration.
import { execFileSync } from 'node:child_process';
import type { DevServer } from './dev-server';

export const AWS_CLI = '/usr/bin/aws';

/** `aws --endpoint-url <server> ...args`; returns stdout, throws (with stderr) on a non-zero exit. */
export function runAwsCli(server: DevServer, home: string, ...args: string[]): string {
  return execFileSync(AWS_CLI, ['--endpoint-url', server.endpoint, ...args], { encoding: 'utf8', stdio: 'pipe', env: awsCliEnv(server, home) });
}

/** The CLI's environment: the server's keys and region, unbuffered output (for long-running commands). */
export function awsCliEnv(server: DevServer, home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    AWS_DEFAULT_REGION: server.region, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
    // The CLI is Python: without this its stdout to a pipe is block-buffered until exit.
    PYTHONUNBUFFERED: '1',
  };
}
