// The AWS SDK for JavaScript v3 preinstalled at /var/runtime/node_modules (docs/SDK.md): found by
// require and import without bundling, after the function's own node_modules and its layers', and
// configured from the environment as Lambda's runtime configures it. Calls to real services are
// test/e2e/aws-sdk.test.ts's.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool, type EnvironmentSpec } from '../../../sandbox';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const MIB = 1024 * 1024;
const pool = new EnvironmentPool({ budgetBytes: 512 * MIB });
afterAll(() => pool.dispose());

const ENVIRONMENT = {
  AWS_REGION: 'eu-west-3',
  AWS_ENDPOINT_URL: 'https://aws.faasbox.internal',
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEKEY000001',
  AWS_SECRET_ACCESS_KEY: 'secret-of-the-role',
  AWS_SESSION_TOKEN: 'session-token-of-the-role',
  NODE_PATH: '/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
};

async function invoke(files: Record<string, string>, overrides: Partial<EnvironmentSpec> = {}) {
  return pool.invoke(specFor(files, { memoryLimitBytes: 64 * MIB, environmentVariables: ENVIRONMENT, ...overrides }), inputFor({}), capabilities());
}

/** A handler that answers what a new client resolves without being told: region, endpoint, credentials. */
const RESOLVES_CONFIG = `
  const client = new S3Client({});
  const endpoint = await client.config.endpoint?.();
  const credentials = await client.config.credentials();
  return {
    name: S3Client.name,
    region: await client.config.region(),
    forcePathStyle: client.config.forcePathStyle,
    endpoint: endpoint && \`\${endpoint.protocol}//\${endpoint.hostname}\${endpoint.path}\`,
    credentials: [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken],
  };`;

const EXPECTED_CONFIG = {
  name: 'S3Client',
  region: 'eu-west-3',
  forcePathStyle: true,
  endpoint: 'https://aws.faasbox.internal/',
  credentials: ['ASIAEXAMPLEKEY000001', 'secret-of-the-role', 'session-token-of-the-role'],
};

describe('the preinstalled AWS SDK', () => {
  it('is imported with named exports from an ES module, configured from the environment', async () => {
    const report = await invoke({ 'index.mjs': `import { S3Client } from '@aws-sdk/client-s3'; export const handler = async () => {${RESOLVES_CONFIG} };` });
    expect(payloadOf(report)).toEqual(EXPECTED_CONFIG);
  });

  it('is required from CommonJS, and require.resolve names its /var/runtime path', async () => {
    const report = await invoke({
      'index.js': `const { S3Client } = require('@aws-sdk/client-s3'); exports.handler = async () => { const answer = await (async () => {${RESOLVES_CONFIG} })(); return { ...answer, path: require.resolve('@aws-sdk/client-s3') }; };`,
    });
    expect(payloadOf(report)).toEqual({ ...EXPECTED_CONFIG, path: '/var/runtime/node_modules/@aws-sdk/client-s3/index.js' });
  });

  it("keeps what the function's own configuration sets", async () => {
    const report = await invoke({
      'index.mjs': `import { SQSClient } from '@aws-sdk/client-sqs';
        export const handler = async () => {
          const client = new SQSClient({ region: 'ap-south-1', endpoint: 'https://sqs.example.com', credentials: { accessKeyId: 'AKIAOWN', secretAccessKey: 'own' } });
          const endpoint = await client.config.endpoint();
          return [await client.config.region(), endpoint.hostname, (await client.config.credentials()).accessKeyId];
        };`,
    });
    expect(payloadOf(report)).toEqual(['ap-south-1', 'sqs.example.com', 'AKIAOWN']);
  });

  it('reads AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL, as the SDK does', async () => {
    const report = await invoke(
      { 'index.mjs': "import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'; export const handler = async () => (await new CloudWatchLogsClient({}).config.endpoint()).hostname;" },
      { environmentVariables: { ...ENVIRONMENT, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'https://logs.example.com' } },
    );
    expect(payloadOf(report)).toBe('logs.example.com');
  });

  it('offers every preinstalled package', async () => {
    const report = await invoke({
      'index.js': `exports.handler = async () => [
        typeof require('@aws-sdk/client-sns').PublishCommand,
        typeof require('@aws-sdk/client-sqs').SendMessageCommand,
        typeof require('@aws-sdk/client-lambda').InvokeCommand,
        typeof require('@aws-sdk/client-cloudwatch-logs').PutLogEventsCommand,
        typeof require('@aws-sdk/lib-storage').Upload,
      ];`,
    });
    expect(payloadOf(report)).toEqual(['function', 'function', 'function', 'function', 'function']);
  });

  it("loses to the function's own copy in its node_modules, and to a layer's", async () => {
    const own = { 'node_modules/@aws-sdk/client-s3/index.js': "exports.S3Client = class S3Client { static origin = 'bundle'; };" };
    const report = await invoke({ 'index.js': "exports.handler = async () => [require('@aws-sdk/client-s3').S3Client.origin, require.resolve('@aws-sdk/client-s3')];", ...own });
    expect(payloadOf(report)).toEqual(['bundle', '/var/task/node_modules/@aws-sdk/client-s3/index.js']);
    const layered = await invoke(
      { 'index.mjs': "import sdk from '@aws-sdk/client-s3'; export const handler = async () => sdk.S3Client.origin;" },
      { layerFiles: [{ 'nodejs/node_modules/@aws-sdk/client-s3/index.js': "exports.S3Client = class S3Client { static origin = 'layer'; };" }] },
    );
    expect(payloadOf(layered)).toBe('layer');
  });

  it('is not found when the function sets a NODE_PATH without /var/runtime/node_modules, as in Lambda', async () => {
    const report = await invoke(
      { 'index.js': "exports.handler = async () => require('@aws-sdk/client-s3');" },
      { environmentVariables: { ...ENVIRONMENT, NODE_PATH: '/var/task/lib' } },
    );
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'function-error', error: { errorType: 'Error', errorMessage: expect.stringContaining("Cannot find module '@aws-sdk/client-s3'") } });
  });
});
