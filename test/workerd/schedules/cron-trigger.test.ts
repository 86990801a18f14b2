// The scheduled handler acts only for the Worker's own cron trigger: an event with another cron
// (wrangler dev's /__scheduled or /cdn-cgi/handler/scheduled without ?cron=) is refused and fires nothing.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createScheduledController } from 'cloudflare:test';
import worker from '../../../src/index';
import { createTenant, deploy } from '../support/signed-client';
import { eventsApi } from '../support/aws-json-client';

const store = (accountId: string) => env.SCHEDULES.get(env.SCHEDULES.idFromName(accountId));

describe('the scheduled handler', () => {
  it("refuses events that are not the Worker's cron trigger, and fires due rules for the trigger's", async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'recorder', 'exports.handler = async () => {};');
    // rate(5 minutes) cannot come due by itself while the test runs.
    await eventsApi.call(tenant, 'PutRule', { Name: 'every-5', ScheduleExpression: 'rate(5 minutes)' });
    await eventsApi.call(tenant, 'PutTargets', { Rule: 'every-5', Targets: [{ Id: 't', Arn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:recorder` }] });
    const due = (await store(tenant.accountId).getRule('every-5'))!.nextFireMs!;

    for (const cron of ['', '*/5 * * * *']) {
      await expect(worker.scheduled(createScheduledController({ scheduledTime: due + 1000, cron }), env))
        .rejects.toThrow(`scheduled event refused: cron '${cron}' is not the Worker's cron trigger '* * * * *'`);
    }
    expect((await store(tenant.accountId).getRule('every-5'))?.nextFireMs).toBe(due);

    await worker.scheduled(createScheduledController({ scheduledTime: due + 1000, cron: '* * * * *' }), env);
    expect((await store(tenant.accountId).getRule('every-5'))?.nextFireMs).toBe(due + 5 * 60_000);
  });
});
