// S3's errors: the REST-XML error shape (`<Error><Code>..</Code><Message>..</Message>..</Error>`)
// with S3's codes, statuses and wording; rendered by src/protocols/rest-xml.ts. HEAD answers
// carry no body, as S3's.
import { AwsError } from '../errors';

/** An S3 error: `code` and `message` as S3 words them, `fields` the extra elements (Key, BucketName...). */
export class S3Error extends AwsError {
  constructor(status: number, code: string, message: string, readonly fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
    super(status, code, message, headers);
  }
}

export const noSuchBucket = (bucket: string) => new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
export const noSuchKey = (key: string) => new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
export const noSuchUpload = (uploadId: string) =>
  new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId });
export const invalidBucketName = (bucket: string) => new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
export const bucketNotEmpty = (bucket: string) => new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: bucket });
export const bucketAlreadyOwnedByYou = (bucket: string) =>
  new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket });
export const bucketAlreadyExists = (bucket: string) =>
  new S3Error(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { BucketName: bucket });
export const s3AccessDenied = (message = 'Access Denied') => new S3Error(403, 'AccessDenied', message);
export const invalidArgument = (message: string, name?: string, value?: string) =>
  new S3Error(400, 'InvalidArgument', message, name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' });
export const invalidRequest = (message: string) => new S3Error(400, 'InvalidRequest', message);
export const malformedXml = () => new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
export const invalidRange = (range: string, size: number) =>
  new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: range, ActualObjectSize: String(size) });
export const invalidPart = () =>
  new S3Error(400, 'InvalidPart', 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.');
export const invalidPartOrder = () => new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
export const entityTooSmall = () => new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
export const entityTooLarge = (maxBytes: number) =>
  new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { MaxSizeAllowed: String(maxBytes) });
export const badDigest = () => new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
export const invalidDigest = () => new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
export const xAmzContentSha256Mismatch = () =>
  new S3Error(400, 'XAmzContentSHA256Mismatch', 'The provided \'x-amz-content-sha256\' header does not match what was computed.');
export const notImplemented = (what: string) => new S3Error(501, 'NotImplemented', `A header or query you provided implies functionality that is not implemented: ${what}`);
export const methodNotAllowed = () => new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
export const slowDown = () => new S3Error(503, 'SlowDown', 'Please reduce your request rate.');
