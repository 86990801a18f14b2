// Function URL configs: Create/Get/Update/Delete FunctionUrlConfig and ListFunctionUrlConfigs.
// The config lives in the account's FunctionRegistry; its url-id in the AccountDirectory's global
// index, because a request to the URL arrives before its account is known.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { LambdaError, resourceConflict } from '../../errors';
import { functionArn, type Caller } from '../../function-names';
import type { CorsConfig, FunctionUrlRecord } from '../../records/function-url';
import { functionUrlFor, newUrlId } from '../../function-urls/hosts';
import { forgetCachedUrl } from '../../function-urls/targets';
import { forgetUrlIds } from '../../services/function-urls';
import { accountDirectory, functionRegistry } from '../../bindings';
import { checkFunctionUrlCount } from '../../services/playground/quotas';
import { parseRequest } from './function-config';
import { parseMaxItems } from './versions';
import { findQualifiedFunction } from './qualified-function';

export const functionUrlRoutes = new Hono<AppContext>();

const PATH = '/2021-10-31/functions/:name/url';
const LIST_MAX_ITEMS = 50;

const lengthAtMost = (n: number) => `Member must have length less than or equal to ${n}`;
const Strings = (maxItems: number, maxChars: number) =>
  z.array(z.string().max(maxChars, { error: lengthAtMost(maxChars) })).max(maxItems, { error: lengthAtMost(maxItems) });
const Cors = z.object({
  AllowCredentials: z.boolean().optional(),
  AllowHeaders: Strings(100, 1024).optional(),
  AllowMethods: Strings(6, 6).optional(),
  AllowOrigins: z.array(z.string().min(1).max(253, { error: lengthAtMost(253) })).max(100, { error: lengthAtMost(100) }).optional(),
  ExposeHeaders: Strings(100, 1024).optional(),
  MaxAge: z.number().int().min(0, { error: 'Member must have value greater than or equal to 0' })
    .max(86400, { error: 'Member must have value less than or equal to 86400' }).optional(),
});
const AuthType = z.enum(['NONE', 'AWS_IAM'], { error: 'Member must satisfy enum value set: [NONE, AWS_IAM]' });
const InvokeMode = z.enum(['BUFFERED', 'RESPONSE_STREAM'], { error: 'Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]' });
const CreateRequest = z.object({ AuthType: AuthType, Cors: Cors.optional(), InvokeMode: InvokeMode.optional() });
const UpdateRequest = z.object({ AuthType: AuthType.optional(), Cors: Cors.optional(), InvokeMode: InvokeMode.optional() });

/**
 * RESPONSE_STREAM is accepted, stored and answered, but faasbox buffers the response either way:
 * the client gets the whole body at the end (README, docs/FUNCTION-URLS.md).
 */
function checkInvokeMode(mode: 'BUFFERED' | 'RESPONSE_STREAM' | undefined): FunctionUrlRecord['invokeMode'] {
  return mode ?? 'BUFFERED';
}

function render(c: Context<AppContext>, config: FunctionUrlRecord, fields: 'create' | 'full') {
  return {
    FunctionUrl: functionUrlFor(c.env, c.req.url, config.urlId),
    FunctionArn: functionArn(c.get('caller'), config.functionName, config.qualifier || undefined),
    AuthType: config.authType,
    ...(config.cors ? { Cors: config.cors } : {}),
    CreationTime: config.creationTime,
    ...(fields === 'full' ? { LastModifiedTime: config.lastModifiedTime } : {}),
    InvokeMode: config.invokeMode,
  };
}

const noUrlConfig = () =>
  new LambdaError(404, 'ResourceNotFoundException', 'The resource you requested does not exist.', { messageField: 'Message' });

const urlConfigExists = (caller: Caller, name: string, qualifier: string) =>
  resourceConflict(
    `Failed to create function url config for [functionArn = ${functionArn(caller, name, qualifier || undefined)}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
  );

functionUrlRoutes.post(PATH, async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(CreateRequest, jsonBody(c));
  const invokeMode = checkInvokeMode(request.InvokeMode);
  const { record, qualifier } = await findQualifiedFunction(c, 'url');
  const registry = functionRegistry(c.env, caller.accountId);
  if (await registry.getFunctionUrl(record.name, qualifier)) throw urlConfigExists(caller, record.name, qualifier);
  await checkFunctionUrlCount(c.env, caller);
  const now = new Date().toISOString();
  const config: FunctionUrlRecord = {
    urlId: await reserveUrlId(c.env, caller.accountId, record.name, qualifier),
    functionName: record.name,
    qualifier,
    authType: request.AuthType,
    ...(request.Cors ? { cors: request.Cors as CorsConfig } : {}),
    invokeMode,
    creationTime: now,
    lastModifiedTime: now,
  };
  const result = await registry.createFunctionUrl(config);
  if (!result.ok) {
    await accountDirectory(c.env).forgetFunctionUrls(caller.accountId, [config.urlId]);
    if (result.error === 'conflict') throw urlConfigExists(caller, record.name, qualifier);
    throw noUrlConfig();
  }
  return c.json(render(c, config, 'create'), 201);
});

/** Draws url-ids until one is free in the global index, and reserves it for the function. */
async function reserveUrlId(env: Env, accountId: string, functionName: string, qualifier: string): Promise<string> {
  for (;;) {
    const urlId = newUrlId();
    if (await accountDirectory(env).registerFunctionUrl({ urlId, accountId, functionName, qualifier })) return urlId;
  }
}

functionUrlRoutes.get(PATH, async (c) => {
  const { record, qualifier } = await findQualifiedFunction(c, 'url');
  const config = await functionRegistry(c.env, c.get('caller').accountId).getFunctionUrl(record.name, qualifier);
  if (!config) throw noUrlConfig();
  return c.json(render(c, config, 'full'));
});

functionUrlRoutes.put(PATH, async (c) => {
  const request = parseRequest(UpdateRequest, jsonBody(c));
  const { record, qualifier } = await findQualifiedFunction(c, 'url');
  const changes: Partial<FunctionUrlRecord> = {
    ...(request.AuthType !== undefined && { authType: request.AuthType }),
    ...(request.Cors !== undefined && { cors: request.Cors as CorsConfig }),
    ...(request.InvokeMode !== undefined && { invokeMode: checkInvokeMode(request.InvokeMode) }),
  };
  const config = await functionRegistry(c.env, c.get('caller').accountId).updateFunctionUrl(record.name, qualifier, changes);
  if (!config) throw noUrlConfig();
  forgetCachedUrl(config.urlId);
  return c.json(render(c, config, 'full'));
});

functionUrlRoutes.delete(PATH, async (c) => {
  const caller = c.get('caller');
  const { record, qualifier } = await findQualifiedFunction(c, 'url');
  const config = await functionRegistry(c.env, caller.accountId).deleteFunctionUrl(record.name, qualifier);
  if (!config) throw noUrlConfig();
  await accountDirectory(c.env).forgetFunctionUrls(caller.accountId, [config.urlId]);
  forgetCachedUrl(config.urlId);
  return c.body(null, 204);
});

functionUrlRoutes.get('/2021-10-31/functions/:name/urls', async (c) => {
  const maxItems = parseMaxItems(c.req.query('MaxItems'), LIST_MAX_ITEMS, LIST_MAX_ITEMS);
  const { record } = await findQualifiedFunction(c, 'none');
  const page = await functionRegistry(c.env, c.get('caller').accountId).listFunctionUrls(record.name, c.req.query('Marker') || undefined, maxItems);
  return c.json({
    FunctionUrlConfigs: page.configs.map((config) => render(c, config, 'full')),
    ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
  });
});
