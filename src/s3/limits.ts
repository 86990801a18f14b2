// The S3 subset's bounds (docs/S3.md, "Limits"), with their units.

/**
 * The largest request body S3 takes here (a PutObject or an UploadPart, aws-chunked framing
 * included): 100 MiB, a Worker's request limit on Cloudflare's free and pro plans. Object bodies
 * are streamed to R2 (src/s3/payload.ts); larger objects go up in parts (the CLI's above 8 MB).
 */
export const S3_REQUEST_MAX_BYTES = 100 * 1024 * 1024;
/** Keys per DeleteObjects request, as S3. */
export const DELETE_OBJECTS_MAX_KEYS = 1000;
/** Keys per ListObjectsV2 page, as S3 (and R2's list). */
export const LIST_MAX_KEYS = 1000;
/** Part numbers of a multipart upload, as S3. */
export const PART_NUMBER_MAX = 10_000;
/** Longest key, in UTF-8 bytes, as S3. */
export const KEY_MAX_BYTES = 1024;
/** A presigned URL's longest X-Amz-Expires: 7 days, as S3. */
export const PRESIGNED_EXPIRES_MAX_SECONDS = 604_800;
