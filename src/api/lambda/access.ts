// What each Lambda route asks IAM (AWS's "Actions, resources, and condition keys for AWS Lambda"):
// its lambda:<Action> and the function's ARN, qualified when the request names a qualifier;
// account-level operations on `*`; iam:PassRole on a role the body hands a function. Checked by one
// guard ahead of every route (src/api/lambda/index.ts).
import type { Context } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import type { OperationAccess, RouteAccess } from '../../protocols/operation-access';
import { functionRegistry } from '../../bindings';
import { resourcePolicyOf } from '../../auth/resource-policy';
import { TAGS_PATH, taggedResource } from './tags';

/** The function a `:name` path parameter (and `?Qualifier=`) names, read leniently: the route itself refuses a malformed name. */
interface NamedFunction {
  accountId: string;
  region: string;
  name: string;
  qualifier: string | undefined;
}

function namedFunction(c: Context<AppContext>): NamedFunction {
  const caller = c.get('caller');
  const parts = (c.req.param('name') ?? '').split(':');
  const named: NamedFunction = { accountId: caller.accountId, region: caller.region, name: parts[0] ?? '', qualifier: parts[1] };
  if (parts[0] === 'arn' && parts.length >= 7) Object.assign(named, { region: parts[3], accountId: parts[4], name: parts[6], qualifier: parts[7] });
  else if (parts.length >= 3 && parts[1] === 'function') Object.assign(named, { accountId: parts[0], name: parts[2], qualifier: parts[3] });
  named.qualifier = named.qualifier || c.req.query('Qualifier') || undefined;
  return named;
}

const arnOf = (f: NamedFunction, qualified: boolean) =>
  `arn:aws:lambda:${f.region}:${f.accountId}:function:${f.name}${qualified && f.qualifier ? `:${f.qualifier}` : ''}`;

/**
 * `lambda:<action>` on the function the path names (its qualified ARN when `qualified` and a
 * qualifier is given). Another account's or region's function is left to the route, which
 * answers it as not found, as it always has.
 */
function onFunction(action: string, qualified = true) {
  return (c: Context<AppContext>): OperationAccess | undefined => {
    const f = namedFunction(c);
    const caller = c.get('caller');
    if (f.accountId !== caller.accountId || f.region !== caller.region) return undefined;
    return { action: `lambda:${action}`, resource: arnOf(f, qualified) };
  };
}

/**
 * lambda:InvokeFunction on the function's (qualified) ARN, in whichever account it is: another
 * account's function runs when, and only when, its resource policy allows the caller
 * (docs/IAM.md, "Cross-account invocation"). The policy is read only when the decision needs it.
 */
function invokeAccess(c: Context<AppContext>): OperationAccess | undefined {
  const f = namedFunction(c);
  if (f.region !== c.get('caller').region) return undefined;
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
    if (f.accountId !== c.get('caller').accountId || f.region !== c.get('caller').region) return undefined;
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
];
