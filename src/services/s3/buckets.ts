// S3 bucket operations: names in the global S3BucketRegistry, each bucket's objects in R2 under
// s3/<account>/<bucket>/ (docs/S3.md). A bucket belongs to one account: another account's request
// is AccessDenied whatever it asks (no bucket policies).
import { s3BucketRegistry } from '../../bindings';
import type { Caller } from '../../function-names';
import type { BucketRecord } from '../../records/s3';
import { isValidBucketName } from '../../s3/bucket-names';
import { bucketAlreadyExists, bucketAlreadyOwnedByYou, bucketNotEmpty, invalidBucketName, noSuchBucket, s3AccessDenied } from '../../s3/errors';
import { deleteCodePrefix } from '../functions';
import { objectPrefix } from './objects';

/** The caller's bucket `name`: NoSuchBucket when there is none, AccessDenied when another account owns it. */
export async function ownedBucket(env: Env, caller: Caller, name: string): Promise<BucketRecord> {
  const bucket = isValidBucketName(name) ? await s3BucketRegistry(env).get(name) : undefined;
  if (!bucket) throw noSuchBucket(name);
  if (bucket.accountId !== caller.accountId) throw s3AccessDenied();
  return bucket;
}

/** CreateBucket: InvalidBucketName, BucketAlreadyOwnedByYou, BucketAlreadyExists as S3 answers them. */
export async function createBucket(env: Env, caller: Caller, name: string): Promise<BucketRecord> {
  if (!isValidBucketName(name)) throw invalidBucketName(name);
  const created = await s3BucketRegistry(env).create(name, caller.accountId, caller.region);
  if (created.ok) return created.value;
  throw created.error === 'owned-by-you' ? bucketAlreadyOwnedByYou(name) : bucketAlreadyExists(name);
}

/** DeleteBucket: only an empty bucket (BucketNotEmpty otherwise). */
export async function deleteBucket(env: Env, caller: Caller, name: string): Promise<void> {
  await ownedBucket(env, caller, name);
  const page = await env.CODE.list({ prefix: objectPrefix(caller.accountId, name), limit: 1 });
  if (page.objects.length > 0) throw bucketNotEmpty(name);
  await s3BucketRegistry(env).delete(name, caller.accountId);
}

/** ListBuckets: the caller's buckets, by name. */
export function listBuckets(env: Env, caller: Caller): Promise<BucketRecord[]> {
  return s3BucketRegistry(env).list(caller.accountId);
}

/** Account deletion's step: every bucket of `accountId`, names and objects (multipart uploads in progress expire in R2). */
export async function deleteAccountBuckets(env: Env, accountId: string): Promise<void> {
  await s3BucketRegistry(env).deleteAccount(accountId);
  await deleteCodePrefix(env.CODE, `s3/${accountId}/`);
}
