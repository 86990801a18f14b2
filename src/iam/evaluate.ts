// Policy evaluation as IAM documents it: an explicit deny anywhere wins; within an account an allow
// from an identity or a resource policy suffices; across accounts both must allow; otherwise the
// request is implicitly denied. Also AWS's AccessDenied wording for each outcome. A leaf: no I/O.
import { conditionsHold } from './conditions';
import type { NamedPolicy, PolicyDocument, PrincipalSpec, Statement } from './policy-document';
import type { ContextLookup } from './policy-variables';
import { patternWithVariables } from './policy-variables';
import { rootArn, type Principal } from './principal';
import { matchesAction, matchesArnPattern, splitArn } from './wildcard';

/** A service acting on its own behalf (S3, EventBridge, Lambda assuming a role): no account, no identity policies. */
export interface ServicePrincipal {
  kind: 'service';
  /** `s3.amazonaws.com`, `lambda.amazonaws.com`. */
  service: string;
  accountId?: undefined;
  arn?: undefined;
}

export interface AuthorizationRequest {
  /** `lambda:InvokeFunction`. */
  action: string;
  /** The resource's ARN, or `*` for actions that name none (ListFunctions). */
  resource: string;
  principal: Principal | ServicePrincipal;
  /** The account that owns the resource; the principal's account by default. */
  resourceAccountId?: string;
  /**
   * Condition keys of the request (aws:SourceArn, aws:SourceAccount, aws:SourceIp,
   * aws:SecureTransport, lambda:FunctionUrlAuthType, ...). aws:PrincipalArn, aws:PrincipalAccount,
   * aws:PrincipalType, aws:userid, aws:username, aws:CurrentTime and aws:EpochTime are derived
   * from the principal and `now` and override any value given here.
   */
  context?: Record<string, string | string[]>;
  /** The time of the request, epoch milliseconds; Date.now() by default. */
  now?: number;
}

/** IAM's EvalDecision values (SimulatePrincipalPolicy). */
export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** A statement that decided the outcome: where it is, by policy name and index in the document. */
export interface MatchedStatement {
  source: 'identity' | 'resource';
  policyName: string;
  policyArn?: string;
  sid?: string;
  /** The statement's position in its document, from 0. */
  index: number;
}

export interface EvaluationResult {
  decision: EvalDecision;
  reason: 'allowed' | 'explicit-deny-identity' | 'explicit-deny-resource' | 'no-identity-allow' | 'no-resource-allow';
  /** The allowing statements (allowed), the denying ones (explicit deny), none (implicit deny). */
  matched: MatchedStatement[];
}

/**
 * Decides `request` against the principal's identity policies and the resource's policy (a
 * function's policy, or a role's trust policy for sts:AssumeRole).
 *
 * 1. A Deny statement that applies, in any policy, denies (explicitDeny).
 * 2. The root principal of the resource's account is allowed (its account keys have full access),
 *    except that a trust policy must still allow it.
 * 3. Within one account, an identity allow or a resource-policy allow naming the principal
 *    itself suffices. A resource policy naming only the account (`123456789012`, `:root`)
 *    delegates to the account's identity policies, which must then allow too. A trust policy
 *    must always allow.
 * 4. Across accounts (and for service principals) the resource policy must allow; a
 *    non-root principal also needs an identity allow.
 * 5. Otherwise implicitDeny, with the side that was missing as the reason.
 * @example evaluate({ action: 'lambda:InvokeFunction', resource: fnArn, principal: user }, [policy])
 *   // { decision: 'allowed', reason: 'allowed', matched: [{ source: 'identity', policyName: 'invoke', index: 0 }] }
 */
export function evaluate(request: AuthorizationRequest, identityPolicies: NamedPolicy[], resourcePolicy?: NamedPolicy): EvaluationResult {
  const principal = request.principal;
  const resourceAccountId = request.resourceAccountId ?? principal.accountId;
  const lookup = contextLookup(request);
  const trust = resourcePolicy !== undefined && isTrustDocument(resourcePolicy.document);

  // Root and services carry no identity policies of their own.
  const identity = principal.kind === 'root' || principal.kind === 'service' ? { allows: [], denies: [] } : scanIdentity(identityPolicies, request, lookup);
  const resource = resourcePolicy ? scanResource(resourcePolicy, request, lookup, trust) : { allows: [], denies: [], directAllows: [] };

  if (identity.denies.length > 0) return { decision: 'explicitDeny', reason: 'explicit-deny-identity', matched: identity.denies };
  if (resource.denies.length > 0) return { decision: 'explicitDeny', reason: 'explicit-deny-resource', matched: resource.denies };

  const sameAccount = principal.kind !== 'service' && principal.accountId === resourceAccountId;
  const allowed = (matched: MatchedStatement[]): EvaluationResult => ({ decision: 'allowed', reason: 'allowed', matched });
  const denied = (reason: 'no-identity-allow' | 'no-resource-allow'): EvaluationResult => ({ decision: 'implicitDeny', reason, matched: [] });

  if (principal.kind === 'root') {
    if (sameAccount && !trust) return allowed([]);
    return resource.allows.length > 0 ? allowed(resource.allows) : denied('no-resource-allow');
  }
  if (principal.kind === 'service') return resource.allows.length > 0 ? allowed(resource.allows) : denied('no-resource-allow');

  const identityAllows = identity.allows.length > 0;
  if (sameAccount) {
    if (resource.directAllows.length > 0) return allowed([...identity.allows, ...resource.directAllows]);
    if (trust) {
      if (resource.allows.length === 0) return denied('no-resource-allow');
      return identityAllows ? allowed([...identity.allows, ...resource.allows]) : denied('no-identity-allow');
    }
    return identityAllows ? allowed([...identity.allows, ...resource.allows]) : denied('no-identity-allow');
  }
  if (resource.allows.length === 0) return denied('no-resource-allow');
  return identityAllows ? allowed([...identity.allows, ...resource.allows]) : denied('no-identity-allow');
}

/**
 * AWS's AccessDenied message for a request `result` refused:
 * "User: <arn> is not authorized to perform: <action> on resource: <resource> because no
 * identity-based policy allows the <action> action", "... with an explicit deny in an
 * identity-based policy", "... with an explicit deny in a resource-based policy", "... because no
 * resource-based policy allows the <action> action".
 */
export function accessDeniedMessage(principalArn: string, action: string, resource: string, result: EvaluationResult): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  switch (result.reason) {
    case 'explicit-deny-identity':
      return `${head} with an explicit deny in an identity-based policy`;
    case 'explicit-deny-resource':
      return `${head} with an explicit deny in a resource-based policy`;
    case 'no-identity-allow':
      return `${head} because no identity-based policy allows the ${action} action`;
    case 'no-resource-allow':
      return `${head} because no resource-based policy allows the ${action} action`;
    case 'allowed':
      return head;
  }
}

interface Scan {
  allows: MatchedStatement[];
  denies: MatchedStatement[];
}

function scanIdentity(policies: NamedPolicy[], request: AuthorizationRequest, lookup: ContextLookup): Scan {
  const scan: Scan = { allows: [], denies: [] };
  for (const policy of policies) {
    policy.document.statements.forEach((statement, index) => {
      if (!statementApplies(statement, policy.document, request, lookup, false)) return;
      (statement.effect === 'Deny' ? scan.denies : scan.allows).push(matchedStatement('identity', policy, statement, index));
    });
  }
  return scan;
}

function scanResource(policy: NamedPolicy, request: AuthorizationRequest, lookup: ContextLookup, trust: boolean): Scan & { directAllows: MatchedStatement[] } {
  const scan = { allows: [] as MatchedStatement[], denies: [] as MatchedStatement[], directAllows: [] as MatchedStatement[] };
  policy.document.statements.forEach((statement, index) => {
    const level = principalLevel(statement, request.principal);
    if (level === undefined) return;
    if (!statementApplies(statement, policy.document, request, lookup, trust)) return;
    const matched = matchedStatement('resource', policy, statement, index);
    if (statement.effect === 'Deny') scan.denies.push(matched);
    else {
      scan.allows.push(matched);
      if (level === 'direct') scan.directAllows.push(matched);
    }
  });
  return scan;
}

/** Action, resource (unless a trust policy) and conditions of `statement` all match the request. */
function statementApplies(statement: Statement, document: PolicyDocument, request: AuthorizationRequest, lookup: ContextLookup, trust: boolean): boolean {
  if (statement.action && !statement.action.some((pattern) => matchesAction(pattern, request.action))) return false;
  if (statement.notAction && statement.notAction.some((pattern) => matchesAction(pattern, request.action))) return false;
  const variables = document.version === '2012-10-17' ? lookup : undefined;
  const compile = (segment: string) => patternWithVariables(segment, variables);
  if (!trust) {
    if (statement.resource && !statement.resource.some((pattern) => matchesArnPattern(pattern, request.resource, compile))) return false;
    if (statement.notResource) {
      // A NotResource entry whose variable has no value makes the statement not apply at all.
      if (variables && statement.notResource.some((pattern) => splitArn(pattern).some((segment) => compile(segment) === undefined))) return false;
      if (statement.notResource.some((pattern) => matchesArnPattern(pattern, request.resource, compile))) return false;
    }
  }
  return statement.condition === undefined || conditionsHold(statement.condition, lookup, variables !== undefined);
}

/**
 * The ARNs a principal is known by when a resource policy names it, most specific first: a role
 * session is its session ARN and its role's ARN; every principal is also its account.
 */
function principalIdentities(principal: Principal): string[] {
  const account = rootArn(principal.accountId);
  if (principal.kind === 'root') return [account];
  if (principal.kind === 'user') return [principal.arn, account];
  return [principal.arn, principal.roleArn, account];
}

/** A `Principal` entry's ARN, with a bare account id read as its `:root`. */
const principalEntryArn = (entry: string) => (/^\d{12}$/.test(entry) ? rootArn(entry) : entry);

function specNames(spec: PrincipalSpec, principal: Principal | ServicePrincipal, identity: string | undefined): boolean {
  if (spec === '*') return true;
  if (principal.kind === 'service') {
    return (spec.Service?.some((service) => service === '*' || service === principal.service) ?? false) || (spec.AWS?.includes('*') ?? false);
  }
  return spec.AWS?.some((entry) => entry === '*' || principalEntryArn(entry) === identity) ?? false;
}

/**
 * Whether a resource-policy statement applies to the principal: 'direct' when it names the
 * principal itself (its ARN, its role, or everyone), 'account' when it names only its account
 * (a delegation to the account's own policies), undefined when it does not apply.
 */
function principalLevel(statement: Statement, principal: Principal | ServicePrincipal): 'direct' | 'account' | undefined {
  if (principal.kind === 'service') {
    if (statement.principal) return specNames(statement.principal, principal, undefined) ? 'direct' : undefined;
    return statement.notPrincipal && !specNames(statement.notPrincipal, principal, undefined) ? 'direct' : undefined;
  }
  const identities = principalIdentities(principal);
  if (statement.principal) {
    const spec = statement.principal;
    if (spec === '*' || spec.AWS?.includes('*')) return 'direct';
    const named = identities.findIndex((identity) => specNames(spec, principal, identity));
    if (named < 0) return undefined;
    // Root is its account: naming the account names root itself.
    return named < identities.length - 1 || principal.kind === 'root' ? 'direct' : 'account';
  }
  // NotPrincipal excludes a principal only when every ARN it is known by is listed (so excluding a
  // user takes its ARN and its account), as IAM documents.
  const excluded = statement.notPrincipal !== undefined && identities.every((identity) => specNames(statement.notPrincipal!, principal, identity));
  return excluded ? undefined : 'direct';
}

/** A trust policy (a role's AssumeRolePolicyDocument) names no resource. */
function isTrustDocument(document: PolicyDocument): boolean {
  return document.statements.every((statement) => statement.resource === undefined && statement.notResource === undefined);
}

function matchedStatement(source: 'identity' | 'resource', policy: NamedPolicy, statement: Statement, index: number): MatchedStatement {
  return {
    source,
    policyName: policy.name,
    ...(policy.arn !== undefined ? { policyArn: policy.arn } : {}),
    ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
    index,
  };
}

/** The request's context with the keys IAM derives from the principal and the time, case-insensitive. */
function contextLookup(request: AuthorizationRequest): ContextLookup {
  const values = new Map<string, string[]>();
  for (const [key, value] of Object.entries(request.context ?? {})) values.set(key.toLowerCase(), Array.isArray(value) ? value : [value]);
  const now = request.now ?? Date.now();
  values.set('aws:currenttime', [new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')]);
  values.set('aws:epochtime', [String(Math.floor(now / 1000))]);
  for (const [key, value] of Object.entries(principalKeys(request.principal))) {
    if (value === undefined) values.delete(key);
    else values.set(key, [value]);
  }
  return (key) => values.get(key.toLowerCase());
}

/** aws:Principal* and aws:user* as IAM sets them for each kind of principal (absent: undefined). */
function principalKeys(principal: Principal | ServicePrincipal): Record<string, string | undefined> {
  switch (principal.kind) {
    case 'root':
      return {
        'aws:principalarn': principal.arn, 'aws:principalaccount': principal.accountId, 'aws:principaltype': 'Account',
        'aws:userid': principal.accountId, 'aws:username': undefined,
      };
    case 'user':
      return {
        'aws:principalarn': principal.arn, 'aws:principalaccount': principal.accountId, 'aws:principaltype': 'User',
        'aws:userid': principal.userId, 'aws:username': principal.userName,
      };
    case 'assumed-role':
      // aws:PrincipalArn of a role session is its role's ARN, not the session's.
      return {
        'aws:principalarn': principal.roleArn, 'aws:principalaccount': principal.accountId, 'aws:principaltype': 'AssumedRole',
        'aws:userid': `${principal.roleId}:${principal.sessionName}`, 'aws:username': undefined,
      };
    case 'service':
      return {
        'aws:principalarn': undefined, 'aws:principalaccount': undefined, 'aws:principaltype': undefined,
        'aws:userid': undefined, 'aws:username': undefined, 'aws:principalservicename': principal.service,
      };
  }
}
