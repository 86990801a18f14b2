// Two playground sandboxes are strangers (issue 11's tests): one cannot see the other's functions,
// invoke them by ARN, read their logs or metrics, or learn a variable's value from its share.
import { describe, expect, it } from 'vitest';
import { deploy } from '../support/signed-client';
import { logsApi } from '../support/aws-json-client';
import { lastHour } from '../support/metrics-client';
import { createSandbox } from '../support/playground-client';

const SECRET = 'value-only-the-owner-may-see';

describe('two sandboxes', () => {
  it('see only their own functions, logs, metrics, and no variable value of the other\'s share', async () => {
    const owner = await createSandbox({ address: '198.51.100.71' });
    const stranger = await createSandbox({ address: '198.51.100.72' });
    await deploy(owner.tenant, 'private', 'exports.handler = async () => { console.log("owner line"); return process.env.TOKEN; };', {
      Environment: { Variables: { TOKEN: SECRET } },
    });
    const invoked = await owner.tenant.send('POST', '/2015-03-31/functions/private/invocations', {});
    expect(await invoked.json()).toBe(SECRET);
    const requestId = invoked.headers.get('x-amzn-requestid')!;

    // Functions: not listed, not found by name, not invoked by the owner's ARN.
    const listed = (await (await stranger.tenant.send('GET', '/2015-03-31/functions')).json()) as { Functions: { FunctionName: string }[] };
    expect(listed.Functions.map((f) => f.FunctionName)).not.toContain('private');
    expect((await stranger.tenant.send('GET', '/2015-03-31/functions/private')).status).toBe(404);
    const arn = encodeURIComponent(`arn:aws:lambda:us-east-1:${owner.accountId}:function:private`);
    const byArn = await stranger.tenant.send('POST', `/2015-03-31/functions/${arn}/invocations`, {});
    // AWS's answer to another account's function without a resource policy allowing the caller
    // (AccessDeniedException), the same as for one that does not exist: nothing tells the stranger it does.
    const missing = encodeURIComponent(`arn:aws:lambda:us-east-1:${owner.accountId}:function:no-such-function`);
    const byMissingArn = await stranger.tenant.send('POST', `/2015-03-31/functions/${missing}/invocations`, {});
    expect(byArn.status).toBe(403);
    expect(byMissingArn.status).toBe(403);
    expect(byArn.headers.get('x-amzn-errortype')).toBe(byMissingArn.headers.get('x-amzn-errortype'));
    const text = await byArn.text();
    expect(text).not.toContain(SECRET);
    expect(text.replace('private', 'no-such-function')).toBe(await byMissingArn.text());

    // Logs: the owner's group is not the stranger's to read.
    expect((await logsApi.call<{ events: unknown[] }>(owner.tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/private' })).events.length).toBeGreaterThan(0);
    const strangerLogs = await logsApi.response(stranger.tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/private' });
    expect(await strangerLogs.text()).not.toContain('owner line');

    // Metrics: the stranger's account has no invocation of it.
    await expect.poll(async () => (await lastHour(owner.tenant, 'Invocations', 'private', ['Sum']))?.Sum, { timeout: 10_000 }).toBe(1);
    expect((await lastHour(stranger.tenant, 'Invocations', 'private', ['Sum']))?.Sum ?? 0).toBe(0);

    // Shares are public snapshots, made only by the owner and never with a variable's value.
    expect((await stranger.tenant.send('POST', '/api/functions/private/shares', {})).status).toBe(404);
    const share = (await (await owner.tenant.send('POST', '/api/functions/private/shares', { Invocations: [requestId] })).json()) as { Token: string };
    const snapshot = await (await stranger.tenant.send('GET', `/api/playground/shares/${share.Token}`)).text();
    expect(snapshot).toContain('TOKEN');
    expect(snapshot).not.toContain(SECRET);
    // Nor may the stranger export the owner's function.
    expect((await stranger.tenant.send('GET', '/api/functions/private/export')).status).toBe(404);
  });
});
