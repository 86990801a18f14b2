// The XML services the console calls: the Query protocol (IAM, SNS: a form posted to /, an XML
// answer) and S3's REST-XML. Answers are read as text, a few fields by element name (no DOMParser:
// Trusted Types guards it); a refusal becomes an ApiError with the service's own code and message.
import { ApiError, signedFetch } from './client';

/** The text of the first `<name>` element of `xml`, entities decoded; undefined when absent. */
export function elementText(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match ? decodeEntities(match[1]!) : undefined;
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) =>
    entity === 'lt' ? '<' : entity === 'gt' ? '>' : entity === 'quot' ? '"' : entity === 'apos' ? "'" : entity === 'amp' ? '&'
      : String.fromCodePoint(entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : Number(entity.slice(1))));
}

/** `text` with XML's five special characters escaped, for an element's content. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

const QUERY_VERSIONS = { iam: '2010-05-08', sns: '2010-03-31' } as const;

/** One Query protocol action: the answer's XML text, or throws ApiError with the service's code and message. */
export async function awsQuery(service: keyof typeof QUERY_VERSIONS, action: string, params: Record<string, string> = {}): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: QUERY_VERSIONS[service], ...params }).toString();
  const response = await signedFetch(service, '/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
  return xmlAnswer(response);
}

/** One S3 request (path style at this origin): the answer's text and headers, or throws ApiError from S3's XML error. */
export async function s3Request(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<{ text: string; headers: Headers }> {
  const response = await signedFetch('s3', path, { method, ...init });
  return { text: await xmlAnswer(response), headers: response.headers };
}

async function xmlAnswer(response: Response): Promise<string> {
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, elementText(text, 'Code') ?? `HTTP ${response.status}`, elementText(text, 'Message') ?? (text || response.statusText));
  return text;
}
