// The invocation path's cache of resolved functions (src/services/resolve-function.ts): a change
// made through this isolate is invoked at once; one it did not see (another isolate's) is read
// again after FAASBOX_FUNCTION_CACHE_SECONDS; the API's own reads never use the cache.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy } from '../support/signed-client';
import { zipBase64 } from '../support/zip';
import { resolveFunction } from '../../../src/services/resolve-function';

/** The Worker's env with another FAASBOX_FUNCTION_CACHE_SECONDS (readConfig parses each env object once). */
const withCacheSeconds = (seconds: string) => ({ ...env, FAASBOX_FUNCTION_CACHE_SECONDS: seconds }) as unknown as Env;

const invoke = async (tenant: Awaited<ReturnType<typeof createTenant>>, name: string) =>
  (await tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, {})).json();

describe('resolved functions cached for invocations', () => {
  it('invokes a change made through this isolate at once: code, configuration, an alias', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'c', 'exports.handler = async () => "one";');
    expect(await invoke(tenant, 'c')).toBe('one');
    expect((await tenant.send('PUT', '/2015-03-31/functions/c/code', { ZipFile: zipBase64({ 'index.js': 'exports.handler = async () => "two";' }) })).status).toBe(200);
    expect(await invoke(tenant, 'c')).toBe('two');
    expect((await tenant.send('PUT', '/2015-03-31/functions/c/configuration', { Environment: { Variables: { WORD: 'three' } } })).status).toBe(200);
    await tenant.send('PUT', '/2015-03-31/functions/c/code', { ZipFile: zipBase64({ 'index.js': 'exports.handler = async () => process.env.WORD;' }) });
    expect(await invoke(tenant, 'c')).toBe('three');
    const v1 = (await (await tenant.send('POST', '/2015-03-31/functions/c/versions', {})).json()) as { Version: string };
    await tenant.send('PUT', '/2015-03-31/functions/c/configuration', { Environment: { Variables: { WORD: 'four' } } });
    const v2 = (await (await tenant.send('POST', '/2015-03-31/functions/c/versions', {})).json()) as { Version: string };
    expect((await tenant.send('POST', '/2015-03-31/functions/c/aliases', { Name: 'live', FunctionVersion: v1.Version })).status).toBe(201);
    expect(await invoke(tenant, 'c:live')).toBe('three');
    expect((await tenant.send('PUT', '/2015-03-31/functions/c/aliases/live', { FunctionVersion: v2.Version })).status).toBe(200);
    expect(await invoke(tenant, 'c:live')).toBe('four');
    expect((await tenant.send('DELETE', '/2015-03-31/functions/c')).status).toBe(204);
    expect((await tenant.send('POST', '/2015-03-31/functions/c/invocations', {})).status).toBe(404);
  });

  it('keeps a plan it did not see change until its time is up; the API\'s reads and a time of 0 read the registry', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'k', 'exports.handler = async () => 1;', { Timeout: 3 });
    const cached = withCacheSeconds('3600');
    const uncached = withCacheSeconds('0');
    expect((await resolveFunction(cached, tenant.accountId, 'k'))?.record.timeoutSeconds).toBe(3);
    // A change this isolate's stubs did not make, as another isolate's would be.
    const raw = env.FUNCTIONS.get(env.FUNCTIONS.idFromName(tenant.accountId));
    expect((await raw.update('k', { timeoutSeconds: 9 })).ok).toBe(true);
    expect((await resolveFunction(cached, tenant.accountId, 'k'))?.record.timeoutSeconds).toBe(3);
    expect((await resolveFunction(cached, tenant.accountId, 'k', undefined, 'primary'))?.record.timeoutSeconds).toBe(9);
    expect((await resolveFunction(uncached, tenant.accountId, 'k'))?.record.timeoutSeconds).toBe(9);
  });

  it('never caches a function that does not exist: one created meanwhile is invocable at once', async () => {
    const tenant = await createTenant();
    const cached = withCacheSeconds('3600');
    expect(await resolveFunction(cached, tenant.accountId, 'later')).toBeUndefined();
    await deploy(tenant, 'later', 'exports.handler = async () => 1;');
    expect((await resolveFunction(cached, tenant.accountId, 'later'))?.record.name).toBe('later');
  });
});
