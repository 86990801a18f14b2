// An HTTP request to a function URL as the HTTP API payload 2.0 event (@types/aws-lambda
// APIGatewayProxyEventV2): lower-case headers, cookies apart, query parameters comma-joined,
// text bodies as they are and anything else base64.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { bytesToBase64 } from '../base64';

export interface UrlRequest {
  request: Request;
  body: Uint8Array;
  urlId: string;
  rawPath: string;
  domainName: string;
  requestId: string;
  sourceIp: string;
  /** The function owner's account. */
  accountId: string;
  /** The signed caller of an AWS_IAM URL; absent for NONE. */
  iamCaller?: { accessKeyId: string; accountId: string };
}

/** Event shape with the IAM authorizer Lambda adds for AWS_IAM URLs. */
export type FunctionUrlEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { iam: Record<string, string | null> } };
};

/** Headers the platform adds in front of the Worker; the function never sees them. */
const PLATFORM_HEADER = /^(cf-|x-real-ip$|cookie$)/;

export function buildEvent(input: UrlRequest, now = new Date()): FunctionUrlEvent {
  const { request, body } = input;
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) if (!PLATFORM_HEADER.test(name)) headers[name] = value;
  headers.host ??= url.host; // the fetch API may keep Host out of the headers; the URL has it
  headers['x-forwarded-for'] = input.sourceIp;
  headers['x-forwarded-proto'] = url.protocol.replace(':', '');
  headers['x-forwarded-port'] = url.port || (url.protocol === 'https:' ? '443' : '80');
  const cookies = (request.headers.get('cookie') ?? '').split(';').map((c) => c.trim()).filter((c) => c.length > 0);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const encodeBody = body.byteLength > 0 ? bodyField(body, request.headers.get('content-type')) : undefined;

  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: input.rawPath,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(url.search.length > 1 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: input.iamCaller ? input.accountId : 'anonymous',
      apiId: input.urlId,
      ...(input.iamCaller ? { authorizer: { iam: iamIdentity(input.iamCaller) } } : {}),
      domainName: input.domainName,
      domainPrefix: input.urlId,
      http: {
        method: request.method,
        path: input.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: request.headers.get('user-agent') ?? '',
      },
      requestId: input.requestId,
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(encodeBody ? { body: encodeBody.body } : {}),
    isBase64Encoded: encodeBody?.isBase64Encoded ?? false,
  };
}

/** faasbox keys are account keys: the caller is the account's root user, whose id is the account id. */
function iamIdentity(caller: { accessKeyId: string; accountId: string }): Record<string, string | null> {
  return {
    accessKey: caller.accessKeyId,
    accountId: caller.accountId,
    callerId: caller.accountId,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: `arn:aws:iam::${caller.accountId}:root`,
    userId: caller.accountId,
  };
}

const TEXT_TYPE = /^(text\/[^;]+|application\/([a-z0-9.+-]*\+)?(json|xml|javascript|ecmascript|yaml|x-yaml))\s*(;|$)/i;

/** Text content types stay text (if they decode as UTF-8); everything else travels as base64. */
function bodyField(body: Uint8Array, contentType: string | null): { body: string; isBase64Encoded: boolean } {
  if (contentType && TEXT_TYPE.test(contentType)) {
    try {
      return { body: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body), isBase64Encoded: false };
    } catch {
      // Declared as text but not UTF-8: fall through to base64, which never loses a byte.
    }
  }
  return { body: bytesToBase64(body), isBase64Encoded: true };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Common Log Format time, as requestContext.time: `12/Mar/2020:19:03:58 +0000`. */
function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
