// S3's REST-XML protocol: errors as `<Error>` documents with the request id, no body for HEAD
// (S3 sends none), and S3's request id headers on every answer.
import type { S3Error } from '../s3/errors';
import { xmlElements } from '../s3/xml';

/** The error response of `error`; `method` HEAD gets the status and headers alone. */
export function renderS3Error(error: S3Error, requestId = '', method = 'GET'): Response {
  const headers = { ...error.headers, 'x-amz-request-id': requestId, 'x-amz-id-2': requestId };
  if (method === 'HEAD') return new Response(null, { status: error.status, headers });
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${xmlElements({ Code: error.code, Message: error.message, ...error.fields, RequestId: requestId, HostId: requestId })}</Error>`;
  return new Response(body, { status: error.status, headers: { ...headers, 'content-type': 'application/xml' } });
}
