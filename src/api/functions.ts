// Lambda's function resource: CreateFunction, GetFunction, GetFunctionConfiguration,
// ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction.
import { Hono, type Context } from 'hono';
import type { AppContext } from '../app';
import { jsonBody } from '../app';
import { functionNotFound, invalidParameter, LambdaError, preconditionFailed, resourceConflict, validationError } from '../errors';
import { functionArn, parseFunctionReference, parseNewFunctionName, type Caller } from '../function-names';
import { acceptZip, codeKey, functionCodePrefix } from '../code/bundle';
import { lambdaTimestamp, type FunctionRecord } from '../objects/function-registry';
import { LIST_FUNCTIONS_MAX_ITEMS, MEMORY_DEFAULT_MB, TIMEOUT_DEFAULT_SECONDS } from '../limits';
import { createCodeLocation } from './code-download';
import { concurrencyLimiter } from '../invoke/invoke-function';
import { forgetFunctionUrls } from './function-urls';
import {
  checkEnvironment, checkRuntime, checkTargetArn, CreateFunctionRequest, parseRequest, renderConfiguration,
  UpdateFunctionCodeRequest, UpdateFunctionConfigurationRequest,
} from './function-config';

export const functionRoutes = new Hono<AppContext>();

export function functionRegistry(env: Env, accountId: string) {
  return env.FUNCTIONS.get(env.FUNCTIONS.idFromName(accountId));
}

/** The function named by the `:name` path parameter, or ResourceNotFoundException. */
export async function findFunction(c: Context<AppContext>, options: { forInvoke?: boolean } = {}): Promise<FunctionRecord> {
  const caller = c.get('caller');
  const ref = parseFunctionReference(c.req.param('name')!, caller);
  const qualifier = ref.qualifier ?? c.req.query('Qualifier');
  const record = await functionRegistry(c.env, caller.accountId).get(ref.name);
  if (!record || (qualifier !== undefined && qualifier !== '$LATEST')) {
    throw functionNotFound(functionArn(caller, ref.name, qualifier ?? (options.forInvoke ? '$LATEST' : undefined)));
  }
  return record;
}

/** Accepts an uploaded zip and stores it in R2; returns the code fields of a FunctionRecord. */
async function storeCode(env: Env, caller: Caller, functionName: string, code: { ZipFile?: string; S3Bucket?: string; ImageUri?: string }) {
  if (code.ZipFile === undefined) {
    throw invalidParameter(code.S3Bucket || code.ImageUri
      ? 'faasbox accepts function code as Code.ZipFile only (S3 and container images are not supported).'
      : 'Please provide a source for function code.');
  }
  const zip = await acceptZip(code.ZipFile);
  const key = codeKey(caller.accountId, functionName, zip.hexSha256);
  await env.CODE.put(key, zip.bytes);
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
  return c.json(renderConfiguration(result.value, caller), 201);
});

const listFunctions = async (c: Context<AppContext>) => {
  const caller = c.get('caller');
  const maxItemsParam = c.req.query('MaxItems');
  const maxItems = maxItemsParam === undefined ? LIST_FUNCTIONS_MAX_ITEMS : Number(maxItemsParam);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000) {
    throw validationError(String(maxItemsParam), 'maxItems', 'Member must have value between 1 and 10000');
  }
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
  const record = await findFunction(c);
  const reserved = await concurrencyLimiter(c.env, caller.accountId).getReservation(record.name);
  return c.json({
    Configuration: renderConfiguration(record, caller),
    Code: { RepositoryType: 'S3', Location: await createCodeLocation(c.env, new URL(c.req.url).origin, record.codeKey) },
    Tags: {},
    ...(reserved !== undefined ? { Concurrency: { ReservedConcurrentExecutions: reserved } } : {}),
  });
});

functionRoutes.get('/2015-03-31/functions/:name/configuration', async (c) => {
  return c.json(renderConfiguration(await findFunction(c), c.get('caller')));
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
  const code = await storeCode(c.env, caller, current.name, request);
  if (request.DryRun) {
    if (code.codeKey !== current.codeKey) await c.env.CODE.delete(code.codeKey);
    return c.json({ ...renderConfiguration(current, caller), CodeSha256: code.codeSha256, CodeSize: code.codeSize });
  }
  const result = await functionRegistry(c.env, caller.accountId).update(current.name, code, request.RevisionId);
  if (!result.ok) {
    if (code.codeKey !== current.codeKey) await c.env.CODE.delete(code.codeKey);
    throw updateFailed(result.error, caller, current.name);
  }
  // The replaced zip is referenced by nothing else (no published versions yet).
  if (result.value.previous.codeKey !== code.codeKey) await c.env.CODE.delete(result.value.previous.codeKey);
  return c.json(renderConfiguration(result.value.record, caller));
});

functionRoutes.delete('/2015-03-31/functions/:name', async (c) => {
  const caller = c.get('caller');
  const record = await findFunction(c);
  await functionRegistry(c.env, caller.accountId).delete(record.name);
  await concurrencyLimiter(c.env, caller.accountId).deleteReservation(record.name);
  await forgetFunctionUrls(c.env, caller.accountId, record.name);
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
