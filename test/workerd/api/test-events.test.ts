// A function's saved test events through faasbox's signed API (docs/TEST-EVENTS.md): the round
// trip, what survives, the console's rules (10 per function, names, JSON of at most 256 KiB),
// unknown functions, tenant isolation, deletion with the function, and encryption at rest.
import { describe, expect, it } from 'vitest';
import { env, exports } from 'cloudflare:workers';
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { createTenant, deploy, ORIGIN, type Tenant, type TestClient } from '../support/signed-client';
import { storedText } from '../storage/tables';

const HANDLER = 'exports.handler = async (event) => event;';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface TestEventItem {
  Name: string;
  Event: string;
  LastModified: string;
}

const path = (fn: string, name?: string) => `/api/functions/${encodeURIComponent(fn)}/test-events${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
const registryOf = (tenant: Tenant) => env.FUNCTIONS.get(env.FUNCTIONS.idFromName(tenant.accountId));
const arnOf = (tenant: Tenant, fn: string) => `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${fn}`;

async function list(client: TestClient, fn: string): Promise<TestEventItem[]> {
  const response = await client.send('GET', path(fn));
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { TestEvents: TestEventItem[] }).TestEvents;
}

async function save(client: TestClient, fn: string, name: string, event: string): Promise<TestEventItem> {
  const response = await client.send('PUT', path(fn, name), { Event: event });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as TestEventItem;
}

async function errorOf(response: Response) {
  const body = (await response.json()) as Record<string, string>;
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), message: body.message ?? body.Message };
}

async function tenantWith(...functions: string[]): Promise<Tenant> {
  const tenant = await createTenant();
  for (const fn of functions) await deploy(tenant, fn, HANDLER);
  return tenant;
}

describe('saved test events', () => {
  it('are created, listed by name, replaced and deleted', async () => {
    const tenant = await tenantWith('f');
    expect(await list(tenant, 'f')).toEqual([]);

    const saved = await save(tenant, 'f', 'second', '{"n": 2}');
    expect(saved).toEqual({ Name: 'second', Event: '{"n": 2}', LastModified: expect.stringMatching(ISO_TIME) });
    await save(tenant, 'f', 'First.v1_a-b', '{\n  "n": 1\n}');
    // The event text is kept as written (formatting included), not re-serialised.
    expect((await list(tenant, 'f')).map((e) => [e.Name, e.Event])).toEqual([['First.v1_a-b', '{\n  "n": 1\n}'], ['second', '{"n": 2}']]);

    const replaced = await save(tenant, 'f', 'second', '[2, "two"]');
    expect(replaced.Event).toBe('[2, "two"]');
    expect(Date.parse(replaced.LastModified)).toBeGreaterThanOrEqual(Date.parse(saved.LastModified));
    expect(await list(tenant, 'f')).toEqual([expect.objectContaining({ Name: 'First.v1_a-b' }), replaced]);

    const deleted = await tenant.send('DELETE', path('f', 'second'));
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await list(tenant, 'f')).map((e) => e.Name)).toEqual(['First.v1_a-b']);
    expect(await errorOf(await tenant.send('DELETE', path('f', 'second')))).toEqual({
      status: 404, type: 'ResourceNotFoundException', message: `Test event not found: second of ${arnOf(tenant, 'f')}`,
    });
  });

  it('survive the object (a second read after eviction) and answer to the full and partial ARN', async () => {
    const tenant = await tenantWith('f');
    const saved = await save(tenant, 'f', 'kept', '{"keep": true}');
    await evictDurableObject(registryOf(tenant));
    expect(await list(tenant, 'f')).toEqual([saved]);
    expect(await list(tenant, arnOf(tenant, 'f'))).toEqual([saved]);
    expect(await list(tenant, `${tenant.accountId}:function:f`)).toEqual([saved]);
    await save(tenant, arnOf(tenant, 'f'), 'by-arn', '{}');
    expect((await list(tenant, 'f')).map((e) => e.Name)).toEqual(['by-arn', 'kept']);
  });

  it('are at most 10 per function; replacing one of the 10 still works, and deleting one makes room', async () => {
    const tenant = await tenantWith('f', 'g');
    for (let i = 0; i < 10; i++) await save(tenant, 'f', `event-${i}`, `{"i": ${i}}`);
    expect(await errorOf(await tenant.send('PUT', path('f', 'event-10'), { Event: '{}' }))).toEqual({
      status: 400, type: 'LimitExceededException', message: 'A function can have at most 10 saved test events: delete one before saving event-10.',
    });
    expect(await list(tenant, 'f')).toHaveLength(10);
    expect((await save(tenant, 'f', 'event-3', '{"i": "three"}')).Event).toBe('{"i": "three"}');
    // The limit is per function.
    await save(tenant, 'g', 'event-0', '{}');
    expect((await tenant.send('DELETE', path('f', 'event-0'))).status).toBe(204);
    await save(tenant, 'f', 'event-10', '{}');
    expect(await list(tenant, 'f')).toHaveLength(10);
  });

  it('have names of 1-25 letters, digits, dots, hyphens and underscores', async () => {
    const tenant = await tenantWith('f');
    await save(tenant, 'f', 'a'.repeat(25), '{}');
    await save(tenant, 'f', 'x', '{}');
    for (const name of ['a'.repeat(26), 'has space', 'colon:name', 'slash/name', 'ünïcode', '<script>', '..%', "quote'"]) {
      const refused = await errorOf(await tenant.send('PUT', path('f', name), { Event: '{}' }));
      expect(refused, name).toMatchObject({ status: 400, type: 'ValidationException' });
      expect(refused.message, name).toMatch(/^1 validation error detected: Value '.*' at 'Name' failed to satisfy constraint: Member must/);
      expect((await tenant.send('DELETE', path('f', name))).status, name).toBe(400);
    }
    expect((await list(tenant, 'f')).map((e) => e.Name)).toEqual(['a'.repeat(25), 'x']);
  });

  it('must be JSON text in an Event string; anything else is a 400, never a 5xx', async () => {
    const tenant = await tenantWith('f');
    for (const text of ['', '{not json', '{"a": 1', 'undefined', "{'single': 1}", '{"a": 1} trailing']) {
      const refused = await errorOf(await tenant.send('PUT', path('f', 'bad'), { Event: text }));
      expect(refused, text).toMatchObject({ status: 400, type: 'InvalidParameterValueException' });
      expect(refused.message, text).toMatch(/^The test event is not valid JSON: /);
    }
    // Any JSON value is an event, as any is an Invoke payload.
    for (const text of ['"a string"', '42', 'null', '[]', ' {"spaced": true} ']) expect((await save(tenant, 'f', 'ok', text)).Event).toBe(text);

    for (const body of [{}, { Event: null }, { Event: { a: 1 } }, { Event: 42 }]) {
      expect(await errorOf(await tenant.send('PUT', path('f', 'bad'), body)), JSON.stringify(body)).toMatchObject({ status: 400, type: 'ValidationException' });
    }
    expect(await errorOf(await tenant.send('PUT', path('f', 'bad'), '{"Event": '))).toMatchObject({ status: 400, type: 'SerializationException' });
    expect(await errorOf(await tenant.send('PUT', path('f', 'bad'), '["{}"]'))).toMatchObject({ status: 400, type: 'SerializationException' });
    expect((await list(tenant, 'f')).map((e) => e.Name)).toEqual(['ok']);
  });

  it('answer hostile input with a 4xx at worst, never a 5xx', async () => {
    const tenant = await tenantWith('f');
    // A fixed sequence (no seed to replay): hostile names, bodies and function references.
    const texts = ['', ' ', '%', '%2F', '..', '.', '\u0000', 'a'.repeat(300), '{}', 'null', '"', '\\', '\u2028', '🙂', 'f:$LATEST', 'arn:aws:lambda:::function:f'];
    const bodies: unknown[] = [undefined, '', 'null', '[]', '"x"', '{"Event":"\\ud800"}', { Event: '\ud800' }, { Event: '"\ud83d"' }, { Event: [] }, { Event: true }, { event: '{}' }, { Event: '{}', Extra: 1 }];
    for (const [i, text] of texts.entries()) {
      const body = bodies[i % bodies.length];
      for (const [method, target] of [['GET', path(text)], ['PUT', path('f', text)], ['DELETE', path('f', text)], ['PUT', path(text, 'e')], ['PUT', path('f', 'e')]] as const) {
        const response = await tenant.send(method, target, method === 'PUT' ? body : undefined);
        expect(response.status, `${method} ${target} ${JSON.stringify(body)}: ${await response.clone().text()}`).toBeLessThan(500);
      }
    }
    // Paths no client would encode: malformed escapes, empty segments.
    for (const target of ['/api/functions/%E0%A4%A/test-events', '/api/functions/f/test-events/%ZZ', '/api/functions/f/test-events/%ED%A0%80', '/api/functions//test-events', '/api/functions/f/test-events/', '/api/functions/f/test-events/a/b']) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const response = await tenant.send(method, target, method === 'PUT' ? { Event: '{}' } : undefined);
        expect(response.status, `${method} ${target}: ${await response.clone().text()}`).toBeLessThan(500);
      }
    }
  });

  it('are at most 256 KiB of UTF-8', async () => {
    const tenant = await tenantWith('f');
    const largest = `"${'x'.repeat(256 * 1024 - 2)}"`;
    expect((await save(tenant, 'f', 'largest', largest)).Event).toBe(largest);
    expect((await list(tenant, 'f'))[0].Event).toBe(largest);
    const oneOver = `"${'x'.repeat(256 * 1024 - 1)}"`;
    // Measured in bytes: 87,382 three-byte characters are 256 KiB + 4 bytes though fewer characters.
    const multibyte = `"${'€'.repeat(87_382)}"`;
    for (const [text, bytes] of [[oneOver, 262_145], [multibyte, 262_148]] as const) {
      expect(await errorOf(await tenant.send('PUT', path('f', 'big'), { Event: text }))).toEqual({
        status: 400, type: 'InvalidParameterValueException', message: `The test event is ${bytes} bytes, over the limit of 262144 bytes (256 KiB).`,
      });
    }
    expect((await list(tenant, 'f')).map((e) => e.Name)).toEqual(['largest']);
  });

  it('of an unknown function answer 404 with Lambda\'s message; a qualified name is refused', async () => {
    const tenant = await tenantWith('f');
    const notFound = { status: 404, type: 'ResourceNotFoundException', message: `Function not found: ${arnOf(tenant, 'ghost')}` };
    expect(await errorOf(await tenant.send('GET', path('ghost')))).toEqual(notFound);
    expect(await errorOf(await tenant.send('PUT', path('ghost', 'e'), { Event: '{}' }))).toEqual(notFound);
    expect(await errorOf(await tenant.send('DELETE', path('ghost', 'e')))).toEqual(notFound);
    expect(await errorOf(await tenant.send('GET', path(arnOf(tenant, 'ghost'))))).toEqual(notFound);
    for (const name of ['f:1', 'f:$LATEST', `${arnOf(tenant, 'f')}:live`]) {
      expect(await errorOf(await tenant.send('GET', path(name))), name).toMatchObject({ status: 400, type: 'ValidationException' });
    }
    expect(await errorOf(await tenant.send('GET', path('bad name')))).toMatchObject({ status: 400, type: 'ValidationException' });
  });

  it('of one account cannot be read, written or deleted by another', async () => {
    const owner = await tenantWith('f');
    const stranger = await tenantWith('f');
    const saved = await save(owner, 'f', 'private', '{"token": "owner-only"}');
    const ownersArn = arnOf(owner, 'f');
    // Another account's function is refused by IAM, as Lambda refuses another account's ARN.
    const refused = { status: 403, type: 'AccessDeniedException', message: `User is not authorized to perform this operation on resource: ${ownersArn} of another account` };
    expect(await errorOf(await stranger.send('GET', path(ownersArn)))).toEqual(refused);
    expect(await errorOf(await stranger.send('PUT', path(ownersArn, 'private'), { Event: '{}' }))).toEqual(refused);
    expect(await errorOf(await stranger.send('PUT', path(ownersArn, 'planted'), { Event: '{}' }))).toEqual(refused);
    expect(await errorOf(await stranger.send('DELETE', path(ownersArn, 'private')))).toEqual(refused);
    expect(await errorOf(await stranger.send('GET', path(`${owner.accountId}:function:f`)))).toMatchObject({ status: 403 });
    // The stranger's own function of the same name has its own (empty) list.
    expect(await list(stranger, 'f')).toEqual([]);
    expect(await list(owner, 'f')).toEqual([saved]);
    // Without a valid signature nothing is answered at all.
    expect((await exports.default.fetch(new Request(`${ORIGIN}${path('f')}`))).status).toBe(403);
  });

  it('are deleted with their function: a new function of the same name starts with none', async () => {
    const tenant = await tenantWith('f', 'other');
    await save(tenant, 'f', 'gone', '{}');
    await save(tenant, 'other', 'stays', '{}');
    expect((await tenant.send('DELETE', '/2015-03-31/functions/f')).status).toBe(204);
    expect(await errorOf(await tenant.send('GET', path('f')))).toMatchObject({ status: 404, type: 'ResourceNotFoundException' });
    await deploy(tenant, 'f', HANDLER);
    expect(await list(tenant, 'f')).toEqual([]);
    const rows = await runInDurableObject(registryOf(tenant), (_instance, state) =>
      state.storage.sql.exec<{ function_name: string; name: string }>('SELECT function_name, name FROM test_events').toArray());
    expect(rows.map((r) => ({ ...r }))).toEqual([{ function_name: 'other', name: 'stays' }]);
  });

  it('are encrypted at rest and bound to their function and name', async () => {
    const tenant = await tenantWith('f');
    const secret = 'sk_live_test_event_secret_51HQX';
    await save(tenant, 'f', 'with-secret', JSON.stringify({ headers: { authorization: `Bearer ${secret}` } }));
    const stored = await storedText(registryOf(tenant));
    expect(stored).toContain('with-secret');
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain('authorization');
    expect(stored).toMatch(/fbx1\.[0-9a-f]{16}\./);

    // A sealed text copied under another name does not open: that one item says so, the rest answer.
    await save(tenant, 'f', 'plain', '{}');
    await runInDurableObject(registryOf(tenant), (_instance, state) => state.storage.sql.exec(
      "UPDATE test_events SET sealed_event = (SELECT sealed_event FROM test_events WHERE name = 'with-secret') WHERE name = 'plain'"));
    const items = (await list(tenant, 'f')) as unknown as Record<string, unknown>[];
    expect(items).toEqual([
      { Name: 'plain', LastModified: expect.stringMatching(ISO_TIME), Error: { ErrorCode: 'AccessDeniedException', Message: "faasbox was unable to decrypt this test event: it does not decrypt under faasbox's encryption key." } },
      expect.objectContaining({ Name: 'with-secret', Event: expect.stringContaining(secret) }),
    ]);
  });
});
