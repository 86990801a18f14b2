// What each operation asks IAM before it runs (docs/IAM.md, "Actions and resources"): its action
// and resource, declared once per operation beside each service's dispatch table or routes, and
// checked once per protocol (the JSON and Query dispatchers, one route guard per REST API).
import type { Context, Hono } from 'hono';
import type { AuthenticatedCaller } from '../auth/authenticate';
import { AwsJsonError, type AwsError } from '../errors';
import { AccessDeniedError } from '../iam/access-denied';
import type { AuthorizationRequest } from '../iam/evaluate';
import type { NamedPolicy } from '../iam/policy-document';
import { authorize } from '../services/iam/authorize';
import type { AppContext } from './request-context';

/** One operation's question to IAM. */
export interface OperationAccess {
  /** `lambda:InvokeFunction`. */
  action: string;
  /** The resource's ARN, or `*` for an operation on none (ListFunctions). */
  resource: string;
  /** The account the resource belongs to, when it is not the caller's (a cross-account Invoke). */
  resourceAccountId?: string;
  context?: AuthorizationRequest['context'];
  /** The resource's own policy (a function's), read only when the decision needs it. */
  resourcePolicy?: () => Promise<NamedPolicy | undefined>;
}

/**
 * How a service on AWS's JSON or Query protocol names its operations to IAM: `prefix` `sqs` makes
 * SendMessage `sqs:SendMessage`; `resources` gives each operation's resource ARN from its input
 * (never throwing: the operation answers bad input itself); an operation not listed acts on `*`.
 */
export interface ServiceAccess<Context, Input> {
  prefix: string;
  resources: Readonly<Record<string, (context: Context, input: Input) => string>>;
  /** The resource of an operation not in `resources` (IAM: the entity its input names); `*` without one. */
  defaultResource?: (context: Context, input: Input, operation: string) => string;
  /** Operations IAM never refuses (STS GetCallerIdentity, as AWS). */
  unrestricted?: readonly string[];
  /** An IAM refusal in the service's own shape. */
  denied: (message: string) => AwsError;
}

/**
 * Asks IAM whether `caller` may run `operation` of a JSON or Query service; throws the service's
 * refusal otherwise. The account's root passes without a lookup (these services only ever reach
 * the caller's own account), and without its input even being looked at.
 */
export async function checkServiceAccess<Context, Input>(
  env: Env, caller: AuthenticatedCaller, access: ServiceAccess<Context, Input>, operation: string, context: () => Context, input: Input,
): Promise<void> {
  if (caller.principal.kind === 'root' || access.unrestricted?.includes(operation)) return;
  const resource = Object.hasOwn(access.resources, operation)
    ? access.resources[operation]!(context(), input)
    : (access.defaultResource?.(context(), input, operation) ?? '*');
  await checkAccess(env, caller, { action: `${access.prefix}:${operation}`, resource }, access.denied);
}

/** One REST route's question to IAM (Lambda, X-Ray, faasbox's own API). */
export interface RouteAccess {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /**
   * The action and resource, from the request (never throwing); undefined when the route answers
   * the request itself without one (a malformed name, another region's function).
   */
  access: (c: Context<AppContext>) => OperationAccess | undefined;
  /** The route may reach another account's resource (Invoke): even the root's request is evaluated then. */
  crossAccount?: boolean;
}

/**
 * Registers on `app`, ahead of the routes themselves, the one guard that asks IAM for each route
 * of `routes` before its handler runs; a refusal is `denied`'s error. The account's root passes
 * unasked, unless the route may cross accounts or the request names another account's resource.
 */
export function guardRoutes(app: Hono<AppContext>, routes: readonly RouteAccess[], denied: (message: string) => AwsError): void {
  for (const route of routes) {
    app.on(route.method, route.path, async (c, next) => {
      const caller = c.get('caller');
      // The root skips IAM in its own account only: another account's resource is always asked about.
      const access = route.access(c);
      if (caller.principal.kind !== 'root' || route.crossAccount || (access?.resourceAccountId ?? caller.accountId) !== caller.accountId) {
        if (access) {
          await checkAccess(c.env, caller, access, denied);
          // The handler may serve another account's resource only when IAM allowed exactly that.
          if (access.resourceAccountId !== undefined && access.resourceAccountId !== caller.accountId) c.set('authorizedAccountId', access.resourceAccountId);
        }
      }
      await next();
    });
  }
}

/** Asks IAM for `access` on behalf of `caller`; an IAM refusal becomes `denied`'s error. */
export async function checkAccess(env: Env, caller: AuthenticatedCaller, access: OperationAccess, denied: (message: string) => AwsError): Promise<void> {
  const { resourcePolicy, ...request } = access;
  try {
    await authorize(env, caller, request, resourcePolicy);
  } catch (error) {
    if (error instanceof AccessDeniedError) throw denied(error.message);
    throw error;
  }
}

/**
 * AWS's front end's refusal on the JSON protocols (`AccessDeniedException`), which Query clients
 * read as `AccessDenied`.
 */
export class JsonAccessDeniedError extends AwsJsonError {
  readonly queryCode = 'AccessDenied';
}

/** The refusal of a service whose errors are `com.amazon.coral.service#` typed (SQS, CloudWatch): 403 with `x-amzn-query-error`. */
export const coralAccessDenied = (contentType: string) => (message: string) =>
  new JsonAccessDeniedError('AccessDeniedException', message, {
    contentType, typePrefix: 'com.amazon.coral.service#', status: 403, headers: { 'x-amzn-query-error': 'AccessDenied;Sender' },
  });

/** The refusal of a JSON 1.1 service (Logs, EventBridge): 400 AccessDeniedException. */
export const jsonAccessDenied = (contentType: string) => (message: string) => new JsonAccessDeniedError('AccessDeniedException', message, { contentType });
