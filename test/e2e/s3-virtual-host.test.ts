// End to end: S3's virtual-host addressing on a real `wrangler dev` (docs/S3.md, "Requests"):
// Debian's AWS CLI v2 with `s3 = addressing_style = virtual` in its config and boto3 with
// Config(s3={'addressing_style': 'virtual'}) against `http://localhost:<port>`, so they send
// `<bucket>.localhost:<port>` as the Host they sign. Python resolves no *.localhost by itself
// (curl and browsers do, as systemd-resolved): a sitecustomize on PYTHONPATH maps them to 127.0.0.1.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AWS_CLI, PYTHON, awsCliEnv } from './support/aws-cli';
import { useDevServer } from './support/harness';

const server = useDevServer({ shared: true });
const bucket = (name: string) => `${name}-${server.accountId}`;
let home: string;
let localhost: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'faasbox-e2e-vhost-'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(join(home, '.aws', 'config'), '[default]\ns3 =\n    addressing_style = virtual\n');
  const site = join(home, 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'sitecustomize.py'), [
    'import socket',
    '_getaddrinfo = socket.getaddrinfo',
    'def getaddrinfo(host, *args, **kwargs):',
    "    if isinstance(host, str) and host.endswith('.localhost'):",
    "        host = '127.0.0.1'",
    '    return _getaddrinfo(host, *args, **kwargs)',
    'socket.getaddrinfo = getaddrinfo',
    '',
  ].join('\n'));
  localhost = server.endpoint.replace('127.0.0.1', 'localhost');
  env = { ...awsCliEnv(server, home), PYTHONPATH: site };
});

describe('virtual-host addressing', () => {
  it('the AWS CLI with addressing_style virtual: mb, cp, ls, cp back, presign fetched with curl, rm, rb', () => {
    const name = bucket('cli-vhost');
    const aws = (...args: string[]) => execFileSync(AWS_CLI, ['--endpoint-url', localhost, ...args], { cwd: home, encoding: 'utf8', stdio: 'pipe', env });
    writeFileSync(join(home, 'hello.txt'), 'hello by virtual host');
    expect(aws('s3', 'mb', `s3://${name}`)).toContain(`make_bucket: ${name}`);
    aws('s3', 'cp', join(home, 'hello.txt'), `s3://${name}/dir/hello (1).txt`);
    expect(aws('s3', 'ls', `s3://${name}/dir/`)).toContain('hello (1).txt');
    aws('s3', 'cp', `s3://${name}/dir/hello (1).txt`, join(home, 'back.txt'));
    expect(execFileSync('cat', [join(home, 'back.txt')], { encoding: 'utf8' })).toBe('hello by virtual host');
    const url = aws('s3', 'presign', `s3://${name}/dir/hello (1).txt`, '--expires-in', '60').trim();
    expect(new URL(url).hostname).toBe(`${name}.localhost`); // the CLI addresses the bucket by host
    expect(execFileSync('curl', ['-sS', '--fail', url], { encoding: 'utf8' })).toBe('hello by virtual host');
    aws('s3', 'rm', `s3://${name}/dir/hello (1).txt`);
    aws('s3', 'rb', `s3://${name}`);
  }, 120_000);

  it("boto3 with addressing_style virtual: the Host it signs is the bucket's", () => {
    const name = bucket('boto3-vhost');
    const script = `
import boto3, json, sys, urllib.request
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], config=Config(signature_version='s3v4', s3={'addressing_style': 'virtual'}))
name = sys.argv[2]
hosts = []
s3.meta.events.register('before-send.s3', lambda request, **kwargs: hosts.append(request.url.split('/')[2]))
s3.create_bucket(Bucket=name)
s3.put_object(Bucket=name, Key='a/b.txt', Body=b'boto3 virtual')
out = {'body': s3.get_object(Bucket=name, Key='a/b.txt')['Body'].read().decode()}
out['keys'] = [o['Key'] for o in s3.list_objects_v2(Bucket=name)['Contents']]
url = s3.generate_presigned_url('get_object', Params={'Bucket': name, 'Key': 'a/b.txt'}, ExpiresIn=60)
out['presigned'] = urllib.request.urlopen(url).read().decode()
s3.delete_object(Bucket=name, Key='a/b.txt')
s3.delete_bucket(Bucket=name)
out['hosts'] = sorted(set(hosts))
print(json.dumps(out))
`;
    const out = JSON.parse(execFileSync(PYTHON, ['-c', script, localhost, name], { cwd: home, encoding: 'utf8', stdio: 'pipe', env }));
    expect(out).toEqual({ body: 'boto3 virtual', keys: ['a/b.txt'], presigned: 'boto3 virtual', hosts: [`${name}.localhost:${new URL(localhost).port}`] });
  });
});
