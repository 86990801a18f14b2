// The preinstalled AWS SDK (docs/SDK.md, "Costs"), inside workerd: the cold start of a function
// whose module imports @aws-sdk/client-s3 beside one that imports nothing, alternated in one run;
// the memory that cold start leaves and the smallest memory cap it runs in; and a warm GetObject
// through the SDK beside the same request made with the guest's plain fetch. The object store is a
// fixed in-Worker answer, so the figures are the guest's own work, not a network's.
import { it } from 'vitest';
import { EnvironmentPool, type EnvironmentSpec, type GuestCapabilities } from '../sandbox';
// @ts-expect-error plain JS helper shared with the HTTP benchmark
import { summarize, printTable, timeBatch as time } from './stats.mjs';

const MIB = 1024 * 1024;
const OBJECT = 'x'.repeat(1024);
const ENVIRONMENT = {
  AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'https://aws.faasbox.internal', AWS_ACCESS_KEY_ID: 'ASIABENCH', AWS_SECRET_ACCESS_KEY: 'bench-secret', AWS_SESSION_TOKEN: 'bench-token',
  NODE_PATH: '/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
};
const NOTHING = 'export const handler = async () => ({ ok: true });';
const IMPORTS_S3 = "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3'; const s3 = new S3Client({}); export const handler = async () => ({ ok: typeof GetObjectCommand === 'function' });";
const SDK_GET = "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3'; const s3 = new S3Client({}); export const handler = async () => (await (await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))).Body.transformToString()).length;";
const FETCH_GET = "export const handler = async () => (await (await fetch('https://aws.faasbox.internal/b/k')).text()).length;";

const capabilities: GuestCapabilities = {
  fetch: async () => new Response(OBJECT, { headers: { 'content-type': 'text/plain', etag: '"0123456789abcdef0123456789abcdef"', 'content-length': String(OBJECT.length), 'last-modified': new Date(0).toUTCString() } }),
  // As the invocation path hands it over (src/invoke/invoke-function.ts): the SDK's endpoint is served in process.
  internalOrigin: 'https://aws.faasbox.internal',
  maxFetchRequests: 1000,
  maxFetchBodyBytes: 16 * MIB,
};

function spec(key: string, source: string, memoryLimitBytes = 64 * MIB): EnvironmentSpec {
  return {
    environmentKey: key, files: { 'index.mjs': source }, handler: 'index.handler', runtime: 'nodejs22.x',
    memorySizeMb: 128, memoryLimitBytes, timeoutMs: 60_000, environmentVariables: ENVIRONMENT,
    functionName: 'bench', functionVersion: '$LATEST', logGroupName: '/aws/lambda/bench', region: 'us-east-1',
  };
}

const input = () => ({ requestId: crypto.randomUUID(), eventJson: '{}', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench' });

it('first import of @aws-sdk/client-s3 beside a function that imports nothing, and a warm GetObject', async () => {
  const pool = new EnvironmentPool({ budgetBytes: 512 * MIB });
  // One warm-up each: the isolate parses the preinstalled packages' document once (runtime-modules.ts).
  await pool.invoke(spec('warmup-s3', IMPORTS_S3), input(), capabilities);
  await pool.invoke(spec('warmup-nothing', NOTHING), input(), capabilities);
  const coldS3: number[] = [];
  const coldNothing: number[] = [];
  const initS3: number[] = [];
  const memory: number[] = [];
  for (let i = 0; i < 6; i++) {
    coldS3.push(await time(async () => {
      const report = await pool.invoke(spec(`cold-s3-${i}`, IMPORTS_S3), input(), capabilities);
      if (report.result.kind !== 'success') throw new Error(JSON.stringify(report.result));
      initS3.push(report.initDurationMs ?? 0);
      memory.push(report.maxMemoryUsedBytes / MIB);
    }));
    coldNothing.push(await time(() => pool.invoke(spec(`cold-nothing-${i}`, NOTHING), input(), capabilities)));
  }
  printTable('Cold start: a new environment whose module imports @aws-sdk/client-s3 and makes an S3Client (6 alternated)', [
    ['imports @aws-sdk/client-s3', summarize(coldS3)],
    ['imports nothing', summarize(coldNothing)],
  ]);
  console.log(`  init duration with client-s3: median ${summarize(initS3).median} ms; memory used after the cold start: median ${summarize(memory).median.toFixed(1)} MiB, max ${Math.max(...memory).toFixed(1)} MiB`);

  // The smallest WASM memory cap the cold start of client-s3 plus one GetObject runs in.
  for (const capMib of [16, 24]) {
    const report = await pool.invoke(spec(`cap-${capMib}`, SDK_GET, capMib * MIB), input(), capabilities);
    console.log(`  memory cap ${capMib} MiB: ${report.result.kind === 'success' ? 'runs' : `fails (${report.result.reason}: ${JSON.stringify(report.result.error).slice(0, 300)})`}, max memory used ${(report.maxMemoryUsedBytes / MIB).toFixed(1)} MiB`);
  }

  const sdkSpec = spec('warm-sdk-get', SDK_GET);
  const fetchSpec = spec('warm-fetch-get', FETCH_GET);
  for (const warmed of [await pool.invoke(sdkSpec, input(), capabilities), await pool.invoke(fetchSpec, input(), capabilities)]) {
    if (warmed.result.kind !== 'success') throw new Error(JSON.stringify(warmed.result));
  }
  const warmSdk: number[] = [];
  const warmFetch: number[] = [];
  for (let i = 0; i < 10; i++) {
    warmSdk.push(await time(() => pool.invoke(sdkSpec, input(), capabilities), 5));
    warmFetch.push(await time(() => pool.invoke(fetchSpec, input(), capabilities), 5));
  }
  printTable('Warm invocation: GetObject of 1 KB (10 alternated batches of 5)', [
    ['S3Client.send(GetObjectCommand) + transformToString', summarize(warmSdk)],
    ['plain fetch + text() of the same answer', summarize(warmFetch)],
  ]);
  pool.dispose();
});
