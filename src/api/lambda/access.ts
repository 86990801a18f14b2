// What each Lambda route asks IAM (AWS's "Actions, resources, and condition keys for AWS Lambda"):
// its lambda:<Action> and the function's ARN, qualified when the request names a qualifier;
// a layer's on the layer (version) ARN; account-level operations on `*`; iam:PassRole on a role
// the body hands a function. Checked by one guard ahead of every route (src/api/lambda/index.ts).
import type { Context } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import type { OperationAccess, RouteAccess } from '../../protocols/operation-access';
import { functionRegistry } from '../../bindings';
import { resourcePolicyOf } from '../../auth/resource-policy';
import { TAGS_PATH, taggedResource } from './tags';
import { layerArn, layerVersionArn, namedLayer, parseLayerArn } from '../../records/layers';
import { locateFunction, type FunctionLocation } from '../../function-names';

/** The function a `:name` path parameter (and `?Qualifier=`) names; undefined when malformed: the route itself refuses it. */
type NamedFunction = FunctionLocation;

function namedFunction(c: Context<AppContext>): NamedFunction | undefined {
  const named = locateFunction(c.req.param('name') ?? '', c.get('caller'));
  if (named) named.qualifier = named.qualifier || c.req.query('Qualifier') || undefined;
  return named;
}

const arnOf = (f: NamedFunction, qualified: boolean) =>
  `arn:aws:lambda:${f.region}:${f.accountId}:function:${f.name}${qualified && f.qualifier ? `:${f.qualifier}` : ''}`;

/**
 * `lambda:<action>` on the function the path names (its qualified ARN when `qualified` and a
 * qualifier is given). Another account's function is asked as such, with no resource policy:
 * refused with AWS's AccessDeniedException (only Invoke reaches across accounts). A function of
 * another region, or a malformed name, is left to the route (not reachable; ValidationException).
 */
function onFunction(action: string, qualified = true) {
  return (c: Context<AppContext>): OperationAccess | undefined => {
    const f = namedFunction(c);
    const caller = c.get('caller');
    if (!f || (f.region !== caller.region && f.accountId === caller.accountId)) return undefined;
    return { action: `lambda:${action}`, resource: arnOf(f, qualified), ...(f.accountId !== caller.accountId ? { resourceAccountId: f.accountId } : {}) };
  };
}

/**
 * lambda:InvokeFunction on the function's (qualified) ARN, in whichever account it is: another
 * account's function runs when, and only when, its resource policy allows the caller
 * (docs/IAM.md, "Cross-account invocation"). The policy is read only when the decision needs it.
 */
function invokeAccess(c: Context<AppContext>): OperationAccess | undefined {
  const f = namedFunction(c);
  if (!f || f.region !== c.get('caller').region) return undefined;
  return {
    action: 'lambda:InvokeFunction',
    resource: arnOf(f, true),
    resourceAccountId: f.accountId,
    resourcePolicy: async () => resourcePolicyOf(await functionRegistry(c.env, f.accountId).getPolicy(f.name, f.qualifier ?? '')),
  };
}

/** `lambda:<action>` on no particular resource. */
const onAccount = (action: string) => (): OperationAccess => ({ action: `lambda:${action}`, resource: '*' });

/** A member of the JSON body, read leniently: the route itself refuses a body that is not JSON. */
function bodyMember(c: Context<AppContext>, member: string): unknown {
  try {
    return (JSON.parse(new TextDecoder().decode(c.get('body'))) as Record<string, unknown> | null)?.[member];
  } catch {
    return undefined;
  }
}

/** CreateFunction names its function in the body. */
function createFunctionAccess(c: Context<AppContext>): OperationAccess {
  const caller = c.get('caller');
  const name = bodyMember(c, 'FunctionName');
  const plain = typeof name === 'string' ? (name.split(':').at(name.startsWith('arn:') ? 6 : -1) ?? name) : '';
  return { action: 'lambda:CreateFunction', resource: `arn:aws:lambda:${caller.region}:${caller.accountId}:function:${plain}` };
}

/**
 * iam:PassRole on the execution role the body names (CreateFunction, UpdateFunctionConfiguration),
 * which Lambda asks after the operation's own action: a caller may hand a function only a role it
 * may pass. Nothing is asked without a Role, nor for another account's function (not found, as above).
 */
function passRoleAccess(c: Context<AppContext>): OperationAccess | undefined {
  const role = bodyMember(c, 'Role');
  if (typeof role !== 'string' || role === '') return undefined;
  if (c.req.param('name') !== undefined) {
    const f = namedFunction(c);
    if (!f || f.accountId !== c.get('caller').accountId || f.region !== c.get('caller').region) return undefined;
  }
  return { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } };
}

/**
 * lambda:<action> on the resource a tags route's ARN names. Another account's resource is asked
 * as such (AccessDeniedException: no resource policy allows tagging it); a malformed ARN is left to
 * the route's ValidationException.
 */
function onTaggedResource(action: string) {
  return (c: Context<AppContext>): OperationAccess | undefined => {
    const resource = taggedResource(c.req.param('arn') ?? '');
    if (!resource) return undefined;
    const caller = c.get('caller');
    return { action: `lambda:${action}`, resource: resource.arn, ...(resource.accountId !== caller.accountId && { resourceAccountId: resource.accountId }) };
  };
}

/**
 * lambda:TagResource too when a create names Tags (Lambda's "tag on create"): on the new
 * function's ARN, or for a mapping, whose UUID is not known yet, on the account's mappings.
 */
function tagOnCreateAccess(resourceOf: (c: Context<AppContext>) => string) {
  return (c: Context<AppContext>): OperationAccess | undefined => {
    const tags = bodyMember(c, 'Tags');
    if (typeof tags !== 'object' || tags === null || Object.keys(tags).length === 0) return undefined;
    return { action: 'lambda:TagResource', resource: resourceOf(c) };
  };
}

function onEventSourceMapping(action: string) {
  return (c: Context<AppContext>): OperationAccess => {
    const { region, accountId } = c.get('caller');
    return { action: `lambda:${action}`, resource: `arn:aws:lambda:${region}:${accountId}:event-source-mapping:${c.req.param('uuid') ?? ''}` };
  };
}

/** A new mapping's ARN before it has a UUID. */
function newMappingsArn(c: Context<AppContext>): string {
  const { region, accountId } = c.get('caller');
  return `arn:aws:lambda:${region}:${accountId}:event-source-mapping:*`;
}

/**
 * `lambda:<action>` on the layer the path names (its version ARN with `versioned`), in whichever
 * account it is: IAM refuses another account's layer unless, for lambda:GetLayerVersion, the
 * version's policy allows the caller (docs/LAYERS.md). A malformed name is left to the route.
 */
function onLayer(action: string, versioned: boolean) {
  return (c: Context<AppContext>): OperationAccess | undefined => {
    const caller = c.get('caller');
    const layer = namedLayer(c.req.param('layerName') ?? '', caller);
    if (!layer || layer.region !== caller.region) return undefined;
    return layerAccess(c, action, layer, versioned ? c.req.param('version') : undefined);
  };
}

function layerAccess(c: Context<AppContext>, action: string, layer: { accountId: string; region: string; layerName: string }, version: string | undefined): OperationAccess {
  const resource = version === undefined ? layerArn(layer.region, layer.accountId, layer.layerName) : layerVersionArn(layer.region, layer.accountId, layer.layerName, version);
  const readsPolicy = action === 'GetLayerVersion' && version !== undefined && /^[0-9]+$/.test(version);
  return {
    action: `lambda:${action}`,
    resource,
    resourceAccountId: layer.accountId,
    ...(readsPolicy && {
      resourcePolicy: async () => resourcePolicyOf((await functionRegistry(c.env, layer.accountId).getLayerVersion(layer.layerName, Number(version)))?.policy),
    }),
  };
}

/** GET /2018-10-31/layers: GetLayerVersionByArn (`?find=LayerVersion&Arn=`) on the version, or ListLayers on `*`. */
function layersAccess(c: Context<AppContext>): OperationAccess | undefined {
  if (c.req.query('find') !== 'LayerVersion') return { action: 'lambda:ListLayers', resource: '*' };
  const parsed = parseLayerArn(c.req.query('Arn') ?? '');
  if (!parsed || parsed.version === undefined || parsed.region !== c.get('caller').region) return undefined;
  return layerAccess(c, 'GetLayerVersion', parsed, String(parsed.version));
}

const FUNCTIONS = '/2015-03-31/functions';
const ESM = '/2015-03-31/event-source-mappings';
const EVENT_INVOKE_CONFIG = '/2019-09-25/functions/:name/event-invoke-config';
const URL_CONFIG = '/2021-10-31/functions/:name/url';
const FUNCTION_CSC = '/2020-06-30/functions/:name/code-signing-config';
const CSC = '/2020-04-22/code-signing-configs';
const RUNTIME_MANAGEMENT = '/2021-07-20/functions/:name/runtime-management-config';
const RECURSION = '/2024-08-31/functions/:name/recursion-config';

/** `lambda:<action>` on the code signing config the `:arn` path parameter names. */
const onCodeSigningConfig = (action: string) => (c: Context<AppContext>): OperationAccess => ({ action: `lambda:${action}`, resource: c.req.param('arn') ?? '*' });
const LAYER_VERSIONS = '/2018-10-31/layers/:layerName/versions';

/** Every signed Lambda route and what it asks IAM (test/workerd/iam/authorize.test.ts checks none is missing). */
export const LAMBDA_ROUTE_ACCESS: readonly RouteAccess[] = [
  { method: 'POST', path: FUNCTIONS, access: createFunctionAccess },
  { method: 'POST', path: FUNCTIONS, access: passRoleAccess },
  { method: 'POST', path: FUNCTIONS, access: tagOnCreateAccess((c) => createFunctionAccess(c).resource) },
  { method: 'GET', path: FUNCTIONS, access: onAccount('ListFunctions') },
  { method: 'GET', path: `${FUNCTIONS}/`, access: onAccount('ListFunctions') },
  { method: 'GET', path: `${FUNCTIONS}/:name`, access: onFunction('GetFunction') },
  { method: 'DELETE', path: `${FUNCTIONS}/:name`, access: onFunction('DeleteFunction') },
  { method: 'GET', path: `${FUNCTIONS}/:name/configuration`, access: onFunction('GetFunctionConfiguration') },
  { method: 'PUT', path: `${FUNCTIONS}/:name/configuration`, access: onFunction('UpdateFunctionConfiguration', false) },
  { method: 'PUT', path: `${FUNCTIONS}/:name/configuration`, access: passRoleAccess },
  { method: 'PUT', path: `${FUNCTIONS}/:name/code`, access: onFunction('UpdateFunctionCode', false) },
  { method: 'POST', path: `${FUNCTIONS}/:name/invocations`, access: invokeAccess, crossAccount: true },
  { method: 'GET', path: '/2016-08-19/account-settings', access: onAccount('GetAccountSettings') },
  { method: 'GET', path: '/2016-08-19/account-settings/', access: onAccount('GetAccountSettings') },
  { method: 'PUT', path: '/2017-10-31/functions/:name/concurrency', access: onFunction('PutFunctionConcurrency', false) },
  { method: 'GET', path: '/2019-09-30/functions/:name/concurrency', access: onFunction('GetFunctionConcurrency', false) },
  { method: 'DELETE', path: '/2017-10-31/functions/:name/concurrency', access: onFunction('DeleteFunctionConcurrency', false) },
  { method: 'PUT', path: EVENT_INVOKE_CONFIG, access: onFunction('PutFunctionEventInvokeConfig') },
  { method: 'POST', path: EVENT_INVOKE_CONFIG, access: onFunction('UpdateFunctionEventInvokeConfig') },
  { method: 'GET', path: EVENT_INVOKE_CONFIG, access: onFunction('GetFunctionEventInvokeConfig') },
  { method: 'DELETE', path: EVENT_INVOKE_CONFIG, access: onFunction('DeleteFunctionEventInvokeConfig') },
  { method: 'GET', path: `${EVENT_INVOKE_CONFIG}/list`, access: onFunction('ListFunctionEventInvokeConfigs', false) },
  { method: 'POST', path: `${FUNCTIONS}/:name/versions`, access: onFunction('PublishVersion', false) },
  { method: 'GET', path: `${FUNCTIONS}/:name/versions`, access: onFunction('ListVersionsByFunction', false) },
  { method: 'POST', path: URL_CONFIG, access: onFunction('CreateFunctionUrlConfig') },
  { method: 'GET', path: URL_CONFIG, access: onFunction('GetFunctionUrlConfig') },
  { method: 'PUT', path: URL_CONFIG, access: onFunction('UpdateFunctionUrlConfig') },
  { method: 'DELETE', path: URL_CONFIG, access: onFunction('DeleteFunctionUrlConfig') },
  { method: 'GET', path: '/2021-10-31/functions/:name/urls', access: onFunction('ListFunctionUrlConfigs', false) },
  { method: 'POST', path: `${FUNCTIONS}/:name/aliases`, access: onFunction('CreateAlias', false) },
  { method: 'GET', path: `${FUNCTIONS}/:name/aliases`, access: onFunction('ListAliases', false) },
  { method: 'GET', path: `${FUNCTIONS}/:name/aliases/:alias`, access: onFunction('GetAlias', false) },
  { method: 'PUT', path: `${FUNCTIONS}/:name/aliases/:alias`, access: onFunction('UpdateAlias', false) },
  { method: 'DELETE', path: `${FUNCTIONS}/:name/aliases/:alias`, access: onFunction('DeleteAlias', false) },
  { method: 'POST', path: `${FUNCTIONS}/:name/policy`, access: onFunction('AddPermission') },
  { method: 'DELETE', path: `${FUNCTIONS}/:name/policy/:sid`, access: onFunction('RemovePermission') },
  { method: 'GET', path: `${FUNCTIONS}/:name/policy`, access: onFunction('GetPolicy') },
  { method: 'POST', path: ESM, access: onAccount('CreateEventSourceMapping') },
  { method: 'POST', path: `${ESM}/`, access: onAccount('CreateEventSourceMapping') },
  { method: 'POST', path: ESM, access: tagOnCreateAccess(newMappingsArn) },
  { method: 'POST', path: `${ESM}/`, access: tagOnCreateAccess(newMappingsArn) },
  { method: 'GET', path: ESM, access: onAccount('ListEventSourceMappings') },
  { method: 'GET', path: `${ESM}/`, access: onAccount('ListEventSourceMappings') },
  { method: 'GET', path: `${ESM}/:uuid`, access: onEventSourceMapping('GetEventSourceMapping') },
  { method: 'PUT', path: `${ESM}/:uuid`, access: onEventSourceMapping('UpdateEventSourceMapping') },
  { method: 'DELETE', path: `${ESM}/:uuid`, access: onEventSourceMapping('DeleteEventSourceMapping') },
  { method: 'POST', path: TAGS_PATH, access: onTaggedResource('TagResource'), crossAccount: true },
  { method: 'DELETE', path: TAGS_PATH, access: onTaggedResource('UntagResource'), crossAccount: true },
  { method: 'GET', path: TAGS_PATH, access: onTaggedResource('ListTags'), crossAccount: true },
  { method: 'GET', path: FUNCTION_CSC, access: onFunction('GetFunctionCodeSigningConfig', false) },
  { method: 'PUT', path: FUNCTION_CSC, access: onFunction('PutFunctionCodeSigningConfig', false) },
  { method: 'DELETE', path: FUNCTION_CSC, access: onFunction('DeleteFunctionCodeSigningConfig', false) },
  { method: 'GET', path: CSC, access: onAccount('ListCodeSigningConfigs') },
  { method: 'GET', path: `${CSC}/`, access: onAccount('ListCodeSigningConfigs') },
  { method: 'POST', path: CSC, access: onAccount('CreateCodeSigningConfig') },
  { method: 'POST', path: `${CSC}/`, access: onAccount('CreateCodeSigningConfig') },
  { method: 'GET', path: `${CSC}/:arn`, access: onCodeSigningConfig('GetCodeSigningConfig') },
  { method: 'PUT', path: `${CSC}/:arn`, access: onCodeSigningConfig('UpdateCodeSigningConfig') },
  { method: 'DELETE', path: `${CSC}/:arn`, access: onCodeSigningConfig('DeleteCodeSigningConfig') },
  { method: 'GET', path: `${CSC}/:arn/functions`, access: onCodeSigningConfig('ListFunctionsByCodeSigningConfig') },
  { method: 'GET', path: RUNTIME_MANAGEMENT, access: onFunction('GetRuntimeManagementConfig') },
  { method: 'PUT', path: RUNTIME_MANAGEMENT, access: onFunction('PutRuntimeManagementConfig') },
  { method: 'GET', path: RECURSION, access: onFunction('GetFunctionRecursionConfig', false) },
  { method: 'PUT', path: RECURSION, access: onFunction('PutFunctionRecursionConfig', false) },
  // Layers: every route may name another account's layer, so even the root's request is evaluated then.
  { method: 'GET', path: '/2018-10-31/layers', access: layersAccess, crossAccount: true },
  { method: 'POST', path: LAYER_VERSIONS, access: onLayer('PublishLayerVersion', false), crossAccount: true },
  { method: 'GET', path: LAYER_VERSIONS, access: onAccount('ListLayerVersions') },
  { method: 'GET', path: `${LAYER_VERSIONS}/:version`, access: onLayer('GetLayerVersion', true), crossAccount: true },
  { method: 'DELETE', path: `${LAYER_VERSIONS}/:version`, access: onLayer('DeleteLayerVersion', true), crossAccount: true },
  { method: 'POST', path: `${LAYER_VERSIONS}/:version/policy`, access: onLayer('AddLayerVersionPermission', true), crossAccount: true },
  { method: 'GET', path: `${LAYER_VERSIONS}/:version/policy`, access: onLayer('GetLayerVersionPolicy', true), crossAccount: true },
  { method: 'DELETE', path: `${LAYER_VERSIONS}/:version/policy/:sid`, access: onLayer('RemoveLayerVersionPermission', true), crossAccount: true },
];
