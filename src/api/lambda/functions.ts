// Lambda's function resource: CreateFunction, GetFunction, GetFunctionConfiguration,
// ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction. Each route
// parses its request, calls the operation (src/services/functions.ts) and renders the answer.
import { Hono, type Context } from 'hono';
import { concurrencyLimiter, functionRegistry } from '../../bindings';
import { functionNotFound, invalidParameter, validationError } from '../../errors';
import { functionArn, parseNewFunctionName } from '../../function-names';
import type { FunctionChanges, FunctionRecord } from '../../records/function';
import { LIST_FUNCTIONS_MAX_ITEMS, MEMORY_DEFAULT_MB, TIMEOUT_DEFAULT_SECONDS } from '../../limits';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { createFunction, deleteFunction, updateFunctionCode, updateFunctionConfiguration } from '../../services/functions';
import { resolveFunction } from '../../services/resolve-function';
import { resolveFunctionLayers } from '../../services/layers';
import { createCodeLocation } from './code-download';
import { findFunction, functionReference } from './function-reference';
import { parseMaxItems } from './versions';
import { checkTags, renderFunctionTags } from './tags';
import {
  checkEnvironment, checkRuntime, checkTargetArn, CreateFunctionRequest, loggingSettings, parseRequest, renderConfiguration,
  storedMembers, UpdateFunctionCodeRequest, UpdateFunctionConfigurationRequest,
} from './function-config';

export const functionRoutes = new Hono<AppContext>();

/** The snapshot a qualified read (GetFunction, GetFunctionConfiguration) shows: an alias's primary version. */
async function findQualified(c: Context<AppContext>): Promise<{ record: FunctionRecord; qualifier?: string }> {
  const caller = c.get('caller');
  const { name, qualifier } = functionReference(c);
  const resolved = await resolveFunction(c.env, caller.accountId, name, qualifier, 'primary');
  if (!resolved) throw functionNotFound(functionArn(caller, name, qualifier));
  return { record: resolved.record, qualifier };
}

functionRoutes.post('/2015-03-31/functions', async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(CreateFunctionRequest, jsonBody(c));
  const name = parseNewFunctionName(request.FunctionName, caller);
  if (request.PackageType === 'Image') throw invalidParameter('faasbox runs Zip packages only; PackageType Image is not supported.');
  checkRuntime(request.Runtime);
  if (request.Handler === undefined) throw invalidParameter('Handler is required for Zip packages.');
  const environment = request.Environment?.Variables ?? {};
  checkEnvironment(c.env, environment);
  if (request.DeadLetterConfig?.TargetArn) checkTargetArn(request.DeadLetterConfig.TargetArn, caller, 'dead-letter');
  if (request.Tags) checkTags(request.Tags);
  const layers = request.Layers?.length ? await resolveFunctionLayers(c.env, caller, request.Layers) : undefined;
  const record = await createFunction(c.env, caller, name, {
    runtime: request.Runtime,
    handler: request.Handler,
    role: request.Role,
    description: request.Description ?? '',
    timeoutSeconds: request.Timeout ?? TIMEOUT_DEFAULT_SECONDS,
    memorySizeMb: request.MemorySize ?? MEMORY_DEFAULT_MB,
    environment,
    ...(request.KMSKeyArn ? { kmsKeyArn: request.KMSKeyArn } : {}),
    tracingMode: request.TracingConfig?.Mode ?? 'PassThrough',
    ...(request.DeadLetterConfig?.TargetArn ? { deadLetterTargetArn: request.DeadLetterConfig.TargetArn } : {}),
    ...storedMembers(request),
    ...(request.Tags && Object.keys(request.Tags).length > 0 ? { tags: request.Tags } : {}),
    ...(request.LoggingConfig && { loggingConfig: loggingSettings(request.LoggingConfig, name) }),
    ...(layers ? { layers } : {}),
  }, request.Code, request.Publish ?? false);
  // With Publish the answer is version 1's configuration, its FunctionArn unqualified, as Lambda answers.
  return c.json(await renderConfiguration(c.env, record, caller), 201);
});

const MASTER_REGION_PATTERN = 'ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}';

const listFunctions = async (c: Context<AppContext>) => {
  const caller = c.get('caller');
  const maxItems = parseMaxItems(c.req.query('MaxItems'));
  const functionVersion = c.req.query('FunctionVersion');
  if (functionVersion !== undefined && functionVersion !== 'ALL') throw validationError(functionVersion, 'functionVersion', 'Member must satisfy enum value set: [ALL]');
  const masterRegion = c.req.query('MasterRegion');
  if (masterRegion !== undefined) {
    if (!new RegExp(`^(?:${MASTER_REGION_PATTERN})$`).test(masterRegion)) throw validationError(masterRegion, 'masterRegion', `Member must satisfy regular expression pattern: ${MASTER_REGION_PATTERN}`);
    if (functionVersion !== 'ALL') throw invalidParameter('MasterRegion can be given only with FunctionVersion ALL.');
    // MasterRegion lists Lambda@Edge replicas of a master function; faasbox has none.
    return c.json({ Functions: [] });
  }
  const registry = functionRegistry(c.env, caller.accountId);
  const marker = c.req.query('Marker') || undefined;
  const pageSize = Math.min(maxItems, LIST_FUNCTIONS_MAX_ITEMS);
  // With FunctionVersion ALL every version follows its $LATEST, each ARN qualified, as Lambda lists them.
  const page = functionVersion === 'ALL' ? await registry.listWithVersions(marker, pageSize) : await registry.list(marker, pageSize);
  return c.json({
    Functions: await Promise.all(page.functions.map((f) => renderConfiguration(c.env, f, caller, functionVersion === 'ALL' ? (f.version ?? '$LATEST') : undefined, 'listed'))),
    ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
  });
};
functionRoutes.get('/2015-03-31/functions', listFunctions);
functionRoutes.get('/2015-03-31/functions/', listFunctions);

functionRoutes.get('/2015-03-31/functions/:name', async (c) => {
  const caller = c.get('caller');
  const { record, qualifier } = await findQualified(c);
  const reserved = await concurrencyLimiter(c.env, caller.accountId).getReservation(record.name);
  return c.json({
    Configuration: await renderConfiguration(c.env, record, caller, qualifier),
    Code: { RepositoryType: 'S3', Location: await createCodeLocation(c.env, new URL(c.req.url).origin, record.codeKey) },
    ...(await renderFunctionTags(c, record, qualifier)),
    ...(reserved !== undefined ? { Concurrency: { ReservedConcurrentExecutions: reserved } } : {}),
  });
});

functionRoutes.get('/2015-03-31/functions/:name/configuration', async (c) => {
  const { record, qualifier } = await findQualified(c);
  return c.json(await renderConfiguration(c.env, record, c.get('caller'), qualifier));
});

functionRoutes.put('/2015-03-31/functions/:name/configuration', async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(UpdateFunctionConfigurationRequest, jsonBody(c));
  const current = await findFunction(c);
  if (request.Runtime !== undefined) checkRuntime(request.Runtime);
  if (request.Environment?.Variables) checkEnvironment(c.env, request.Environment.Variables);
  if (request.DeadLetterConfig?.TargetArn) checkTargetArn(request.DeadLetterConfig.TargetArn, caller, 'dead-letter');
  const layers = request.Layers?.length ? await resolveFunctionLayers(c.env, caller, request.Layers) : undefined;
  const changes: FunctionChanges = {
    ...(request.Runtime !== undefined && { runtime: request.Runtime }),
    ...(request.Handler !== undefined && { handler: request.Handler }),
    ...(request.Role !== undefined && { role: request.Role }),
    ...(request.Description !== undefined && { description: request.Description }),
    ...(request.Timeout !== undefined && { timeoutSeconds: request.Timeout }),
    ...(request.MemorySize !== undefined && { memorySizeMb: request.MemorySize }),
    ...(request.Environment !== undefined && { environment: request.Environment.Variables ?? {} }),
    // An empty KMSKeyArn goes back to the default key, as in Lambda.
    ...(request.KMSKeyArn !== undefined && { kmsKeyArn: request.KMSKeyArn || undefined }),
    ...(request.TracingConfig?.Mode !== undefined && { tracingMode: request.TracingConfig.Mode }),
    // An empty TargetArn removes the dead-letter queue, as in Lambda.
    ...(request.DeadLetterConfig !== undefined && { deadLetterTargetArn: request.DeadLetterConfig.TargetArn || undefined }),
    // A LoggingConfig replaces the whole setting, as in Lambda.
    ...(request.LoggingConfig !== undefined && { loggingConfig: loggingSettings(request.LoggingConfig, current.name) }),
    // An empty list removes every layer.
    ...(request.Layers !== undefined && { layers }),
    ...storedMembers(request),
  };
  const record = await updateFunctionConfiguration(c.env, caller, current.name, changes, request.RevisionId);
  return c.json(await renderConfiguration(c.env, record, caller));
});

functionRoutes.put('/2015-03-31/functions/:name/code', async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(UpdateFunctionCodeRequest, jsonBody(c));
  const current = await findFunction(c);
  const record = await updateFunctionCode(c.env, caller, current, request, {
    revisionId: request.RevisionId, dryRun: request.DryRun, publish: request.Publish, ...storedMembers(request),
  });
  return c.json(await renderConfiguration(c.env, record, caller, record.version));
});

functionRoutes.delete('/2015-03-31/functions/:name', async (c) => {
  const { name, qualifier } = functionReference(c);
  await deleteFunction(c.env, c.get('caller'), name, qualifier);
  return c.body(null, 204);
});
