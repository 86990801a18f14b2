// S3's REST-XML API, path style at the faasbox origin (docs/S3.md): `/` (ListBuckets),
// `/<bucket>` and `/<bucket>/<key>`, the operation picked by method, sub-resource query and
// headers; each asks IAM for its action on arn:aws:s3:::<bucket>[/<key>], then runs against the
// caller's own bucket. Writes and deletes then queue the bucket's event notifications
// (services/s3/notifications.ts) before they answer. Errors are S3's `<Error>` documents (none for HEAD).
import type { Context } from 'hono';
import type { AuthenticatedCaller } from '../../auth/authenticate';
import { clientAddress } from '../../auth/client-address';
import type { ThrottledError } from '../../auth/rate-limits';
import { authenticateS3, S3_SIGNING_NAME } from '../../auth/s3-signature';
import type { SignedRequestError } from '../../auth/sigv4';
import { checkAccess } from '../../protocols/operation-access';
import type { AppContext } from '../../protocols/request-context';
import { renderS3Error } from '../../protocols/rest-xml';
import type { SignedDestination } from '../../protocols/signed-request';
import type { BucketRecord } from '../../records/s3';
import {
  entityTooLarge, invalidArgument, invalidDigest, invalidRange, invalidRequest, malformedXml, methodNotAllowed, notImplemented, S3Error,
  s3AccessDenied, slowDown,
} from '../../s3/errors';
import { DELETE_OBJECTS_MAX_KEYS, KEY_MAX_BYTES, LIST_MAX_KEYS, PART_NUMBER_MAX, S3_REQUEST_MAX_BYTES } from '../../s3/limits';
import { xmlBlocks, xmlDocument, xmlTexts, type XmlElement } from '../../s3/xml';
import type { StreamedPayload } from '../../s3/payload';
import { s3Address } from '../../s3/addressing';
import { hasReadConditions, readConditionOutcome, writeConditions } from '../../s3/conditions';
import { readConfig } from '../../config';
import { enqueueEvent } from '../../invoke/async-events';
import type { Principal } from '../../iam/principal';
import { notificationConfigurationDocument, type ObjectEvent, type ObjectEventName } from '../../s3/notifications';
import { createBucket, deleteBucket, listBuckets, ownedBucket } from '../../services/s3/buckets';
import { keysToNotify, nextSequencer, notifyObjectEvents, putNotificationConfiguration } from '../../services/s3/notifications';
import type { EnqueueEvent } from '../../services/topics/publish';
import {
  abortMultipartUpload, completeMultipartUpload, copyObject, createMultipartUpload, deleteObjects, getObject, headObject, listObjects, putObject,
  uploadPart, type ObjectMetadata,
} from '../../services/s3/objects';

/** Where S3 requests go as far as the signature is concerned: S3's own SigV4 rules, bound and refusals. */
export const S3_DESTINATION: SignedDestination = {
  service: S3_SIGNING_NAME,
  maxBodyBytes: S3_REQUEST_MAX_BYTES,
  authenticate: authenticateS3,
  refuse: (error, c) => renderS3Error(s3Refusal(error), c.get('requestId'), c.req.method),
  throttle: (_error: ThrottledError, c) => renderS3Error(slowDown(), c.get('requestId'), c.req.method),
};

/** A refusal of the signed door in S3's codes and words. */
function s3Refusal(error: SignedRequestError): S3Error {
  switch (error.queryCode) {
    case 'SignatureDoesNotMatch':
      if (/^Signature (expired|not yet current)/.test(error.message)) return new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
      if (/^Credential should be scoped/.test(error.message)) return new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${error.message.trim()}`);
      return new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    case 'InvalidClientTokenId': return new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    case 'ExpiredToken': return new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
    case 'RequestEntityTooLarge': return entityTooLarge(S3_REQUEST_MAX_BYTES);
    case 'MissingAuthenticationToken': return s3AccessDenied();
    default: return new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${error.message}`);
  }
}

/** One authenticated S3 request: its bucket and key (path style), query, and who signed it. */
interface S3Request {
  c: Context<AppContext>;
  caller: AuthenticatedCaller;
  method: string;
  bucket: string;
  key: string;
  query: URLSearchParams;
}

const XML = { 'content-type': 'application/xml' };
/** Sub-resources S3 has that this subset does not: 501 NotImplemented rather than a wrong answer. */
const UNSUPPORTED_SUBRESOURCES = [
  'acl', 'tagging', 'versioning', 'versions', 'policy', 'cors', 'lifecycle', 'website', 'replication', 'encryption',
  'logging', 'object-lock', 'retention', 'legal-hold', 'torrent', 'restore', 'select', 'attributes', 'accelerate', 'analytics',
  'inventory', 'metrics', 'ownershipControls', 'publicAccessBlock', 'requestPayment', 'intelligent-tiering',
];

/** Serves an authenticated S3 request (the signed door ran before: caller and body are set). */
export async function serveS3(c: Context<AppContext>): Promise<Response> {
  const requestId = c.get('requestId');
  try {
    const url = new URL(c.req.url);
    const address = s3Address(url, readConfig(c.env).s3Domain);
    const request: S3Request = {
      c, caller: c.get('caller'), method: c.req.method, bucket: address.bucket, key: decodeURIComponent(address.rawKey), query: url.searchParams,
    };
    const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => request.query.has(name));
    if (unsupported) throw notImplemented(`?${unsupported}`);
    const response = request.bucket === '' ? await serviceOperation(request) : request.key === '' ? await bucketOperation(request) : await objectOperation(request);
    response.headers.set('x-amz-request-id', requestId);
    response.headers.set('x-amz-id-2', requestId);
    return response;
  } catch (error) {
    if (error instanceof S3Error) return renderS3Error(error, requestId, c.req.method);
    throw error;
  }
}

/** Asks IAM whether the caller may `action` on bucket `bucket` (and `key`); S3's AccessDenied otherwise. */
async function allow(request: S3Request, action: string, key?: string): Promise<void> {
  const resource = request.bucket === '' ? '*' : `arn:aws:s3:::${request.bucket}${key === undefined ? '' : `/${key}`}`;
  await checkAccess(request.c.env, request.caller, { action: `s3:${action}`, resource }, (message) => s3AccessDenied(message));
}

async function serviceOperation(request: S3Request): Promise<Response> {
  if (request.method !== 'GET') throw methodNotAllowed();
  await allow(request, 'ListAllMyBuckets');
  const buckets = await listBuckets(request.c.env, request.caller);
  return xml(200, 'ListAllMyBucketsResult', {
    Owner: owner(request.caller),
    Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAtMs).toISOString() })) },
  });
}

const owner = (caller: AuthenticatedCaller): XmlElement => ({ ID: caller.accountId, DisplayName: caller.accountId });

async function bucketOperation(request: S3Request): Promise<Response> {
  const { c, caller, bucket, query } = request;
  // ?notification is read (GET) and replaced (PUT), never deleted or posted: no other operation may run in its place.
  if (query.has('notification') && request.method !== 'GET' && request.method !== 'PUT') throw methodNotAllowed();
  switch (request.method) {
    case 'PUT': {
      if (query.has('notification')) return putNotificationOperation(request);
      await allow(request, 'CreateBucket');
      const constraint = xmlTexts(new TextDecoder().decode(c.get('body')), 'LocationConstraint')[0];
      if (constraint !== undefined && constraint !== '' && constraint !== caller.region) {
        throw new S3Error(400, 'IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
      }
      if (constraint === 'us-east-1') throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', { LocationConstraint: constraint });
      await createBucket(c.env, caller, bucket);
      return new Response(null, { status: 200, headers: { Location: `/${bucket}` } });
    }
    case 'HEAD': {
      await allow(request, 'ListBucket');
      const record = await ownedBucket(c.env, caller, bucket);
      return new Response(null, { status: 200, headers: { 'x-amz-bucket-region': record.region } });
    }
    case 'DELETE':
      await allow(request, 'DeleteBucket');
      await deleteBucket(c.env, caller, bucket);
      return new Response(null, { status: 204 });
    case 'POST':
      if (!query.has('delete')) throw methodNotAllowed();
      return deleteObjectsOperation(request);
    case 'GET':
      if (query.has('notification')) {
        await allow(request, 'GetBucketNotification');
        const record = await ownedBucket(c.env, caller, bucket);
        return new Response(notificationConfigurationDocument(record.notifications ?? []), { headers: XML });
      }
      if (query.has('location')) {
        await allow(request, 'GetBucketLocation');
        const record = await ownedBucket(c.env, caller, bucket);
        return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${record.region === 'us-east-1' ? '' : record.region}</LocationConstraint>`, { headers: XML });
      }
      if (query.has('uploads')) throw notImplemented('ListMultipartUploads');
      return listObjectsOperation(request);
    default:
      throw methodNotAllowed();
  }
}

async function listObjectsOperation(request: S3Request): Promise<Response> {
  const { c, caller, bucket, query } = request;
  await allow(request, 'ListBucket');
  const record = await ownedBucket(c.env, caller, bucket);
  const v2 = query.get('list-type') === '2';
  const maxKeysText = query.get('max-keys') ?? String(LIST_MAX_KEYS);
  if (!/^\d+$/.test(maxKeysText)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', maxKeysText);
  const maxKeys = Math.min(Number(maxKeysText), LIST_MAX_KEYS);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const encode = query.get('encoding-type') === 'url' ? (text: string) => encodeURIComponent(text).replace(/%2F/g, '/') : (text: string) => text;
  if (query.has('encoding-type') && query.get('encoding-type') !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', query.get('encoding-type')!);
  const continuationToken = v2 ? (query.get('continuation-token') ?? undefined) : undefined;
  const startAfter = (v2 ? query.get('start-after') : query.get('marker')) ?? undefined;
  const page = maxKeys === 0
    ? { objects: [], commonPrefixes: [], cursor: undefined }
    : await listObjects(c.env, record, { prefix, delimiter, cursor: continuationToken, startAfter: continuationToken ? undefined : startAfter || undefined, maxKeys });
  const contents = page.objects.map((o) => ({
    Key: encode(o.key), LastModified: o.uploaded.toISOString(), ETag: o.httpEtag, Size: o.size, StorageClass: 'STANDARD',
    ...(v2 && query.get('fetch-owner') !== 'true' ? {} : { Owner: owner(caller) }),
  }));
  const commonPrefixes = page.commonPrefixes.map((p) => ({ Prefix: encode(p) }));
  const truncated = page.cursor !== undefined;
  const last = [...page.objects.map((o) => o.key), ...page.commonPrefixes].sort().pop();
  const element: XmlElement = v2
    ? {
      Name: bucket, Prefix: encode(prefix), ...(delimiter ? { Delimiter: encode(delimiter) } : {}), MaxKeys: maxKeys, ...(query.get('encoding-type') ? { EncodingType: 'url' } : {}),
      KeyCount: contents.length + commonPrefixes.length, IsTruncated: truncated,
      ...(continuationToken ? { ContinuationToken: continuationToken } : {}), ...(truncated ? { NextContinuationToken: page.cursor } : {}),
      ...(startAfter ? { StartAfter: encode(startAfter) } : {}), Contents: contents, CommonPrefixes: commonPrefixes,
    }
    : {
      Name: bucket, Prefix: encode(prefix), Marker: encode(startAfter ?? ''), ...(truncated && delimiter && last ? { NextMarker: encode(last) } : {}),
      MaxKeys: maxKeys, ...(delimiter ? { Delimiter: encode(delimiter) } : {}), ...(query.get('encoding-type') ? { EncodingType: 'url' } : {}),
      IsTruncated: truncated, Contents: contents, CommonPrefixes: commonPrefixes,
    };
  return xml(200, 'ListBucketResult', element);
}

async function deleteObjectsOperation(request: S3Request): Promise<Response> {
  const { c, caller, bucket } = request;
  const document = new TextDecoder().decode(c.get('body'));
  const root = xmlBlocks(document, 'Delete')[0];
  if (root === undefined) throw malformedXml();
  const keys = xmlBlocks(root, 'Object').map((o) => xmlTexts(o, 'Key')[0]);
  if (keys.length === 0 || keys.length > DELETE_OBJECTS_MAX_KEYS || keys.some((k) => k === undefined)) throw malformedXml();
  const quiet = xmlTexts(root, 'Quiet')[0]?.trim().toLowerCase() === 'true';
  const record = await ownedBucket(c.env, caller, bucket);
  const deleted: string[] = [];
  const errors: XmlElement[] = [];
  for (const key of keys as string[]) {
    try {
      await allow(request, 'DeleteObject', key);
      deleted.push(key);
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      errors.push({ Key: key, Code: error.code, Message: error.message });
    }
  }
  const removed = await keysToNotify(c.env, record, 'ObjectRemoved:Delete', deleted);
  await deleteObjects(c.env, record, deleted);
  await notify(request, record, removed.map((key) => ({ eventName: 'ObjectRemoved:Delete', key })));
  return xml(200, 'DeleteResult', { Deleted: quiet ? [] : deleted.map((Key) => ({ Key })), Error: errors });
}

async function objectOperation(request: S3Request): Promise<Response> {
  const { c, caller, bucket, key, query, method } = request;
  if (new TextEncoder().encode(key).byteLength > KEY_MAX_BYTES) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long');
  if (query.has('notification')) throw notImplemented('?notification on an object');
  const uploadId = query.get('uploadId') ?? undefined;
  switch (method) {
    case 'GET':
    case 'HEAD': {
      if (uploadId !== undefined) throw notImplemented('ListParts');
      await allow(request, 'GetObject', key);
      const record = await ownedBucket(c.env, caller, bucket);
      if (hasReadConditions(c.req.raw.headers)) {
        const head = await headObject(c.env, record, key);
        if (readConditionOutcome(c.req.raw.headers, head) === 304) return notModified(head);
        if (method === 'HEAD') return objectResponse(head, query, null);
      }
      return method === 'HEAD' ? objectResponse(await headObject(c.env, record, key), query, null) : getObjectOperation(request, record);
    }
    case 'PUT': {
      await allow(request, 'PutObject', key);
      const record = await ownedBucket(c.env, caller, bucket);
      const copySource = c.req.header('x-amz-copy-source');
      if (uploadId !== undefined) {
        const partNumber = Number(query.get('partNumber'));
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > PART_NUMBER_MAX) {
          throw invalidArgument(`Part number must be an integer between 1 and ${PART_NUMBER_MAX}, inclusive`, 'partNumber', query.get('partNumber') ?? '');
        }
        if (copySource !== undefined) return uploadPartCopyOperation(request, record, uploadId, partNumber, copySource);
        const payload = streamedPayloadOf(c);
        const etag = await storing(payload, () => uploadPart(c.env, record, key, uploadId, partNumber, payload.open({ sha256Here: true, md5: contentMd5(c) })));
        return new Response(null, { status: 200, headers: { ETag: `"${etag}"`, ...checksumHeaders(payload) } });
      }
      if (copySource !== undefined) return copyObjectOperation(request, record, copySource);
      const payload = streamedPayloadOf(c);
      const md5 = contentMd5(c);
      // R2's put checks one hash: Content-MD5 when sent (the stream then checks the signed SHA-256), else the SHA-256.
      const body = payload.open({ sha256Here: md5 !== undefined });
      const object = await storing(payload, () => putObject(c.env, record, key, body, metadataOf(c), md5 ? { md5 } : { sha256Hex: payload.sha256Hex }, writeConditions(c.req.raw.headers)));
      await notify(request, record, [{ eventName: 'ObjectCreated:Put', key, object }]);
      return new Response(null, { status: 200, headers: { ETag: object.httpEtag, ...checksumHeaders(payload) } });
    }
    case 'POST': {
      await allow(request, 'PutObject', key);
      const record = await ownedBucket(c.env, caller, bucket);
      if (query.has('uploads')) {
        const id = await createMultipartUpload(c.env, record, key, metadataOf(c));
        return xml(200, 'InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: id });
      }
      if (uploadId === undefined) throw methodNotAllowed();
      const document = xmlBlocks(new TextDecoder().decode(c.get('body')), 'CompleteMultipartUpload')[0];
      if (document === undefined) throw malformedXml();
      const parts = xmlBlocks(document, 'Part').map((part) => ({ partNumber: Number(xmlTexts(part, 'PartNumber')[0]), etag: xmlTexts(part, 'ETag')[0] ?? '' }));
      if (parts.some((p) => !Number.isInteger(p.partNumber))) throw malformedXml();
      const object = await completeMultipartUpload(c.env, record, key, uploadId, parts);
      await notify(request, record, [{ eventName: 'ObjectCreated:CompleteMultipartUpload', key, object }]);
      return xml(200, 'CompleteMultipartUploadResult', { Location: `${new URL(c.req.url).origin}/${bucket}/${encodeURI(key)}`, Bucket: bucket, Key: key, ETag: object.httpEtag });
    }
    case 'DELETE': {
      await allow(request, uploadId === undefined ? 'DeleteObject' : 'AbortMultipartUpload', key);
      const record = await ownedBucket(c.env, caller, bucket);
      if (uploadId !== undefined) {
        await abortMultipartUpload(c.env, record, key, uploadId);
      } else {
        const removed = await keysToNotify(c.env, record, 'ObjectRemoved:Delete', [key]);
        await deleteObjects(c.env, record, [key]);
        await notify(request, record, removed.map((k) => ({ eventName: 'ObjectRemoved:Delete', key: k })));
      }
      return new Response(null, { status: 204 });
    }
    default:
      throw methodNotAllowed();
  }
}

async function getObjectOperation(request: S3Request, record: BucketRecord): Promise<Response> {
  const { c, key, query } = request;
  const rangeHeader = c.req.header('range');
  const range = rangeHeader === undefined ? undefined : parseRange(rangeHeader);
  if (!range) return objectResponse(await getObject(c.env, record, key), query, undefined);
  const size = (await headObject(c.env, record, key)).size;
  const start = range.suffix !== undefined ? Math.max(0, size - range.suffix) : range.start!;
  const end = range.suffix !== undefined ? size - 1 : Math.min(range.end ?? size - 1, size - 1);
  if (size === 0 || start >= size || (range.suffix !== undefined && range.suffix === 0)) throw invalidRange(rangeHeader!, size);
  const object = await getObject(c.env, record, key, { offset: start, length: end - start + 1 });
  return objectResponse(object, query, { start, end, size });
}

/** 304 Not Modified, as S3 answers it: no body, the object's ETag and Last-Modified. */
function notModified(object: R2Object): Response {
  return new Response(null, { status: 304, headers: { ETag: object.httpEtag, 'Last-Modified': object.uploaded.toUTCString() } });
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n`; undefined for anything else (S3 then sends the whole object). */
function parseRange(header: string): { start?: number; end?: number; suffix?: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  const end = m[2] === '' ? undefined : Number(m[2]);
  if (end !== undefined && end < start) return undefined;
  return { start, end };
}

/** GetObject's query overrides of response headers (presigned URLs use them). */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type', 'response-content-language': 'content-language', 'response-expires': 'expires',
  'response-cache-control': 'cache-control', 'response-content-disposition': 'content-disposition', 'response-content-encoding': 'content-encoding',
};

/**
 * An object's answer: its metadata as headers and, for GetObject, its body (206 with
 * Content-Range for a range). `body` null: HEAD; undefined: the whole object.
 */
function objectResponse(object: R2Object | R2ObjectBody, query: URLSearchParams, range: { start: number; end: number; size: number } | null | undefined): Response {
  const headers = new Headers({ ETag: object.httpEtag, 'Last-Modified': object.uploaded.toUTCString(), 'Accept-Ranges': 'bytes' });
  const meta = object.httpMetadata ?? {};
  headers.set('Content-Type', meta.contentType ?? 'binary/octet-stream');
  if (meta.contentEncoding) headers.set('Content-Encoding', meta.contentEncoding);
  if (meta.contentDisposition) headers.set('Content-Disposition', meta.contentDisposition);
  if (meta.contentLanguage) headers.set('Content-Language', meta.contentLanguage);
  if (meta.cacheControl) headers.set('Cache-Control', meta.cacheControl);
  if (meta.cacheExpiry) headers.set('Expires', new Date(meta.cacheExpiry).toUTCString());
  for (const [name, value] of Object.entries(object.customMetadata ?? {})) headers.set(`x-amz-meta-${name}`, value);
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = query.get(param);
    if (value !== null) headers.set(header, value);
  }
  if (range) headers.set('Content-Range', `bytes ${range.start}-${range.end}/${range.size}`);
  const body = range === null || !('body' in object) ? null : object.body;
  // A body's length is the runtime's to send (R2's stream knows it); a HEAD answer says it itself.
  if (body === null) headers.set('Content-Length', String(object.size));
  // The stored bytes go out as they are: a Content-Encoding the uploader set is theirs, never the runtime's to apply.
  return new Response(body, { status: range ? 206 : 200, headers, encodeBody: 'manual' });
}

/** The object `x-amz-copy-source` names (`bucket/key` or `/bucket/key`, URL-encoded), the caller allowed to GetObject it. */
async function copySourceOf(request: S3Request, copySource: string): Promise<{ sourceRecord: BucketRecord; sourceBucket: string; sourceKey: string }> {
  const { c, caller } = request;
  const sourceCondition = [...c.req.raw.headers.keys()].find((name) => name.startsWith('x-amz-copy-source-if-'));
  if (sourceCondition) throw notImplemented(sourceCondition);
  const source = decodeURIComponent(copySource.split('?')[0]).replace(/^\//, '');
  const slash = source.indexOf('/');
  if (slash <= 0 || slash === source.length - 1) throw invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', copySource);
  const sourceBucket = source.slice(0, slash);
  const sourceKey = source.slice(slash + 1);
  await allow({ ...request, bucket: sourceBucket }, 'GetObject', sourceKey);
  return { sourceRecord: await ownedBucket(c.env, caller, sourceBucket), sourceBucket, sourceKey };
}

/**
 * UploadPartCopy: a part made of the source object's bytes, or of `x-amz-copy-source-range`'s
 * (`bytes=first-last`, within the object), streamed from R2 to R2.
 */
async function uploadPartCopyOperation(request: S3Request, target: BucketRecord, uploadId: string, partNumber: number, copySource: string): Promise<Response> {
  const { c, key } = request;
  const { sourceRecord, sourceKey } = await copySourceOf(request, copySource);
  const rangeHeader = c.req.header('x-amz-copy-source-range');
  let range: { offset: number; length: number } | undefined;
  if (rangeHeader !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
    if (!m || Number(m[2]) < Number(m[1])) {
      throw invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', rangeHeader);
    }
    const size = (await headObject(c.env, sourceRecord, sourceKey)).size;
    if (Number(m[2]) >= size) throw invalidRequest('The specified copy range is invalid for the source object size');
    range = { offset: Number(m[1]), length: Number(m[2]) - Number(m[1]) + 1 };
  }
  const source = await getObject(c.env, sourceRecord, sourceKey, range);
  const etag = await uploadPart(c.env, target, key, uploadId, partNumber, source.body);
  return xml(200, 'CopyPartResult', { LastModified: source.uploaded.toISOString(), ETag: `"${etag}"` });
}

async function copyObjectOperation(request: S3Request, target: BucketRecord, copySource: string): Promise<Response> {
  const { c, bucket, key } = request;
  const { sourceRecord, sourceBucket, sourceKey } = await copySourceOf(request, copySource);
  const directive = (c.req.header('x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  if (directive === 'COPY' && sourceBucket === bucket && sourceKey === key) {
    throw invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  const object = await copyObject(c.env, { bucket: sourceRecord, key: sourceKey }, { bucket: target, key }, directive === 'REPLACE' ? metadataOf(c) : undefined);
  await notify(request, target, [{ eventName: 'ObjectCreated:Copy', key, object }]);
  return xml(200, 'CopyObjectResult', { LastModified: object.uploaded.toISOString(), ETag: object.httpEtag });
}

/** PutBucketNotificationConfiguration: the whole configuration replaced, its destinations checked unless x-amz-skip-destination-validation. */
async function putNotificationOperation(request: S3Request): Promise<Response> {
  const { c, caller, bucket } = request;
  await allow(request, 'PutBucketNotification');
  const record = await ownedBucket(c.env, caller, bucket);
  const skip = c.req.header('x-amz-skip-destination-validation')?.toLowerCase() === 'true';
  await putNotificationConfiguration(c.env, record, new TextDecoder().decode(c.get('body')), {
    requestId: c.get('requestId'), skipDestinationValidation: skip, enqueue: enqueueFor(request),
  });
  return new Response(null, { status: 200 });
}

/** Asynchronous invocations queued on behalf of this request (S3's deliveries to functions). */
function enqueueFor(request: S3Request): EnqueueEvent {
  const { c } = request;
  return (caller, record, requestId, eventJson, options) => enqueueEvent(c.env, (p) => c.executionCtx.waitUntil(p), caller, record, requestId, eventJson, options);
}

/** Who made the request, as S3's event records name them (userIdentity.principalId). */
function eventPrincipalId(principal: Principal): string {
  switch (principal.kind) {
    case 'root': return `AWS:${principal.accountId}`;
    case 'user': return `AWS:${principal.userId}`;
    case 'assumed-role': return `AWS:${principal.roleId}:${principal.sessionName}`;
  }
}

/** Queues the notifications of this request's object events (nothing when the bucket has no configuration). */
async function notify(request: S3Request, record: BucketRecord, events: { eventName: ObjectEventName; key: string; object?: R2Object }[]): Promise<void> {
  if (!record.notifications?.length || events.length === 0) return;
  const { c, caller } = request;
  const common = {
    bucket: record.name, region: record.region, ownerAccountId: record.accountId, eventTime: new Date().toISOString(),
    principalId: eventPrincipalId(caller.principal), sourceIPAddress: clientAddress(c.req.raw) ?? '127.0.0.1', requestId: c.get('requestId'),
  };
  const objectEvents: ObjectEvent[] = events.map(({ eventName, key, object }) => ({
    ...common, eventName, key, sequencer: nextSequencer(), ...(object && { object: { size: object.size, eTag: object.httpEtag.replace(/"/g, '') } }),
  }));
  await notifyObjectEvents(c.env, record, objectEvents, enqueueFor(request));
}

/** The metadata a PutObject, CreateMultipartUpload or replacing CopyObject sets: standard headers and x-amz-meta-*. */
function metadataOf(c: Context<AppContext>): ObjectMetadata {
  const header = (name: string) => c.req.header(name) || undefined;
  // aws-chunked is how the body travelled, not how the object is encoded.
  const encoding = header('content-encoding')?.split(',').map((e) => e.trim()).filter((e) => e !== '' && e !== 'aws-chunked').join(', ') || undefined;
  const expires = header('expires');
  const httpMetadata: R2HTTPMetadata = {
    contentType: header('content-type'), contentEncoding: encoding, contentDisposition: header('content-disposition'),
    contentLanguage: header('content-language'), cacheControl: header('cache-control'),
    cacheExpiry: expires && !Number.isNaN(Date.parse(expires)) ? new Date(expires) : undefined,
  };
  const customMetadata: Record<string, string> = {};
  for (const [name, value] of c.req.raw.headers) if (name.startsWith('x-amz-meta-')) customMetadata[name.slice('x-amz-meta-'.length)] = value;
  return { httpMetadata, customMetadata };
}

/** The Content-MD5 header as bytes (R2 checks the body against it); InvalidDigest when it is not a base64 MD5. */
function contentMd5(c: Context<AppContext>): ArrayBuffer | undefined {
  const header = c.req.header('content-md5');
  if (header === undefined) return undefined;
  try {
    const bytes = Uint8Array.from(atob(header), (ch) => ch.charCodeAt(0));
    if (bytes.length !== 16) throw invalidDigest();
    return bytes.buffer;
  } catch {
    throw invalidDigest();
  }
}

/** The streamed body the signed door left for PutObject and UploadPart (src/auth/s3-signature.ts). */
function streamedPayloadOf(c: Context<AppContext>): StreamedPayload {
  const payload = c.get('payload');
  if (!payload) throw new Error('an object PUT without its streamed payload');
  return payload;
}

/** Stores a streamed payload with `store`; a refusal the stream met (a signature, a digest, a length) is the answer rather than the store's failure. */
async function storing<T>(payload: StreamedPayload, store: () => Promise<T>): Promise<T> {
  try {
    return await store();
  } catch (error) {
    throw payload.failure ?? error;
  }
}

/** The verified additional checksum of a stored payload, as S3 answers it (x-amz-checksum-crc32...). */
function checksumHeaders(payload: StreamedPayload): Record<string, string> {
  return payload.checksum ? { [`x-amz-checksum-${payload.checksum.algorithm}`]: payload.checksum.value } : {};
}

function xml(status: number, root: string, element: XmlElement): Response {
  return new Response(xmlDocument(root, element), { status, headers: XML });
}
