// The one test client of faasbox's JSON protocols, and each service's protocol: AWS JSON 1.0/1.1
// (SQS, CloudWatch Logs, EventBridge: `POST /` with X-Amz-Target) and X-Ray's REST JSON
// (`POST /<Operation>`), sent with a tenant's signed client.
import type { TestClient } from './signed-client';

export interface JsonProtocol {
  /** The requests' Content-Type (and the one error answers must carry). */
  contentType: string;
  /** AWS JSON: every operation is `POST /` with `X-Amz-Target: <targetPrefix>.<operation>`. Without it (REST JSON) the operation is the path. */
  targetPrefix?: string;
  /** The SigV4 service requests are signed for, as the AWS SDKs sign them. */
  service: string;
}

export interface JsonClient<Operation extends string = string> {
  /**
   * The raw response, for asserting errors. `body` is sent as JSON, a string as it is (to send
   * malformed JSON); an `operation` with a dot is a whole X-Amz-Target (another service's).
   */
  response(client: TestClient, operation: Operation, body?: unknown): Promise<Response>;
  /** The operation's output (`{}` for an empty body); throws with the status and body on anything but 200. */
  call<T = Record<string, unknown>>(client: TestClient, operation: Operation, body?: unknown): Promise<T>;
  /** Asserts AWS's JSON error shape (400, `code` as x-amzn-ErrorType and `__type`, a message, this protocol's Content-Type); returns the message. */
  error(response: Response, code: string): Promise<string>;
}

/** A client of one service's JSON protocol. */
export function awsJsonClient<Operation extends string = string>(protocol: JsonProtocol): JsonClient<Operation> {
  const { contentType, targetPrefix, service } = protocol;
  const response = (client: TestClient, operation: string, body: unknown = {}) => {
    const signer = client.as(service);
    if (targetPrefix === undefined) return signer.send('POST', operation, body, { 'Content-Type': contentType });
    const target = operation.includes('.') ? operation : `${targetPrefix}.${operation}`;
    return signer.send('POST', '/', body, { 'X-Amz-Target': target, 'Content-Type': contentType });
  };
  return {
    response,
    async call<T>(client: TestClient, operation: string, body?: unknown): Promise<T> {
      const answer = await response(client, operation, body);
      const text = await answer.text();
      if (answer.status !== 200) throw new Error(`${operation} failed: ${answer.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as T;
    },
    async error(answer, code) {
      const body = (await answer.json()) as { __type: string; message: string };
      if (answer.status !== 400 || answer.headers.get('x-amzn-errortype') !== code || body.__type !== code || typeof body.message !== 'string'
        || answer.headers.get('content-type') !== contentType) {
        throw new Error(`expected ${code}, got ${answer.status} ${answer.headers.get('x-amzn-errortype')} ${JSON.stringify(body)}`);
      }
      return body.message;
    },
  };
}

/** The SQS-compatible queue API (AWS JSON 1.0). */
export const sqsApi = awsJsonClient({ targetPrefix: 'AmazonSQS', contentType: 'application/x-amz-json-1.0', service: 'sqs' });
/** The CloudWatch Logs-compatible read API (AWS JSON 1.1). */
export const logsApi = awsJsonClient({ targetPrefix: 'Logs_20140328', contentType: 'application/x-amz-json-1.1', service: 'logs' });
/** The EventBridge-compatible rules API (AWS JSON 1.1). */
export const eventsApi = awsJsonClient({ targetPrefix: 'AWSEvents', contentType: 'application/x-amz-json-1.1', service: 'events' });
/** The X-Ray-compatible read API (REST JSON, one path per operation). */
export const xrayApi = awsJsonClient<'/TraceSummaries' | '/Traces' | '/ServiceGraph'>({ contentType: 'application/json', service: 'xray' });
