// Invoke through the Worker's HTTP API inside workerd: status codes, headers, payload checks and
// the log lines each invocation leaves in the account's LogStore.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy } from '../support/signed-client';


describe('Invoke', () => {
  it('returns the result with X-Amz-Executed-Version, and the log tail on request', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'echo', 'exports.handler = async (event) => { console.log("got", event.a); return { a: event.a }; };');
    const response = await tenant.send('POST', '/2015-03-31/functions/echo/invocations', { a: 7 }, { 'X-Amz-Log-Type': 'Tail' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(await response.json()).toEqual({ a: 7 });
    const tail = atob(response.headers.get('x-amz-log-result')!);
    const requestId = response.headers.get('x-amzn-requestid')!;
    expect(tail).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    expect(tail).toMatch(new RegExp(`\\t${requestId}\\tINFO\\tgot 7\\n`));
    expect(tail).toContain(`END RequestId: ${requestId}`);
    expect(tail).toMatch(new RegExp(`REPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms\\t`));
  });

  it('keeps every invocation\'s lines in the function\'s log group, one stream per environment', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'logger', 'exports.handler = async () => { console.warn("careful"); return 1; };');
    await tenant.send('POST', '/2015-03-31/functions/logger/invocations', {});
    await tenant.send('POST', '/2015-03-31/functions/logger/invocations', {});
    const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    let events: { message: string; logStreamName: string }[] = [];
    for (let i = 0; i < 50 && events.filter((e) => e.message.startsWith('REPORT')).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      events = await logs.readEvents('/aws/lambda/logger');
    }
    expect(events.map((e) => e.message.split(/[ \t]/)[0])).toEqual(['START', expect.any(String), 'END', 'REPORT', 'START', expect.any(String), 'END', 'REPORT']);
    expect(events[1].message).toMatch(/\tWARN\tcareful$/);
    expect(events[0].logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(new Set(events.map((e) => e.logStreamName)).size).toBe(1);
    expect(events[3].message).toMatch(/Init Duration/);
    expect(events[7].message).not.toMatch(/Init Duration/);
  });

  it('answers DryRun with 204 and checks the payload and invocation type', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'dry', 'exports.handler = async () => 1;');
    expect((await tenant.send('POST', '/2015-03-31/functions/dry/invocations', {}, { 'X-Amz-Invocation-Type': 'DryRun' })).status).toBe(204);
    const notJson = await tenant.send('POST', '/2015-03-31/functions/dry/invocations', '{oops');
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    const badType = await tenant.send('POST', '/2015-03-31/functions/dry/invocations', {}, { 'X-Amz-Invocation-Type': 'Sometimes' });
    expect(badType.status).toBe(400);
    expect(badType.headers.get('x-amzn-errortype')).toBe('ValidationException');
    const tooLarge = await tenant.send('POST', '/2015-03-31/functions/dry/invocations', JSON.stringify({ big: 'x'.repeat(6 * 1024 * 1024) }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
    const missing = await tenant.send('POST', '/2015-03-31/functions/nope/invocations', {});
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { Message: string }).Message).toBe(`Function not found: arn:aws:lambda:us-east-1:${tenant.accountId}:function:nope:$LATEST`);
  });

  it('reports a function error with X-Amz-Function-Error: Unhandled', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'fails', 'exports.handler = async () => { throw new TypeError("bad input"); };');
    const response = await tenant.send('POST', '/2015-03-31/functions/fails/invocations', {});
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = (await response.json()) as { errorType: string; errorMessage: string; trace: string[] };
    expect(body.errorType).toBe('TypeError');
    expect(body.errorMessage).toBe('bad input');
    expect(body.trace[0]).toBe('TypeError: bad input');
  });
});
