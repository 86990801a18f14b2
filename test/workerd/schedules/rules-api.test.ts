// The EventBridge-compatible rules API: CRUD of schedule rules and targets, AWS's JSON 1.1 error
// shapes, and tenants that never see each other's rules.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, signedClient, ORIGIN } from '../support/signed-client';
import { eventsApi } from '../support/aws-json-client';

const fnArn = (accountId: string, name: string) => `arn:aws:lambda:us-east-1:${accountId}:function:${name}`;

describe('rules', () => {
  it('puts, describes, updates and lists rules with the ARN AWS gives them', async () => {
    const tenant = await createTenant();
    const put = await eventsApi.call(tenant, 'PutRule', { Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)', Description: 'every night' });
    expect(put).toEqual({ RuleArn: `arn:aws:events:us-east-1:${tenant.accountId}:rule/nightly` });
    expect(await eventsApi.call(tenant, 'DescribeRule', { Name: 'nightly' })).toEqual({
      Name: 'nightly', Arn: put.RuleArn, ScheduleExpression: 'cron(0 3 * * ? *)', State: 'ENABLED', Description: 'every night',
      EventBusName: 'default', CreatedBy: tenant.accountId,
    });
    // PutRule on an existing name updates it.
    await eventsApi.call(tenant, 'PutRule', { Name: 'nightly', ScheduleExpression: 'rate(1 day)', State: 'DISABLED' });
    expect(await eventsApi.call(tenant, 'DescribeRule', { Name: 'nightly', EventBusName: 'default' })).toMatchObject({ ScheduleExpression: 'rate(1 day)', State: 'DISABLED' });
  });

  it('lists by name prefix, in pages', async () => {
    const tenant = await createTenant();
    for (const name of ['b-3', 'a-1', 'b-1', 'b-2']) await eventsApi.call(tenant, 'PutRule', { Name: name, ScheduleExpression: 'rate(5 minutes)' });
    const first = await eventsApi.call<{ Rules: { Name: string }[]; NextToken?: string }>(tenant, 'ListRules', { NamePrefix: 'b-', Limit: 2 });
    expect(first.Rules.map((r) => r.Name)).toEqual(['b-1', 'b-2']);
    expect(first.NextToken).toBeTypeOf('string');
    const second = await eventsApi.call<{ Rules: { Name: string; State: string; Arn: string }[]; NextToken?: string }>(tenant, 'ListRules', { NamePrefix: 'b-', Limit: 2, NextToken: first.NextToken });
    expect(second.Rules.map((r) => r.Name)).toEqual(['b-3']);
    expect(second.Rules[0]).toMatchObject({ State: 'ENABLED', ScheduleExpression: 'rate(5 minutes)', EventBusName: 'default', Arn: `arn:aws:events:us-east-1:${tenant.accountId}:rule/b-3` });
    expect(second.NextToken).toBeUndefined();
    expect((await eventsApi.call<{ Rules: unknown[] }>(tenant, 'ListRules', {})).Rules).toHaveLength(4);
  });

  it('enables and disables a rule', async () => {
    const tenant = await createTenant();
    await eventsApi.call(tenant, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(1 minute)' });
    expect(await eventsApi.call(tenant, 'DisableRule', { Name: 'r' })).toEqual({});
    expect(await eventsApi.call(tenant, 'DescribeRule', { Name: 'r' })).toMatchObject({ State: 'DISABLED' });
    expect(await eventsApi.call(tenant, 'EnableRule', { Name: 'r' })).toEqual({});
    expect(await eventsApi.call(tenant, 'DescribeRule', { Name: 'r' })).toMatchObject({ State: 'ENABLED' });
  });

  it('answers bad input with ValidationException in the JSON 1.1 shape', async () => {
    const tenant = await createTenant();
    const cases: [Record<string, unknown>, string][] = [
      [{ Name: 'r', ScheduleExpression: 'cron(0 12 * * * *)' }, 'Parameter ScheduleExpression is not valid.'],
      [{ Name: 'r', ScheduleExpression: 'rate(1 minutes)' }, 'Parameter ScheduleExpression is not valid.'],
      [{ Name: 'r', ScheduleExpression: 'every day' }, 'Parameter ScheduleExpression is not valid.'],
      [{ Name: 'r' }, 'Parameter(s) ScheduleExpression or EventPattern must be specified.'],
      [{ ScheduleExpression: 'rate(1 minute)' }, "1 validation error detected: Value 'null' at 'name' failed to satisfy constraint: Member must not be null"],
      [{ Name: 'no spaces', ScheduleExpression: 'rate(1 minute)' }, "1 validation error detected: Value 'no spaces' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"],
      [{ Name: 'x'.repeat(65), ScheduleExpression: 'rate(1 minute)' }, `1 validation error detected: Value '${'x'.repeat(65)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64`],
      [{ Name: 'r', ScheduleExpression: 'rate(1 minute)', State: 'ON' }, "1 validation error detected: Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"],
      [{ Name: 'r', ScheduleExpression: 'rate(1 minute)', Description: 'd'.repeat(513) }, `1 validation error detected: Value '${'d'.repeat(513)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 512`],
    ];
    for (const [input, message] of cases) {
      expect(await eventsApi.error(await eventsApi.response(tenant, 'PutRule', input), 'ValidationException'), JSON.stringify(input)).toBe(message);
    }
    expect(await eventsApi.error(await eventsApi.response(tenant, 'ListRules', { Limit: 0 }), 'ValidationException')).toContain("at 'limit'");
    expect(await eventsApi.error(await eventsApi.response(tenant, 'ListRules', { NextToken: 'garbage' }), 'ValidationException')).toBe('The specified NextToken is invalid.');
    // Nothing was created by the refused calls.
    expect((await eventsApi.call<{ Rules: unknown[] }>(tenant, 'ListRules', {})).Rules).toEqual([]);
  });

  it('answers unknown rules, event buses and operations, and bodies that are not JSON, with their AWS errors', async () => {
    const tenant = await createTenant();
    for (const operation of ['DescribeRule', 'EnableRule', 'DisableRule']) {
      expect(await eventsApi.error(await eventsApi.response(tenant, operation, { Name: 'ghost' }), 'ResourceNotFoundException')).toBe('Rule ghost does not exist on EventBus default.');
    }
    expect(await eventsApi.error(await eventsApi.response(tenant, 'ListTargetsByRule', { Rule: 'ghost' }), 'ResourceNotFoundException')).toBe('Rule ghost does not exist on EventBus default.');
    expect(await eventsApi.error(await eventsApi.response(tenant, 'PutTargets', { Rule: 'ghost', Targets: [{ Id: '1', Arn: fnArn(tenant.accountId, 'f') }] }), 'ResourceNotFoundException'))
      .toBe('Rule ghost does not exist on EventBus default.');
    expect(await eventsApi.error(await eventsApi.response(tenant, 'RemoveTargets', { Rule: 'ghost', Ids: ['1'] }), 'ResourceNotFoundException')).toBe('Rule ghost does not exist on EventBus default.');
    expect(await eventsApi.error(await eventsApi.response(tenant, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(1 minute)', EventBusName: 'orders' }), 'ResourceNotFoundException'))
      .toBe('Event bus orders does not exist.');
    expect(await eventsApi.error(await eventsApi.response(tenant, 'PutEvents', {}), 'UnknownOperationException')).toBe('Unknown or unsupported operation: PutEvents');
    const notJson = await tenant.as('events').send('POST', '/', '{not json', { 'X-Amz-Target': 'AWSEvents.ListRules', 'Content-Type': 'application/x-amz-json-1.1' });
    await eventsApi.error(notJson, 'SerializationException');
    // Deleting a rule that does not exist succeeds, as in EventBridge.
    expect(await eventsApi.call(tenant, 'DeleteRule', { Name: 'ghost' })).toEqual({});
  });

  it('refuses unsigned requests', async () => {
    const { exports } = await import('cloudflare:workers');
    const response = await exports.default.fetch(new Request(`${ORIGIN}/`, {
      method: 'POST', body: '{}', headers: { 'X-Amz-Target': 'AWSEvents.ListRules', 'Content-Type': 'application/x-amz-json-1.1' },
    }));
    // AWS's JSON 1.1 front end answers refused signatures with 400 (docs/SECURITY.md, "Request signatures").
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('targets', () => {
  it('puts, lists and removes targets; a rule with targets cannot be deleted', async () => {
    const tenant = await createTenant();
    await eventsApi.call(tenant, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    const put = await eventsApi.call(tenant, 'PutTargets', { Rule: 'r', Targets: [
      { Id: 'plain', Arn: fnArn(tenant.accountId, 'worker') },
      { Id: 'with-input', Arn: fnArn(tenant.accountId, 'worker'), Input: '{"job":"report"}' },
    ] });
    expect(put).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    expect(await eventsApi.call(tenant, 'ListTargetsByRule', { Rule: 'r' })).toEqual({ Targets: [
      { Id: 'plain', Arn: fnArn(tenant.accountId, 'worker') },
      { Id: 'with-input', Arn: fnArn(tenant.accountId, 'worker'), Input: '{"job":"report"}' },
    ] });
    const page = await eventsApi.call<{ Targets: { Id: string }[]; NextToken?: string }>(tenant, 'ListTargetsByRule', { Rule: 'r', Limit: 1 });
    expect(page.Targets.map((t) => t.Id)).toEqual(['plain']);
    expect((await eventsApi.call<{ Targets: { Id: string }[] }>(tenant, 'ListTargetsByRule', { Rule: 'r', Limit: 1, NextToken: page.NextToken })).Targets.map((t) => t.Id)).toEqual(['with-input']);

    expect(await eventsApi.error(await eventsApi.response(tenant, 'DeleteRule', { Name: 'r' }), 'ValidationException')).toBe("Rule can't be deleted since it has targets.");
    // Updating the rule keeps its targets.
    await eventsApi.call(tenant, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(2 hours)' });
    expect((await eventsApi.call<{ Targets: unknown[] }>(tenant, 'ListTargetsByRule', { Rule: 'r' })).Targets).toHaveLength(2);

    expect(await eventsApi.call(tenant, 'RemoveTargets', { Rule: 'r', Ids: ['plain', 'with-input', 'never-there'] })).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    expect(await eventsApi.call(tenant, 'ListTargetsByRule', { Rule: 'r' })).toEqual({ Targets: [] });
    expect(await eventsApi.call(tenant, 'DeleteRule', { Name: 'r' })).toEqual({});
    await eventsApi.error(await eventsApi.response(tenant, 'DescribeRule', { Name: 'r' }), 'ResourceNotFoundException');
  });

  it('reports targets it cannot take in FailedEntries and keeps the others', async () => {
    const tenant = await createTenant();
    await eventsApi.call(tenant, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    const result = await eventsApi.call<{ FailedEntryCount: number; FailedEntries: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] }>(tenant, 'PutTargets', { Rule: 'r', Targets: [
      { Id: 'ok', Arn: fnArn(tenant.accountId, 'fn') },
      { Id: 'other-account', Arn: fnArn('999999999999', 'fn') },
      { Id: 'other-region', Arn: `arn:aws:lambda:eu-west-1:${tenant.accountId}:function:fn` },
      { Id: 'queue', Arn: `arn:aws:sqs:us-east-1:${tenant.accountId}:q` },
      { Id: 'alias', Arn: `${fnArn(tenant.accountId, 'fn')}:live` },
      { Id: 'bad-qualifier', Arn: `${fnArn(tenant.accountId, 'fn')}:no/slash` },
      { Id: 'bad-input', Arn: fnArn(tenant.accountId, 'fn'), Input: '{nope' },
      { Id: 'path', Arn: fnArn(tenant.accountId, 'fn'), InputPath: '$.detail' },
    ] });
    expect(result.FailedEntryCount).toBe(6);
    expect(result.FailedEntries.map((e) => e.TargetId)).toEqual(['other-account', 'other-region', 'queue', 'bad-qualifier', 'bad-input', 'path']);
    expect(result.FailedEntries.every((e) => e.ErrorCode === 'ValidationException' && e.ErrorMessage.length > 0)).toBe(true);
    expect((await eventsApi.call<{ Targets: { Id: string }[] }>(tenant, 'ListTargetsByRule', { Rule: 'r' })).Targets.map((t) => t.Id)).toEqual(['alias', 'ok']);
  });

  it('validates target ids and counts, and holds a rule to five targets', async () => {
    const tenant = await createTenant();
    await eventsApi.call(tenant, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    const target = (id: string) => ({ Id: id, Arn: fnArn(tenant.accountId, 'fn') });
    expect(await eventsApi.error(await eventsApi.response(tenant, 'PutTargets', { Rule: 'r', Targets: [] }), 'ValidationException')).toContain("at 'targets'");
    expect(await eventsApi.error(await eventsApi.response(tenant, 'PutTargets', { Rule: 'r', Targets: Array.from({ length: 11 }, (_, i) => target(`t${i}`)) }), 'ValidationException')).toContain("at 'targets'");
    expect(await eventsApi.error(await eventsApi.response(tenant, 'PutTargets', { Rule: 'r', Targets: [target('bad id')] }), 'ValidationException')).toContain('regular expression pattern');
    expect(await eventsApi.error(await eventsApi.response(tenant, 'PutTargets', { Rule: 'r', Targets: [{ Id: 'no-arn' }] }), 'ValidationException')).toContain('Member must not be null');
    await eventsApi.call(tenant, 'PutTargets', { Rule: 'r', Targets: ['1', '2', '3', '4', '5'].map(target) });
    // Replacing an existing id is not a sixth target.
    expect(await eventsApi.call(tenant, 'PutTargets', { Rule: 'r', Targets: [target('5')] })).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    await eventsApi.error(await eventsApi.response(tenant, 'PutTargets', { Rule: 'r', Targets: [target('6')] }), 'LimitExceededException');
    expect((await eventsApi.call<{ Targets: unknown[] }>(tenant, 'ListTargetsByRule', { Rule: 'r' })).Targets).toHaveLength(5);
  });
});

describe('tenants', () => {
  it('never see or touch each other\'s rules, and cannot target each other\'s functions', async () => {
    const a = await createTenant('a');
    const b = await createTenant('b');
    await eventsApi.call(a, 'PutRule', { Name: 'shared-name', ScheduleExpression: 'rate(1 hour)', Description: 'of a' });
    await eventsApi.call(a, 'PutTargets', { Rule: 'shared-name', Targets: [{ Id: '1', Arn: fnArn(a.accountId, 'fn') }] });
    expect((await eventsApi.call<{ Rules: unknown[] }>(b, 'ListRules', {})).Rules).toEqual([]);
    await eventsApi.error(await eventsApi.response(b, 'DescribeRule', { Name: 'shared-name' }), 'ResourceNotFoundException');
    await eventsApi.error(await eventsApi.response(b, 'ListTargetsByRule', { Rule: 'shared-name' }), 'ResourceNotFoundException');
    await eventsApi.error(await eventsApi.response(b, 'DisableRule', { Name: 'shared-name' }), 'ResourceNotFoundException');
    // b's rule of the same name is its own.
    await eventsApi.call(b, 'PutRule', { Name: 'shared-name', ScheduleExpression: 'rate(2 hours)' });
    const targeted = await eventsApi.call<{ FailedEntryCount: number }>(b, 'PutTargets', { Rule: 'shared-name', Targets: [{ Id: '1', Arn: fnArn(a.accountId, 'fn') }] });
    expect(targeted.FailedEntryCount).toBe(1);
    expect(await eventsApi.call(a, 'DescribeRule', { Name: 'shared-name' })).toMatchObject({ ScheduleExpression: 'rate(1 hour)', Description: 'of a', State: 'ENABLED' });
    expect((await eventsApi.call<{ Targets: unknown[] }>(a, 'ListTargetsByRule', { Rule: 'shared-name' })).Targets).toHaveLength(1);
  });

  it('keeps the index of scheduled accounts true: only accounts with enabled rules', async () => {
    const tenant = await createTenant();
    const directory = env.ACCOUNTS.get(env.ACCOUNTS.idFromName('directory'));
    expect(await directory.listScheduledAccounts()).not.toContain(tenant.accountId);
    await eventsApi.call(tenant, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    expect(await directory.listScheduledAccounts()).toContain(tenant.accountId);
    await eventsApi.call(tenant, 'DisableRule', { Name: 'r' });
    expect(await directory.listScheduledAccounts()).not.toContain(tenant.accountId);
    await eventsApi.call(tenant, 'EnableRule', { Name: 'r' });
    expect(await directory.listScheduledAccounts()).toContain(tenant.accountId);
    await eventsApi.call(tenant, 'DeleteRule', { Name: 'r' });
    expect(await directory.listScheduledAccounts()).not.toContain(tenant.accountId);
  });

  it('forgets an account\'s rules when the account is deleted', async () => {
    const tenant = await createTenant();
    await eventsApi.call(tenant, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(1 hour)' });
    expect((await signedClient().send('DELETE', `/api/admin/accounts/${tenant.accountId}`)).status).toBe(204);
    const store = env.SCHEDULES.get(env.SCHEDULES.idFromName(tenant.accountId));
    expect(await store.getRule('r')).toBeUndefined();
    expect(await env.ACCOUNTS.get(env.ACCOUNTS.idFromName('directory')).listScheduledAccounts()).not.toContain(tenant.accountId);
  });
});
