// End to end: traces on a real `wrangler dev`. A function with TracingConfig Active fetches a
// local Node HTTP server (which must receive X-Amzn-Trace-Id and traceparent of the same trace);
// the trace is then read with @aws-sdk/client-xray and Debian's AWS CLI v2, and arrives as OTLP
// JSON at a local collector (another Node HTTP server) set as FAASBOX_OTLP_ENDPOINT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { BatchGetTracesCommand, GetServiceGraphCommand, GetTraceSummariesCommand, InvalidRequestException, XRayClient } from '@aws-sdk/client-xray';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const SOURCE = `exports.handler = async (event) => {
  const response = await fetch(event.target + '/orders/42');
  return { status: response.status, traceId: process.env._X_AMZN_TRACE_ID };
};`;

interface Received { url: string; headers: IncomingHttpHeaders }

let lambda: LambdaClient;
let xray: XRayClient;
let target: Server;
let collector: Server;
const targetRequests: Received[] = [];
const exported: { url: string; body: string }[] = [];

/** A Node HTTP server on a free port; resolves with its base URL. */
async function listen(handler: (url: string, headers: IncomingHttpHeaders, body: string) => number): Promise<{ server: Server; url: string }> {
  const s = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', () => {
      response.writeHead(handler(request.url ?? '', request.headers, body), { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { server: s, url: `http://127.0.0.1:${(s.address() as { port: number }).port}` };
}

let targetUrl: string;
let collectorUrl: string;

// Before the dev server starts: its OTLP endpoint is the collector's URL.
beforeAll(async () => {
  ({ server: target, url: targetUrl } = await listen((url, headers) => (targetRequests.push({ url, headers }), 200)));
  ({ server: collector, url: collectorUrl } = await listen((url, _headers, body) => (exported.push({ url, body }), 200)));
});

// The function may fetch the local target (loopback): the operator's egress allow list names it.
const server = useDevServer({ vars: () => ({ FAASBOX_OTLP_ENDPOINT: collectorUrl, FAASBOX_EGRESS_ALLOW: new URL(targetUrl).host }) });

beforeAll(async () => {
  lambda = server.client(LambdaClient);
  xray = server.client(XRayClient);
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'orders', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipOf({ 'index.js': SOURCE }) }, TracingConfig: { Mode: 'Active' },
  }));
});

afterAll(async () => {
  await Promise.all([target, collector].map((s) => s && new Promise((resolve) => s.close(resolve))));
});

/** Polls `read` until `done`, at most 20 s. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (done(value) || i >= 200) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('traces end to end', () => {
  it('records a fetching function\'s trace, readable with the SDK and the CLI, and exported as OTLP', async () => {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'orders' }));
    expect(config.TracingConfig).toEqual({ Mode: 'Active' });

    const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'orders', Payload: new TextEncoder().encode(JSON.stringify({ target: targetUrl })) }));
    const answer = JSON.parse(new TextDecoder().decode(invoked.Payload)) as { status: number; traceId: string };
    expect(answer.status).toBe(200);
    const root = /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=1$/.exec(answer.traceId)![1];

    // The local server saw the same trace on the fetch, with the fetch's own span as parent.
    expect(targetRequests).toHaveLength(1);
    const sent = String(targetRequests[0].headers['x-amzn-trace-id']);
    expect(sent).toMatch(new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=1$`));
    const fetchSpan = /Parent=([0-9a-f]{16})/.exec(sent)![1];
    expect(targetRequests[0].headers.traceparent).toBe(`00-${root.slice(2, 10)}${root.slice(11)}-${fetchSpan}-01`);

    const range = { StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000) };
    const summaries = await eventually(() => xray.send(new GetTraceSummariesCommand(range)), (out) => (out.TraceSummaries?.length ?? 0) > 0);
    expect(summaries.TraceSummaries!.map((s) => s.Id)).toEqual([root]);
    expect(summaries.TraceSummaries![0]).toMatchObject({ HasError: false, HasFault: false, Http: { HttpStatus: 200 }, EntryPoint: { Name: 'orders' } });

    const { Traces, UnprocessedTraceIds } = await xray.send(new BatchGetTracesCommand({ TraceIds: [root] }));
    expect(UnprocessedTraceIds).toEqual([]);
    const document = JSON.parse(Traces![0].Segments![0].Document!) as { name: string; origin: string; subsegments: { name: string; subsegments?: { id: string; name: string; http: unknown }[] }[] };
    expect(document).toMatchObject({ name: 'orders', origin: 'AWS::Lambda::Function' });
    const invocation = document.subsegments.find((s) => s.name === 'Invocation')!;
    expect(invocation.subsegments).toEqual([
      expect.objectContaining({ id: fetchSpan, name: new URL(targetUrl).host, http: { request: { method: 'GET', url: `${targetUrl}/orders/42` }, response: { status: 200 } } }),
    ]);

    const graph = await xray.send(new GetServiceGraphCommand(range));
    expect(graph.Services!.map((s) => s.Name).sort()).toEqual(['client', new URL(targetUrl).host, 'orders'].sort());

    // Debian's AWS CLI v2 against the same endpoint.
    const cli = JSON.parse(server.aws(
      '--output', 'json', 'xray', 'get-trace-summaries',
      '--start-time', String(Math.floor(range.StartTime.getTime() / 1000)), '--end-time', String(Math.floor(range.EndTime.getTime() / 1000)),
    )) as { TraceSummaries: { Id: string }[] };
    expect(cli.TraceSummaries.map((s) => s.Id)).toEqual([root]);

    // The OTLP collector got the function's span and the fetch's client span.
    const posts = await eventually(async () => exported, (e) => e.length > 0);
    expect(posts[0].url).toBe('/v1/traces');
    const spans = (JSON.parse(posts[0].body) as { resourceSpans: { scopeSpans: { spans: { traceId: string; spanId: string; name: string; kind: number }[] }[] }[] })
      .resourceSpans[0].scopeSpans[0].spans;
    expect(spans.every((s) => s.traceId === `${root.slice(2, 10)}${root.slice(11)}`)).toBe(true);
    expect(spans.find((s) => s.spanId === fetchSpan)).toMatchObject({ name: new URL(targetUrl).host, kind: 3 });
    expect(spans.find((s) => s.name === 'orders')).toMatchObject({ kind: 2 });
  });

  it('answers bad input with the SDK\'s InvalidRequestException', async () => {
    const error = await xray.send(new GetTraceSummariesCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 60_000) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect((error as InvalidRequestException).message).toMatch(/EndTime/);
  });
});
