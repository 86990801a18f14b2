// The one place an API error becomes a response: each protocol's own rendering.
import { AwsJsonError, RestJsonError, type AwsError } from '../errors';
import { renderAwsJsonError } from './aws-json';
import { renderRestJsonError } from './rest-json';

export function renderError(error: AwsError): Response {
  if (error instanceof AwsJsonError) return renderAwsJsonError(error);
  if (error instanceof RestJsonError) return renderRestJsonError(error);
  throw new TypeError(`no rendering for ${error.constructor.name}`);
}
