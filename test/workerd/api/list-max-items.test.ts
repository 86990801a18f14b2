// MaxItems of the Lambda list operations: a decimal integer in 1..10,000 (1..50 for
// ListFunctionUrlConfigs); anything else is Lambda's ValidationException, never a page.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy } from '../support/signed-client';

const LISTS: [string, string, number][] = [
  ['ListFunctions', '/2015-03-31/functions', 10_000],
  ['ListVersionsByFunction', '/2015-03-31/functions/fn/versions', 10_000],
  ['ListAliases', '/2015-03-31/functions/fn/aliases', 10_000],
  ['ListFunctionUrlConfigs', '/2021-10-31/functions/fn/urls', 50],
  ['ListEventSourceMappings', '/2015-03-31/event-source-mappings', 10_000],
];

describe('MaxItems of the list operations', () => {
  it.each(LISTS)('%s refuses 0, non-decimal and out-of-range MaxItems with ValidationException', async (_op, path, max) => {
    const tenant = await createTenant();
    await deploy(tenant, 'fn', 'exports.handler = async () => 1;');
    for (const raw of ['0', '', '-1', '1.0', '0x10', '1e1', ' 5', '+5', 'ten', String(max + 1), '99999999999']) {
      const response = await tenant.send('GET', `${path}?MaxItems=${encodeURIComponent(raw)}`);
      expect(response.status, `MaxItems=${raw}`).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
      expect(await response.json()).toEqual({
        Type: 'User',
        message: `1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and ${max}`,
      });
    }
    for (const raw of ['1', String(max)]) expect((await tenant.send('GET', `${path}?MaxItems=${raw}`)).status, `MaxItems=${raw}`).toBe(200);
  });
});
