// Function code and layer content read from faasbox's S3 (CreateFunction / UpdateFunctionCode with
// Code.S3Bucket and S3Key, PublishLayerVersion with Content.S3Bucket and S3Key): the caller's own
// bucket in the function's region, read only when IAM lets the caller s3:GetObject, every failure
// worded as Lambda words S3's.
import { s3BucketRegistry } from '../../bindings';
import { accessDenied, invalidParameter, LambdaError } from '../../errors';
import type { Caller } from '../../function-names';
import { AccessDeniedError } from '../../iam/access-denied';
import type { Principal } from '../../iam/principal';
import { isValidBucketName } from '../../s3/bucket-names';
import { S3Error } from '../../s3/errors';
import { authorize } from '../iam/authorize';
import { getObject } from './objects';

/** Where a package is in S3, as Lambda's Code and Content structures name it. */
export interface S3CodeLocation {
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
}

/** Whether `location` names an S3 object at all (any of its members given). */
export const namesS3Object = (location: S3CodeLocation) =>
  location.S3Bucket !== undefined || location.S3Key !== undefined || location.S3ObjectVersion !== undefined;

const getObjectFailed = (code: string, message: string) => invalidParameter(`Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${message}`);

/**
 * The bytes of the package at `location` (`structure`: `Code` or `Content`, for the messages),
 * at most `maxBytes` of them. Lambda's errors: S3Bucket and S3Key are both needed; S3ObjectVersion
 * only as `null` (faasbox's S3 keeps no versions); AccessDeniedException when IAM refuses the
 * caller s3:GetObject or the bucket is another account's; InvalidParameterValueException with
 * S3's code for a missing bucket or key or a bucket of another region.
 * @example await readCodeObject(env, caller, { S3Bucket: 'builds', S3Key: 'fn.zip' }, 'Code', 50 * 1024 * 1024)
 */
export async function readCodeObject(
  env: Env, caller: Caller & { principal: Principal }, location: S3CodeLocation, structure: 'Code' | 'Content', maxBytes: number, tooLarge: string,
): Promise<Uint8Array> {
  const { S3Bucket: bucketName, S3Key: key, S3ObjectVersion: version } = location;
  if (bucketName === undefined || bucketName === '' || key === undefined || key === '') {
    throw invalidParameter(`${structure}.S3Bucket and ${structure}.S3Key are both required to read the package from S3.`);
  }
  if (version !== undefined && version !== 'null') {
    throw invalidParameter(`faasbox's S3 keeps no object versions: ${structure}.S3ObjectVersion is not supported (leave it out, or give null).`);
  }
  const denied = () => accessDenied(`Your access has been denied by S3, please make sure your request credentials have permission to GetObject for ${bucketName}/${key}. S3 Error Code: AccessDenied. S3 Error Message: Access Denied`);
  try {
    await authorize(env, caller, { action: 's3:GetObject', resource: `arn:aws:s3:::${bucketName}/${key}` });
  } catch (error) {
    if (error instanceof AccessDeniedError) throw denied();
    throw error;
  }
  const bucket = isValidBucketName(bucketName) ? await s3BucketRegistry(env).get(bucketName) : undefined;
  if (!bucket) throw getObjectFailed('NoSuchBucket', 'The specified bucket does not exist');
  if (bucket.accountId !== caller.accountId) throw denied();
  if (bucket.region !== caller.region) throw getObjectFailed('PermanentRedirect', `The bucket is in this region: ${bucket.region}. Please use this region to retry the request`);
  let object: R2ObjectBody;
  try {
    object = await getObject(env, bucket, key);
  } catch (error) {
    if (error instanceof S3Error) throw getObjectFailed(error.code, error.message);
    throw error;
  }
  if (object.size > maxBytes) {
    await object.body.cancel();
    throw new LambdaError(413, 'RequestEntityTooLargeException', tooLarge);
  }
  return new Uint8Array(await object.arrayBuffer());
}
