// A function's runtime settings: Get/PutRuntimeManagementConfig ($LATEST or a version; faasbox has
// one runtime version, so every mode only records the choice) and Get/PutFunctionRecursionConfig
// (stored and answered; faasbox detects no recursive loops).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { functionNotFound, invalidParameter, validationError } from '../../errors';
import { functionArn, type Caller } from '../../function-names';
import type { FunctionRecord, RuntimeManagement } from '../../records/function';
import { isVersionNumber } from '../../records/versions';
import { functionRegistry } from '../../bindings';
import { functionReference } from './function-reference';
import { findQualifiedFunction } from './qualified-function';
import { parseRequest } from './function-config';

export const runtimeSettingsRoutes = new Hono<AppContext>();

const RUNTIME_PATH = '/2021-07-20/functions/:name/runtime-management-config';
const RECURSION_PATH = '/2024-08-31/functions/:name/recursion-config';
const QUALIFIER_PATTERN = '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+';
const RUNTIME_VERSION_ARN_PATTERN = 'arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}::runtime:.+';

/** The one runtime version faasbox runs (what FunctionConfiguration's RuntimeVersionConfig shows). */
export const runtimeVersionArn = (caller: Caller) => `arn:aws:lambda:${caller.region}::runtime:faasbox-quickjs`;

const PutRuntimeManagementConfigRequest = z.object({
  UpdateRuntimeOn: z.enum(['Auto', 'Manual', 'FunctionUpdate'], { error: 'Member must satisfy enum value set: [Auto, Manual, FunctionUpdate]' }),
  RuntimeVersionArn: z.string()
    .min(26, { error: 'Member must have length greater than or equal to 26' })
    .max(2048, { error: 'Member must have length less than or equal to 2048' })
    .regex(new RegExp(`^(?:${RUNTIME_VERSION_ARN_PATTERN})$`), { error: `Member must satisfy regular expression pattern: ${RUNTIME_VERSION_ARN_PATTERN}` })
    .optional(),
});
const PutFunctionRecursionConfigRequest = z.object({
  RecursiveLoop: z.enum(['Allow', 'Terminate'], { error: 'Member must satisfy enum value set: [Terminate, Allow]' }),
});

/** The function and version a runtime management request names: $LATEST (also when none) or a published version. */
async function runtimeTarget(c: Context<AppContext>): Promise<{ record: FunctionRecord; qualifier: string; given?: string }> {
  const caller = c.get('caller');
  const { name, qualifier } = functionReference(c);
  if (qualifier !== undefined && (qualifier.length > 128 || !new RegExp(`^(?:${QUALIFIER_PATTERN})$`).test(qualifier))) {
    throw validationError(qualifier, 'qualifier', `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`);
  }
  const registry = functionRegistry(c.env, caller.accountId);
  const resolved = qualifier === undefined || qualifier === '$LATEST' || isVersionNumber(qualifier)
    ? await registry.resolve(name, qualifier, 'primary')
    : undefined;
  if (!resolved) throw functionNotFound(functionArn(caller, name, qualifier));
  return { record: resolved.record, qualifier: qualifier ?? '$LATEST', given: qualifier };
}

function renderRuntimeManagement(caller: Caller, record: FunctionRecord, qualifier: string | undefined) {
  const config: RuntimeManagement = record.runtimeManagement ?? { updateRuntimeOn: 'Auto' };
  return {
    UpdateRuntimeOn: config.updateRuntimeOn,
    // Lambda answers the runtime version only in Manual mode.
    ...(config.updateRuntimeOn === 'Manual' ? { RuntimeVersionArn: config.runtimeVersionArn ?? runtimeVersionArn(caller) } : {}),
    FunctionArn: functionArn(caller, record.name, qualifier),
  };
}

runtimeSettingsRoutes.get(RUNTIME_PATH, async (c) => {
  const { record, given } = await runtimeTarget(c);
  return c.json(renderRuntimeManagement(c.get('caller'), record, given));
});

runtimeSettingsRoutes.put(RUNTIME_PATH, async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(PutRuntimeManagementConfigRequest, jsonBody(c));
  const { record, qualifier, given } = await runtimeTarget(c);
  if (request.UpdateRuntimeOn === 'Manual') {
    if (request.RuntimeVersionArn === undefined) throw invalidParameter('UpdateRuntimeOn Manual needs a RuntimeVersionArn.');
    if (request.RuntimeVersionArn !== runtimeVersionArn(caller)) {
      throw invalidParameter(`The runtime version ${request.RuntimeVersionArn} does not exist: faasbox has one runtime version, ${runtimeVersionArn(caller)}.`);
    }
  } else if (request.RuntimeVersionArn !== undefined) {
    throw invalidParameter(`A RuntimeVersionArn can be given only with UpdateRuntimeOn Manual, not ${request.UpdateRuntimeOn}.`);
  }
  const runtimeManagement: RuntimeManagement = {
    updateRuntimeOn: request.UpdateRuntimeOn,
    ...(request.RuntimeVersionArn !== undefined && { runtimeVersionArn: request.RuntimeVersionArn }),
  };
  const result = await functionRegistry(c.env, caller.accountId).setRuntimeManagement(record.name, qualifier, runtimeManagement);
  if (!result.ok) throw functionNotFound(functionArn(caller, record.name, given));
  return c.json(renderRuntimeManagement(caller, result.value, given));
});

runtimeSettingsRoutes.get(RECURSION_PATH, async (c) => {
  const { record } = await findQualifiedFunction(c, 'none');
  return c.json({ RecursiveLoop: record.recursiveLoop ?? 'Terminate' });
});

runtimeSettingsRoutes.put(RECURSION_PATH, async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(PutFunctionRecursionConfigRequest, jsonBody(c));
  const { record } = await findQualifiedFunction(c, 'none');
  const result = await functionRegistry(c.env, caller.accountId).setRecursiveLoop(record.name, request.RecursiveLoop);
  if (!result.ok) throw functionNotFound(functionArn(caller, record.name));
  return c.json({ RecursiveLoop: request.RecursiveLoop });
});
