// End to end: environment variables set through the AWS SDK reach the function and the caller,
// survive a restart of `wrangler dev`, and appear nowhere in its state directory (the SQLite
// files of every Durable Object, their journals, and R2), docs/SECURITY.md.
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, PublishVersionCommand, UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer();
let lambda: LambdaClient;
beforeAll(() => {
  lambda = server.client(LambdaClient);
});

const FUNCTION = 'keeps-a-secret-e2e';
const SECRET = 'e2e-s3cret-value-7f3c9a1b';
const NEXT_SECRET = 'e2e-s3cret-value-rotated-42d0';
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/00000000-1111-2222-3333-444444444444';

/** Every file under `dir` whose bytes contain `text` (UTF-8), as paths relative to `dir`. */
function filesContaining(dir: string, text: string): string[] {
  const needle = Buffer.from(text);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => readFileSync(path).includes(needle))
    .map((path) => path.slice(dir.length + 1));
}

async function secretSeen(qualifier?: string): Promise<unknown> {
  const output = await lambda.send(new InvokeCommand({ FunctionName: FUNCTION, Qualifier: qualifier, Payload: new TextEncoder().encode('{}') }));
  return JSON.parse(new TextDecoder().decode(output.Payload));
}

describe('encryption at rest', () => {
  it("no environment variable is in clear in wrangler dev's state directory, before or after a restart", async () => {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: FUNCTION, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', KMSKeyArn: KMS_KEY_ARN,
      Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => ({ secret: process.env.API_TOKEN });' }) },
      Environment: { Variables: { API_TOKEN: SECRET } },
    }));
    expect(await secretSeen()).toEqual({ secret: SECRET });
    await lambda.send(new PublishVersionCommand({ FunctionName: FUNCTION }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: FUNCTION, Environment: { Variables: { API_TOKEN: NEXT_SECRET } } }));
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION }));
    expect(config.Environment?.Variables).toEqual({ API_TOKEN: NEXT_SECRET });
    expect(config.KMSKeyArn).toBe(KMS_KEY_ARN);

    // The grep sees the Durable Objects' files: the function's name is there in clear.
    expect(filesContaining(server.stateDir, FUNCTION).some((path) => path.includes('FunctionRegistry'))).toBe(true);
    expect(filesContaining(server.stateDir, SECRET)).toEqual([]);
    expect(filesContaining(server.stateDir, NEXT_SECRET)).toEqual([]);

    await server.restart();
    expect(await secretSeen()).toEqual({ secret: NEXT_SECRET });
    expect(await secretSeen('1')).toEqual({ secret: SECRET });
    expect(filesContaining(server.stateDir, SECRET)).toEqual([]);
    expect(filesContaining(server.stateDir, NEXT_SECRET)).toEqual([]);
  });
});
