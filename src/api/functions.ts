// Lambda's function resource: CreateFunction, GetFunction, GetFunctionConfiguration,
// ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction.
import { Hono, type Context } from 'hono';
import type { AppContext } from '../app';
import { jsonBody } from '../app';
import { functionNotFound, invalidParameter, LambdaError, preconditionFailed, resourceConflict } from '../errors';
import { functionArn, parseFunctionReference, parseNewFunctionName, type Caller, type FunctionReference } from '../function-names';
import { acceptZip, codeKey, functionCodePrefix } from '../code/bundle';
import { lambdaTimestamp, type FunctionRecord } from '../records/function';
import { LIST_FUNCTIONS_MAX_ITEMS, MEMORY_DEFAULT_MB, TIMEOUT_DEFAULT_SECONDS } from '../limits';
import { createCodeLocation } from './code-download';
import { concurrencyLimiter } from '../invoke/invoke-function';
import { resolveQualifier } from '../invoke/resolve-qualifier';
import { parseMaxItems, publishVersion, versionsError } from './versions';
import { forgetFunctionUrls } from './function-urls';
import {
  checkEnvironment, checkRuntime, checkTargetArn, CreateFunctionRequest, parseRequest, renderConfiguration,
  UpdateFunctionCodeRequest, UpdateFunctionConfigurationRequest,
} from './function-config';

export const functionRoutes = new Hono<AppContext>();

export function functionRegistry(env: Env, accountId: string) {
  return env.FUNCTIONS.get(env.FUNCTIONS.idFromName(accountId));
}

/**
 * The `:name` path parameter and the `Qualifier` query parameter together; a qualifier in the
 * name (`fn:live`) must agree with the query's, as in Lambda.
 */
export function functionReference(c: Context<AppContext>): FunctionReference {
  const ref = parseFunctionReference(c.req.param('name')!, c.get('caller'));
  const query = c.req.query('Qualifier') || undefined;
  if (ref.qualifier !== undefined && query !== undefined && ref.qualifier !== query) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { name: ref.name, qualifier: ref.qualifier ?? query };
}

/** The $LATEST record of the function named by the `:name` path parameter, or ResourceNotFoundException. */
export async function findFunction(c: Context<AppContext>): Promise<FunctionRecord> {
  const caller = c.get('caller');
  const { name, qualifier } = functionReference(c);
  const record = await functionRegistry(c.env, caller.accountId).get(name);
  if (!record || (qualifier !== undefined && qualifier !== '$LATEST')) throw functionNotFound(functionArn(caller, name, qualifier));
  return record;
}

/** The snapshot a qualified read (GetFunction, GetFunctionConfiguration) shows: an alias's primary version. */
async function findQualified(c: Context<AppContext>): Promise<{ record: FunctionRecord; qualifier?: string }> {
  const caller = c.get('caller');
  const { name, qualifier } = functionReference(c);
  const resolved = await resolveQualifier(functionRegistry(c.env, caller.accountId), name, qualifier, 'primary');
  if (!resolved) throw functionNotFound(functionArn(caller, name, qualifier));
  return { record: resolved.record, qualifier };
}

/**
 * Accepts an uploaded zip and stores it in R2 (unless `dryRun`); returns the code fields of a
 * FunctionRecord.
 */
async function storeCode(env: Env, caller: Caller, functionName: string, code: { ZipFile?: string; S3Bucket?: string; ImageUri?: string }, dryRun = false) {
  if (code.ZipFile === undefined) {
    throw invalidParameter(code.S3Bucket || code.ImageUri
      ? 'faasbox accepts function code as Code.ZipFile only (S3 and container images are not supported).'
      : 'Please provide a source for function code.');
  }
  const zip = await acceptZip(code.ZipFile);
  const key = codeKey(caller.accountId, functionName, zip.hexSha256);
  if (!dryRun) await env.CODE.put(key, zip.bytes);
  return { codeKey: key, codeSha256: zip.codeSha256, codeSize: zip.bytes.byteLength };
}

functionRoutes.post('/2015-03-31/functions', async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(CreateFunctionRequest, jsonBody(c));
  const name = parseNewFunctionName(request.FunctionName, caller);
  if (request.PackageType === 'Image') throw invalidParameter('faasbox runs Zip packages only; PackageType Image is not supported.');
  checkRuntime(request.Runtime);
  if (request.Handler === undefined) throw invalidParameter('Handler is required for Zip packages.');
  const environment = request.Environment?.Variables ?? {};
  checkEnvironment(environment);
  if (request.DeadLetterConfig?.TargetArn) checkTargetArn(request.DeadLetterConfig.TargetArn, caller, 'dead-letter');
  const registry = functionRegistry(c.env, caller.accountId);
  if (await registry.get(name)) throw resourceConflict(`Function already exist: ${name}`);
  const code = await storeCode(c.env, caller, name, request.Code);
  const result = await registry.create({
    name,
    runtime: request.Runtime,
    handler: request.Handler,
    role: request.Role,
    description: request.Description ?? '',
    timeoutSeconds: request.Timeout ?? TIMEOUT_DEFAULT_SECONDS,
    memorySizeMb: request.MemorySize ?? MEMORY_DEFAULT_MB,
    environment,
    tracingMode: request.TracingConfig?.Mode ?? 'PassThrough',
    ...(request.DeadLetterConfig?.TargetArn ? { deadLetterTargetArn: request.DeadLetterConfig.TargetArn } : {}),
    ...code,
    revisionId: crypto.randomUUID(),
    lastModified: lambdaTimestamp(),
  });
  if (!result.ok) throw resourceConflict(`Function already exist: ${name}`);
  if (request.Publish) return c.json(await publishVersion(c, name, {}), 201);
  return c.json(renderConfiguration(result.value, caller), 201);
});

const listFunctions = async (c: Context<AppContext>) => {
  const caller = c.get('caller');
  const maxItems = parseMaxItems(c.req.query('MaxItems'));
  const page = await functionRegistry(c.env, caller.accountId).list(c.req.query('Marker') || undefined, Math.min(maxItems, LIST_FUNCTIONS_MAX_ITEMS));
  return c.json({
    Functions: page.functions.map((f) => renderConfiguration(f, caller)),
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
    Configuration: renderConfiguration(record, caller, qualifier),
    Code: { RepositoryType: 'S3', Location: await createCodeLocation(c.env, new URL(c.req.url).origin, record.codeKey) },
    Tags: {},
    ...(reserved !== undefined ? { Concurrency: { ReservedConcurrentExecutions: reserved } } : {}),
  });
});

functionRoutes.get('/2015-03-31/functions/:name/configuration', async (c) => {
  const { record, qualifier } = await findQualified(c);
  return c.json(renderConfiguration(record, c.get('caller'), qualifier));
});

functionRoutes.put('/2015-03-31/functions/:name/configuration', async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(UpdateFunctionConfigurationRequest, jsonBody(c));
  const current = await findFunction(c);
  if (request.Runtime !== undefined) checkRuntime(request.Runtime);
  if (request.Environment?.Variables) checkEnvironment(request.Environment.Variables);
  if (request.DeadLetterConfig?.TargetArn) checkTargetArn(request.DeadLetterConfig.TargetArn, caller, 'dead-letter');
  const changes: Partial<FunctionRecord> = {
    ...(request.Runtime !== undefined && { runtime: request.Runtime }),
    ...(request.Handler !== undefined && { handler: request.Handler }),
    ...(request.Role !== undefined && { role: request.Role }),
    ...(request.Description !== undefined && { description: request.Description }),
    ...(request.Timeout !== undefined && { timeoutSeconds: request.Timeout }),
    ...(request.MemorySize !== undefined && { memorySizeMb: request.MemorySize }),
    ...(request.Environment !== undefined && { environment: request.Environment.Variables ?? {} }),
    ...(request.TracingConfig?.Mode !== undefined && { tracingMode: request.TracingConfig.Mode }),
    // An empty TargetArn removes the dead-letter queue, as in Lambda.
    ...(request.DeadLetterConfig !== undefined && { deadLetterTargetArn: request.DeadLetterConfig.TargetArn || undefined }),
  };
  const result = await functionRegistry(c.env, caller.accountId).update(current.name, changes, request.RevisionId);
  if (!result.ok) throw updateFailed(result.error, caller, current.name);
  return c.json(renderConfiguration(result.value.record, caller));
});

functionRoutes.put('/2015-03-31/functions/:name/code', async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(UpdateFunctionCodeRequest, jsonBody(c));
  const current = await findFunction(c);
  if (request.RevisionId !== undefined && request.RevisionId !== current.revisionId) throw staleRevision();
  const code = await storeCode(c.env, caller, current.name, request, request.DryRun);
  if (request.DryRun) return c.json({ ...renderConfiguration(current, caller), CodeSha256: code.codeSha256, CodeSize: code.codeSize });
  const registry = functionRegistry(c.env, caller.accountId);
  const result = await registry.update(current.name, code, request.RevisionId);
  if (!result.ok) {
    // The zip just stored may be one $LATEST or a published version already runs (same content).
    if (!(await registry.codeKeyInUse(current.name, code.codeKey))) await c.env.CODE.delete(code.codeKey);
    throw updateFailed(result.error, caller, current.name);
  }
  // The replaced zip goes only when no published version still runs it.
  if (result.value.releasedCodeKey) await c.env.CODE.delete(result.value.releasedCodeKey);
  if (request.Publish) return c.json(await publishVersion(c, current.name, {}));
  return c.json(renderConfiguration(result.value.record, caller));
});

functionRoutes.delete('/2015-03-31/functions/:name', async (c) => {
  const caller = c.get('caller');
  const { name, qualifier } = functionReference(c);
  if (qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  if (qualifier !== undefined) {
    const result = await functionRegistry(c.env, caller.accountId).deleteVersion(name, qualifier);
    if (!result.ok) throw versionsError(result, caller, name);
    if (result.value.releasedCodeKey) await c.env.CODE.delete(result.value.releasedCodeKey);
    return c.body(null, 204);
  }
  const record = await findFunction(c);
  await forgetFunctionUrls(c.env, caller.accountId, record.name);
  await functionRegistry(c.env, caller.accountId).delete(record.name);
  await concurrencyLimiter(c.env, caller.accountId).deleteReservation(record.name);
  await deleteCodePrefix(c.env.CODE, functionCodePrefix(caller.accountId, record.name));
  return c.body(null, 204);
});

/** Deletes every object under `prefix` (a function's or an account's code). */
export async function deleteCodePrefix(bucket: R2Bucket, prefix: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

function staleRevision() {
  return preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
}

function updateFailed(error: 'not-found' | 'conflict' | 'precondition', caller: Caller, name: string): LambdaError {
  if (error === 'precondition') return staleRevision();
  return functionNotFound(functionArn(caller, name));
}
