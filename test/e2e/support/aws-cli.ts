// Runs the real non-JavaScript clients against a dev server: Debian's AWS CLI v2 and boto3, each
// with the server's keys, a HOME of its own and nothing from the caller's AWS configuration.
import { execFileSync } from 'node:child_process';
import { AWS_CLI, PYTHON } from '../../../scripts/test-prerequisites.mjs';
import type { DevServer } from './dev-server';

export { AWS_CLI, PYTHON };

type ServerKeys = Pick<DevServer, 'endpoint' | 'accessKeyId' | 'secretAccessKey' | 'region'>;

/** `aws --endpoint-url <server> ...args` in `home`; returns stdout, throws (with stderr) on a non-zero exit. */
export function runAwsCli(server: ServerKeys, home: string, ...args: string[]): string {
  return execFileSync(AWS_CLI, ['--endpoint-url', server.endpoint, ...args], { cwd: home, encoding: 'utf8', stdio: 'pipe', env: awsCliEnv(server, home) });
}

/** `python3 -c <script> ...args` with boto3 able to reach the server (the endpoint is the script's to pass); returns stdout. */
export function runBoto3(server: ServerKeys, home: string, script: string, ...args: string[]): string {
  return execFileSync(PYTHON, ['-c', script, ...args], { cwd: home, encoding: 'utf8', stdio: 'pipe', env: awsCliEnv(server, home) });
}

/** The clients' environment: the server's keys and region, unbuffered output (for long-running commands). */
export function awsCliEnv(server: ServerKeys, home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    AWS_DEFAULT_REGION: server.region, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
    // Both are Python: without this their stdout to a pipe is block-buffered until exit.
    PYTHONUNBUFFERED: '1',
  };
}
