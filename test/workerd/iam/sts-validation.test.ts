// STS AssumeRole's input checks in AWS's words: a member too short or too long names the bound it broke.
import { describe, expect, it } from 'vitest';
import { createTenant } from '../support/signed-client';

describe('STS AssumeRole validation', () => {
  it('names the length bound a RoleSessionName or RoleArn broke, as STS does', async () => {
    const tenant = await createTenant();
    const assume = async (params: Record<string, string>) => {
      const body = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', ...params }).toString();
      const response = await tenant.as('sts').send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded' });
      return { status: response.status, text: await response.text() };
    };
    const roleArn = `arn:aws:iam::${tenant.accountId}:role/some-role`;
    for (const [params, message] of [
      [{ RoleArn: roleArn, RoleSessionName: 's' }, "Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"],
      [{ RoleArn: roleArn, RoleSessionName: 'x'.repeat(65) }, 'Member must have length less than or equal to 64'],
      [{ RoleArn: 'arn:aws:iam::1:role', RoleSessionName: 'ok' }, 'Member must have length greater than or equal to 20'],
      [{ RoleArn: `${roleArn}${'x'.repeat(2048)}`, RoleSessionName: 'ok' }, 'Member must have length less than or equal to 2048'],
    ] as const) {
      const { status, text } = await assume(params);
      expect(status).toBe(400);
      expect(text).toContain('<Code>ValidationError</Code>');
      expect(text.replaceAll('&#39;', "'")).toContain(message);
    }
  });
});
