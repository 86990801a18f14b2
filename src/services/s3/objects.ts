// S3 object operations on R2: each bucket's objects under s3/<account>/<bucket>/<key> in the CODE
// bucket, S3's metadata as R2's httpMetadata and customMetadata, multipart uploads as R2's own
// (whose ETags are S3's: MD5 hex for a part, md5 of the parts' md5s and "-N" for the whole).
import type { BucketRecord } from '../../records/s3';
import { preconditionFailed } from '../../s3/conditions';
import { badDigest, entityTooSmall, invalidPart, invalidPartOrder, noSuchKey, noSuchUpload, S3Error, xAmzContentSha256Mismatch } from '../../s3/errors';

/** Where bucket `bucket` of `accountId` keeps its objects in the CODE bucket. */
export const objectPrefix = (accountId: string, bucket: string) => `s3/${accountId}/${bucket}/`;

/** The metadata S3 stores with an object: R2's HTTP metadata and the x-amz-meta-* pairs (names lowercase). */
export interface ObjectMetadata {
  httpMetadata: R2HTTPMetadata;
  customMetadata: Record<string, string>;
}

const storageKey = (bucket: BucketRecord, key: string) => `${objectPrefix(bucket.accountId, bucket.name)}${key}`;

/**
 * S3's error for a failed R2 call: R2's messages end with its numeric code (`... (10024)`);
 * anything else is not the caller's and is thrown as it is.
 */
function r2Failure(error: unknown, context: { uploadId?: string } = {}): unknown {
  const code = error instanceof Error ? /\((\d{5,6})\)\s*$/.exec(error.message)?.[1] : undefined;
  switch (code) {
    case '10024': return noSuchUpload(context.uploadId ?? '');
    case '10025': return invalidPart();
    case '10011': return entityTooSmall();
    // R2's BadDigest names the hash it checked: a put's sha256 option is the signed x-amz-content-sha256.
    case '10037': return /SHA-256/.test((error as Error).message) ? xAmzContentSha256Mismatch() : badDigest();
    case '10012': return new S3Error(400, 'MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.');
    case '10048': return new S3Error(400, 'InvalidPart', 'All non-trailing parts must have the same length.');
    case '10007': return noSuchKey('');
    default: return error;
  }
}

/**
 * PutObject: stores `body` (a stream of known length or bytes), R2 checking it against `digests`
 * when given: Content-MD5 (BadDigest) and the signed hex SHA-256 (XAmzContentSHA256Mismatch),
 * and `condition` (PreconditionFailed when it does not hold).
 */
export async function putObject(
  env: Env, bucket: BucketRecord, key: string, body: ReadableStream | Uint8Array, metadata: ObjectMetadata, digests: { md5?: ArrayBuffer; sha256Hex?: string } = {},
  condition?: { onlyIf: Headers; condition: string },
): Promise<R2Object> {
  let stored: R2Object | null;
  try {
    stored = await env.CODE.put(storageKey(bucket, key), body, { ...metadata, md5: digests.md5, sha256: digests.sha256Hex, onlyIf: condition?.onlyIf });
  } catch (error) {
    throw r2Failure(error);
  }
  // R2 answers null when the write's condition did not hold (If-None-Match: * over an existing key...).
  if (!stored) throw preconditionFailed(condition?.condition ?? 'If-Match');
  return stored;
}

/** HeadObject: the object's metadata, or NoSuchKey. */
export async function headObject(env: Env, bucket: BucketRecord, key: string): Promise<R2Object> {
  const object = await env.CODE.head(storageKey(bucket, key));
  if (!object) throw noSuchKey(key);
  return object;
}

/** GetObject: the object with its body (only `range`'s bytes, when given), or NoSuchKey. */
export async function getObject(env: Env, bucket: BucketRecord, key: string, range?: { offset: number; length: number }): Promise<R2ObjectBody> {
  const object = await env.CODE.get(storageKey(bucket, key), range ? { range } : {});
  if (!object) throw noSuchKey(key);
  return object;
}

/** Which of `keys` name an object of `bucket` (one HEAD each, in parallel). */
export async function existingKeys(env: Env, bucket: BucketRecord, keys: readonly string[]): Promise<string[]> {
  const found = await Promise.all(keys.map(async (key) => ((await env.CODE.head(storageKey(bucket, key))) ? key : undefined)));
  return found.filter((key) => key !== undefined);
}

/** DeleteObject(s): deleting a key that does not exist succeeds, as S3. */
export async function deleteObjects(env: Env, bucket: BucketRecord, keys: string[]): Promise<void> {
  if (keys.length > 0) await env.CODE.delete(keys.map((key) => storageKey(bucket, key)));
}

/** CopyObject: `source`'s bytes under `target`, with the source's metadata or `replacement`. */
export async function copyObject(
  env: Env, source: { bucket: BucketRecord; key: string }, target: { bucket: BucketRecord; key: string }, replacement: ObjectMetadata | undefined,
): Promise<R2Object> {
  const object = await env.CODE.get(storageKey(source.bucket, source.key));
  if (!object) throw noSuchKey(source.key);
  const metadata = replacement ?? { httpMetadata: object.httpMetadata ?? {}, customMetadata: object.customMetadata ?? {} };
  return (await env.CODE.put(storageKey(target.bucket, target.key), await object.arrayBuffer(), metadata))!;
}

/** A listed object: its key in its bucket, size, quoted ETag and upload time. */
export interface ListedObject {
  key: string;
  size: number;
  httpEtag: string;
  uploaded: Date;
}

/** One page of a listing: keys (without the bucket's prefix), common prefixes, and the cursor of the next page. */
export interface ObjectPage {
  objects: ListedObject[];
  commonPrefixes: string[];
  cursor?: string;
}

/** ListObjects(V2): a page of the bucket's keys under `prefix`, grouped by `delimiter`, after `startAfter` or `cursor`. */
export async function listObjects(
  env: Env, bucket: BucketRecord, options: { prefix: string; delimiter?: string; cursor?: string; startAfter?: string; maxKeys: number },
): Promise<ObjectPage> {
  const base = objectPrefix(bucket.accountId, bucket.name);
  let page: R2Objects;
  try {
    page = await env.CODE.list({
      prefix: base + options.prefix, delimiter: options.delimiter || undefined, cursor: options.cursor,
      startAfter: options.startAfter === undefined ? undefined : base + options.startAfter, limit: options.maxKeys,
    });
  } catch {
    throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  }
  const strip = (key: string) => key.slice(base.length);
  return {
    objects: page.objects.map((o) => ({ key: strip(o.key), size: o.size, httpEtag: o.httpEtag, uploaded: o.uploaded })),
    commonPrefixes: page.delimitedPrefixes.map(strip),
    cursor: page.truncated ? page.cursor : undefined,
  };
}

/** CreateMultipartUpload: R2's upload id. */
export async function createMultipartUpload(env: Env, bucket: BucketRecord, key: string, metadata: ObjectMetadata): Promise<string> {
  return (await env.CODE.createMultipartUpload(storageKey(bucket, key), metadata)).uploadId;
}

/** UploadPart: the part's ETag (MD5 hex, unquoted). NoSuchUpload for an upload id R2 does not know. */
export async function uploadPart(env: Env, bucket: BucketRecord, key: string, uploadId: string, partNumber: number, body: ReadableStream | Uint8Array): Promise<string> {
  try {
    return (await env.CODE.resumeMultipartUpload(storageKey(bucket, key), uploadId).uploadPart(partNumber, body)).etag;
  } catch (error) {
    throw r2Failure(error, { uploadId });
  }
}

/** CompleteMultipartUpload: parts in ascending order (InvalidPartOrder), each uploaded with that ETag (InvalidPart). */
export async function completeMultipartUpload(
  env: Env, bucket: BucketRecord, key: string, uploadId: string, parts: { partNumber: number; etag: string }[],
): Promise<R2Object> {
  if (parts.length === 0) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  for (let i = 1; i < parts.length; i++) if (parts[i].partNumber <= parts[i - 1].partNumber) throw invalidPartOrder();
  try {
    return await env.CODE.resumeMultipartUpload(storageKey(bucket, key), uploadId).complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag.replace(/"/g, '') })));
  } catch (error) {
    throw r2Failure(error, { uploadId });
  }
}

/** AbortMultipartUpload: NoSuchUpload for an upload id R2 does not know. */
export async function abortMultipartUpload(env: Env, bucket: BucketRecord, key: string, uploadId: string): Promise<void> {
  try {
    await env.CODE.resumeMultipartUpload(storageKey(bucket, key), uploadId).abort();
  } catch (error) {
    throw r2Failure(error, { uploadId });
  }
}
