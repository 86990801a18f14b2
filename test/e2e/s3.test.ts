// End to end: the S3 subset on a real `wrangler dev` (docs/S3.md), driven unchanged by
// @aws-sdk/client-s3 (forcePathStyle), boto3 (one process) and Debian's AWS CLI v2 2.9: buckets,
// objects with metadata, ranges, copies, listings, a 20 MB multipart `aws s3 cp`, and presigned URLs
// fetched with curl.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand,
  ListBucketsCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { useDevServer } from './support/harness';

const server = useDevServer({ shared: true });
let s3: S3Client;
/** Bucket names are global: this file's carry its account id. */
const bucket = (name: string) => `${name}-${server.accountId}`;

beforeAll(() => {
  s3 = server.client(S3Client, { forcePathStyle: true } as object);
});

describe('@aws-sdk/client-s3', () => {
  it('creates a bucket, puts, gets with a range, copies, lists, deletes', async () => {
    const name = bucket('sdk');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(name);
    const put = await s3.send(new PutObjectCommand({ Bucket: name, Key: 'dir/a b+c.txt', Body: 'hello from the SDK', ContentType: 'text/plain', Metadata: { colour: 'blue' } }));
    expect(put.ETag).toBe(`"${createHash('md5').update('hello from the SDK').digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: name, Key: 'dir/a b+c.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello from the SDK');
    expect(got.ContentType).toBe('text/plain');
    expect(got.Metadata).toEqual({ colour: 'blue' });
    const ranged = await s3.send(new GetObjectCommand({ Bucket: name, Key: 'dir/a b+c.txt', Range: 'bytes=6-9' }));
    expect(await ranged.Body!.transformToString()).toBe('from');
    expect(ranged.ContentRange).toBe('bytes 6-9/18');
    await s3.send(new CopyObjectCommand({ Bucket: name, Key: 'copy.txt', CopySource: `${name}/${encodeURIComponent('dir/a b+c.txt')}` }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: name, Key: 'copy.txt' }))).Metadata).toEqual({ colour: 'blue' });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: name, Delimiter: '/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['copy.txt']);
    expect(listed.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/']);
    await expect(s3.send(new GetObjectCommand({ Bucket: name, Key: 'missing' }))).rejects.toBeInstanceOf(NoSuchKey);
    const notEmpty = await s3.send(new DeleteBucketCommand({ Bucket: name })).catch((e: S3ServiceException) => e);
    expect((notEmpty as S3ServiceException).name).toBe('BucketNotEmpty');
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: [{ Key: 'dir/a b+c.txt' }, { Key: 'copy.txt' }] } }));
    expect(deleted.Deleted).toHaveLength(2);
    await s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'already-gone' }));
    await s3.send(new DeleteBucketCommand({ Bucket: name }));
  });

  it('uploads a streamed body (aws-chunked with a checksum trailer)', async () => {
    const name = bucket('sdk-stream');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    const body = Readable.from([Buffer.from('streamed '), Buffer.from('body')]);
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'stream.txt', Body: body, ContentLength: 13 }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: name, Key: 'stream.txt' }))).Body!.transformToString()).toBe('streamed body');
  });
});

describe('boto3', () => {
  it('runs buckets, objects, listing pages, multipart and presigned URLs in one process', async () => {
    const name = bucket('boto3');
    const script = `
import boto3, json, sys, urllib.request
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}))
name = sys.argv[2]
out = {}
s3.create_bucket(Bucket=name)
try:
    s3.create_bucket(Bucket=name)
except s3.exceptions.BucketAlreadyOwnedByYou:
    out['again'] = 'BucketAlreadyOwnedByYou'
for i in range(5):
    s3.put_object(Bucket=name, Key=f'k/{i}', Body=f'v{i}'.encode(), Metadata={'n': str(i)})
pages = s3.get_paginator('list_objects_v2').paginate(Bucket=name, Prefix='k/', PaginationConfig={'PageSize': 2})
out['keys'] = [o['Key'] for p in pages for o in p.get('Contents', [])]
out['head'] = s3.head_object(Bucket=name, Key='k/3')['Metadata']
up = s3.create_multipart_upload(Bucket=name, Key='big')
parts = []
for n, data in [(1, b'a' * (5 * 1024 * 1024)), (2, b'b' * 10)]:
    parts.append({'PartNumber': n, 'ETag': s3.upload_part(Bucket=name, Key='big', UploadId=up['UploadId'], PartNumber=n, Body=data)['ETag']})
done = s3.complete_multipart_upload(Bucket=name, Key='big', UploadId=up['UploadId'], MultipartUpload={'Parts': parts})
out['multipartETag'] = done['ETag']
out['size'] = s3.head_object(Bucket=name, Key='big')['ContentLength']
url = s3.generate_presigned_url('get_object', Params={'Bucket': name, 'Key': 'k/1'}, ExpiresIn=60)
out['presigned'] = urllib.request.urlopen(url).read().decode()
put_url = s3.generate_presigned_url('put_object', Params={'Bucket': name, 'Key': 'via-url'}, ExpiresIn=60)
urllib.request.urlopen(urllib.request.Request(put_url, data=b'put by url', method='PUT'))
out['presignedPut'] = s3.get_object(Bucket=name, Key='via-url')['Body'].read().decode()
try:
    s3.get_object(Bucket=name, Key='nope')
except s3.exceptions.NoSuchKey as e:
    out['missing'] = e.response['Error']['Code']
print(json.dumps(out))
`;
    const out = JSON.parse(server.boto3(script, server.endpoint, name));
    const md5 = (data: Buffer) => createHash('md5').update(data).digest();
    const expected = `"${createHash('md5').update(Buffer.concat([md5(Buffer.alloc(5 * 1024 * 1024, 'a')), md5(Buffer.alloc(10, 'b'))])).digest('hex')}-2"`;
    expect(out).toEqual({
      again: 'BucketAlreadyOwnedByYou', keys: ['k/0', 'k/1', 'k/2', 'k/3', 'k/4'], head: { n: '3' }, multipartETag: expected, size: 5 * 1024 * 1024 + 10,
      presigned: 'v1', presignedPut: 'put by url', missing: 'NoSuchKey',
    });
  });
});

describe("boto3's default presigned URLs (Signature Version 2)", () => {
  it('presigns GET, HEAD and PUT as boto3 does by default, fetched with urllib and curl', async () => {
    const name = bucket('boto3-v2');
    const script = `
import boto3, json, sys, urllib.request
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], config=Config(s3={'addressing_style': 'path'}))
name = sys.argv[2]
s3.create_bucket(Bucket=name)
s3.put_object(Bucket=name, Key='dir/a b.txt', Body=b'presigned by v2', ContentType='text/plain')
out = {}
get_url = s3.generate_presigned_url('get_object', Params={'Bucket': name, 'Key': 'dir/a b.txt'}, ExpiresIn=300)
out['v2'] = 'AWSAccessKeyId=' in get_url and 'X-Amz-Algorithm' not in get_url
out['get'] = urllib.request.urlopen(get_url).read().decode()
head_url = s3.generate_presigned_url('head_object', Params={'Bucket': name, 'Key': 'dir/a b.txt'}, ExpiresIn=300)
out['head'] = urllib.request.urlopen(urllib.request.Request(head_url, method='HEAD')).headers['Content-Length']
put_url = s3.generate_presigned_url('put_object', Params={'Bucket': name, 'Key': 'up.txt'}, ExpiresIn=300)
# SigV2 signs Content-Type: urllib would send its form type unless told none.
urllib.request.urlopen(urllib.request.Request(put_url, data=b'put by v2 url', method='PUT', headers={'Content-Type': ''}))
out['put'] = s3.get_object(Bucket=name, Key='up.txt')['Body'].read().decode()
typed_url = s3.generate_presigned_url('get_object', Params={'Bucket': name, 'Key': 'up.txt', 'ResponseContentType': 'application/x-test'}, ExpiresIn=300)
out['overridden'] = urllib.request.urlopen(typed_url).headers['Content-Type']
urls = {'get': get_url, 'curlPut': s3.generate_presigned_url('put_object', Params={'Bucket': name, 'Key': 'by-curl.txt'}, ExpiresIn=300),
        'curlGet': s3.generate_presigned_url('get_object', Params={'Bucket': name, 'Key': 'by-curl.txt'}, ExpiresIn=300)}
print(json.dumps({'out': out, 'urls': urls}))
`;
    const { out, urls } = JSON.parse(server.boto3(script, server.endpoint, name));
    expect(out).toEqual({ v2: true, get: 'presigned by v2', head: '15', put: 'put by v2 url', overridden: 'application/x-test' });
    const curl = (...args: string[]) => execFileSync('curl', ['-sS', ...args], { encoding: 'utf8', cwd: server.workDir });
    expect(curl('--fail', urls.get)).toBe('presigned by v2');
    writeFileSync(join(server.workDir, 'by-curl.txt'), 'uploaded by curl');
    expect(curl('-o', '/dev/null', '-w', '%{http_code}', '-T', 'by-curl.txt', urls.curlPut)).toBe('200');
    expect(curl('--fail', urls.curlGet)).toBe('uploaded by curl');
    expect(curl('-o', '/dev/null', '-w', '%{http_code}', urls.get.replace('a%20b.txt', 'by-curl.txt'))).toBe('403');
  });
});

describe('AWS CLI v2', () => {
  it('mb, cp of a 20 MB file (multipart), ls, presign fetched with curl, rm', async () => {
    const name = bucket('cli');
    const file = join(server.workDir, 'twenty.bin');
    const data = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
    writeFileSync(file, data);
    expect(server.aws('s3', 'mb', `s3://${name}`)).toContain(`make_bucket: ${name}`);
    server.aws('s3', 'cp', file, `s3://${name}/twenty.bin`);
    const listing = server.aws('s3', 'ls', `s3://${name}/`);
    expect(listing).toMatch(/20971520 twenty\.bin/);
    const url = server.aws('s3', 'presign', `s3://${name}/twenty.bin`, '--expires-in', '60').trim();
    // curl, as a user would (and a connection of its own: the SDK's pooled ones may have idled out during the copies).
    const fetched = execFileSync('curl', ['-sS', '--fail', url], { maxBuffer: 64 * 1024 * 1024 });
    expect(fetched.equals(readFileSync(file))).toBe(true);
    expect(server.aws('s3', 'rm', `s3://${name}/twenty.bin`)).toContain('delete:');
    server.aws('s3', 'rb', `s3://${name}`);
  }, 120_000);
});
