// Execution roles end to end with the AWS CLI v2 and boto3 against a `wrangler dev` that refuses
// unknown roles (as a deployment): create a role, attach AWSLambdaBasicExecutionRole, create a
// function, invoke, find its log lines; detach the policy, invoke, and no new line is written; the
// console's Test tab says why a function without the logs permission has none.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { zipOf } from './support/bundles';

const server = useDevServer({ vars: { FAASBOX_UNKNOWN_ROLES: 'refuse' } });
const browser = useConsoleBrowser(server, { shared: true });
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const HANDLER = "exports.handler = async (event) => { console.log('marker', event.marker); return { ok: true }; };";

let zip: string;
beforeAll(() => {
  zip = join(server.workDir, 'fn.zip');
  writeFileSync(zip, zipOf({ 'index.js': HANDLER }));
});

const aws = (...args: string[]) => JSON.parse(server.aws('--output', 'json', ...args) || '{}') as Record<string, unknown>;

/** The console lines of `functionName` that mention `marker`, read with the CLI. */
function markerLines(functionName: string, marker: string): string[] {
  const found = aws('logs', 'filter-log-events', '--log-group-name', `/aws/lambda/${functionName}`, '--filter-pattern', `"${marker}"`) as { events?: { message: string }[] };
  return (found.events ?? []).map((e) => e.message);
}

/** A raw signed invoke, to read faasbox's X-Faasbox-Logs-Denied (the CLI does not show response headers). */
async function logsDenied(functionName: string): Promise<string | null> {
  const response = await server.signedFetch(`/2015-03-31/functions/${functionName}/invocations`, { method: 'POST', body: '{}' });
  await response.body?.cancel();
  return response.headers.get('x-faasbox-logs-denied');
}

describe('AWS CLI v2', () => {
  it("refuses a role that does not exist with Lambda's message", () => {
    expect(() => aws('lambda', 'create-function', '--function-name', 'nobody', '--runtime', 'nodejs22.x', '--handler', 'index.handler',
      '--role', `arn:aws:iam::${server.accountId}:role/nobody`, '--zip-file', `fileb://${zip}`))
      .toThrow(/InvalidParameterValueException.*The role defined for the function cannot be assumed by Lambda\./s);
  });

  it('create-role, attach-role-policy, create-function, invoke: logs present; detach: no new log lines', async () => {
    const role = aws('iam', 'create-role', '--role-name', 'cli-basic', '--assume-role-policy-document', TRUST) as { Role: { Arn: string } };
    aws('iam', 'attach-role-policy', '--role-name', 'cli-basic', '--policy-arn', BASIC);
    aws('lambda', 'create-function', '--function-name', 'cli-fn', '--runtime', 'nodejs22.x', '--handler', 'index.handler',
      '--role', role.Role.Arn, '--zip-file', `fileb://${zip}`);
    const out = join(server.workDir, 'out.json');
    aws('lambda', 'invoke', '--function-name', 'cli-fn', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"marker":"first-call"}', out);
    await expect.poll(() => markerLines('cli-fn', 'first-call'), { timeout: 30_000 }).toHaveLength(1);

    aws('iam', 'detach-role-policy', '--role-name', 'cli-basic', '--policy-arn', BASIC);
    // The detached policy stops deciding within the policy cache's seconds.
    await expect.poll(() => logsDenied('cli-fn'), { timeout: 30_000 }).toMatch(/^No logs: the execution role arn:aws:iam::\d{12}:role\/cli-basic does not allow logs:/);
    aws('lambda', 'invoke', '--function-name', 'cli-fn', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"marker":"while-detached"}', out);

    // Attached again, a later line lands; the one written while detached never does.
    aws('iam', 'attach-role-policy', '--role-name', 'cli-basic', '--policy-arn', BASIC);
    await expect.poll(() => logsDenied('cli-fn'), { timeout: 30_000 }).toBeNull();
    aws('lambda', 'invoke', '--function-name', 'cli-fn', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"marker":"attached-again"}', out);
    await expect.poll(() => markerLines('cli-fn', 'attached-again'), { timeout: 30_000 }).toHaveLength(1);
    expect(markerLines('cli-fn', 'while-detached')).toEqual([]);
    // A dozen CLI runs of a second or more each on a loaded machine.
  }, 180_000);
});

describe('boto3', () => {
  it('create_role, attach_role_policy, create_function, invoke: its log lines are in the log group', () => {
    const script = `
import boto3, json, sys, time
endpoint, zip_path, trust, basic = sys.argv[1:5]
iam = boto3.client('iam', endpoint_url=endpoint)
lam = boto3.client('lambda', endpoint_url=endpoint)
logs = boto3.client('logs', endpoint_url=endpoint)
role = iam.create_role(RoleName='py-basic', AssumeRolePolicyDocument=trust)['Role']
iam.attach_role_policy(RoleName='py-basic', PolicyArn=basic)
attached = [p['PolicyArn'] for p in iam.list_attached_role_policies(RoleName='py-basic')['AttachedPolicies']]
lam.create_function(FunctionName='py-fn', Runtime='nodejs22.x', Role=role['Arn'], Handler='index.handler', Code={'ZipFile': open(zip_path, 'rb').read()})
result = json.loads(lam.invoke(FunctionName='py-fn', Payload=b'{"marker":"from-boto3"}')['Payload'].read())
# Lines land after the response: read until they are there, for at most 30 s (the test then fails on none).
deadline = time.time() + 30
while True:
    events = logs.filter_log_events(logGroupName='/aws/lambda/py-fn', filterPattern='"from-boto3"')['events']
    if events or time.time() > deadline:
        break
    time.sleep(0.2)
print(json.dumps({'arn': role['Arn'], 'attached': attached, 'result': result, 'lines': [e['message'] for e in events]}))
`;
    const output = JSON.parse(server.boto3(script, server.endpoint, zip, TRUST, BASIC));
    expect(output).toMatchObject({ arn: `arn:aws:iam::${server.accountId}:role/py-basic`, attached: [BASIC], result: { ok: true } });
    expect(output.lines).toHaveLength(1);
    expect(output.lines[0]).toContain('marker from-boto3');
  });
});

describe('the console', () => {
  it("says on the Test tab that the role does not allow the function's logs", async () => {
    const role = aws('iam', 'create-role', '--role-name', 'no-logs', '--assume-role-policy-document', TRUST) as { Role: { Arn: string } };
    aws('lambda', 'create-function', '--function-name', 'quiet', '--runtime', 'nodejs22.x', '--handler', 'index.handler',
      '--role', role.Role.Arn, '--zip-file', `fileb://${zip}`);
    const page = await browser.page();
    await browser.open(page, '/console/functions/quiet/test');
    await expect.poll(() => page.getByRole('heading', { name: 'Test event' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const notice = page.locator('section.test-result').getByRole('status').filter({ hasText: 'No logs:' });
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toBe(
      `No logs: the execution role ${role.Role.Arn} does not allow logs:CreateLogStream on arn:aws:logs:us-east-1:${server.accountId}:log-group:/aws/lambda/quiet:*. The lines below were not written to the log group.`,
    );
    // The tail the invocation answered is still shown.
    expect(await page.getByLabel('Log output').textContent()).toMatch(/REPORT RequestId/);
    await notice.scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'test-tab-logs-denied');
    browser.expectClean(page);
    await browser.expectAccessible(page, 'the Test tab of a function whose role may not write logs');
  });
});
