// End to end: the thumbnail example (README, "Walkthrough: thumbnails") on a real `wrangler dev`.
// The function (test/fixtures/functions/thumbnail.mjs, jpeg-js in its bundle, the AWS SDK
// preinstalled) gets S3's event record for an uploaded JPEG, invoked synchronously and
// asynchronously, and writes thumbnails/<key> into a real bucket; a corrupt image is an error.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
let lambda: LambdaClient;
let s3: S3Client;
let bucket: string;

const JPEG_JS = dirname(createRequire(import.meta.url).resolve('jpeg-js/package.json'));
/** The function's bundle: its handler and jpeg-js under node_modules; the SDK is not in it. */
const BUNDLE = {
  'index.mjs': readFileSync(join(import.meta.dirname, '..', 'fixtures', 'functions', 'thumbnail.mjs'), 'utf8'),
  ...Object.fromEntries(['package.json', 'index.js', 'lib/encoder.js', 'lib/decoder.js'].map((file) => [`node_modules/jpeg-js/${file}`, readFileSync(join(JPEG_JS, file), 'utf8')])),
};

/** A `width` x `height` JPEG of a colour gradient. */
function photo(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i % width) * 255 / width, Math.floor(i / width) * 255 / height, 128, 255], i * 4);
  return jpeg.encode({ width, height, data }, 90).data;
}

/** S3's event for an object created at `key` (URL-encoded with + for spaces, as S3 sends it). */
function s3Event(key: string, size: number) {
  return {
    Records: [{
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: server.region, eventTime: new Date().toISOString(), eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: server.accountId }, requestParameters: { sourceIPAddress: '127.0.0.1' }, responseElements: {},
      s3: {
        s3SchemaVersion: '1.0', configurationId: 'thumbnails',
        bucket: { name: bucket, ownerIdentity: { principalId: server.accountId }, arn: `arn:aws:s3:::${bucket}` },
        object: { key: encodeURIComponent(key).replace(/%20/g, '+'), size, eTag: '0', sequencer: '0' },
      },
    }],
  };
}

async function dimensionsOf(key: string): Promise<{ width: number; height: number }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  expect(object.ContentType).toBe('image/jpeg');
  const { width, height } = jpeg.decode(await object.Body!.transformToByteArray());
  return { width, height };
}

async function upload(key: string, body: Uint8Array): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'image/jpeg' }));
}

beforeAll(async () => {
  lambda = server.client(LambdaClient);
  s3 = server.client(S3Client, { forcePathStyle: true } as object);
  bucket = `uploads-${server.accountId}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'thumbnail', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Timeout: 60, MemorySize: 256, Code: { ZipFile: zipOf(BUNDLE) },
  }));
});

describe('the thumbnail function', () => {
  it('writes a 128-pixel-wide thumbnail of an uploaded photo, invoked synchronously with S3 event record', async () => {
    await upload('holiday photo.jpg', photo(320, 240));
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'thumbnail', Payload: JSON.stringify(s3Event('holiday photo.jpg', 1)) }));
    expect(answer.FunctionError, new TextDecoder().decode(answer.Payload)).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(answer.Payload))).toEqual({ thumbnails: [{ key: 'thumbnails/holiday photo.jpg', width: 128, height: 96 }] });
    expect(await dimensionsOf('thumbnails/holiday photo.jpg')).toEqual({ width: 128, height: 96 });
  });

  it('does the same invoked asynchronously, as an S3 notification invokes it', async () => {
    await upload('portrait.jpg', photo(200, 400));
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'thumbnail', InvocationType: 'Event', Payload: JSON.stringify(s3Event('portrait.jpg', 1)) }));
    expect(answer.StatusCode).toBe(202);
    let found = false;
    for (let attempt = 0; attempt < 60 && !found; attempt++) {
      found = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'thumbnails/portrait.jpg' })).then(() => true, () => false);
      if (!found) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(found).toBe(true);
    expect(await dimensionsOf('thumbnails/portrait.jpg')).toEqual({ width: 128, height: 256 });
  });

  it('fails on a corrupt image and writes no thumbnail', async () => {
    await upload('broken.jpg', new TextEncoder().encode('this is not a JPEG'));
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'thumbnail', Payload: JSON.stringify(s3Event('broken.jpg', 18)) }));
    expect(answer.FunctionError).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(answer.Payload))).toMatchObject({ errorType: 'Error', errorMessage: 'SOI not found' });
    await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'thumbnails/broken.jpg' }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});
