// The one place an API error becomes a response: each protocol's own rendering.
import { AwsJsonError, RestJsonError, type AwsError } from '../errors';
import { renderAwsJsonError } from './aws-json';
import { renderRestJsonError } from './rest-json';
import { renderS3Error } from './rest-xml';
import { S3Error } from '../s3/errors';

export function renderError(error: AwsError): Response {
  if (error instanceof AwsJsonError) return renderAwsJsonError(error);
  if (error instanceof RestJsonError) return renderRestJsonError(error);
  if (error instanceof S3Error) return renderS3Error(error);
  throw new TypeError(`no rendering for ${error.constructor.name}`);
}
