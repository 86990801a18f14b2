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

describe('actions and resources', () => {
  it('matches actions case-insensitively with * and ?', () => {
    const p = [policy('p', allow(['LAMBDA:get*', 'sqs:?eleteMessage']))];
    expect(decide(request('lambda:GetFunctionConfiguration', FN), p)).toBe('allowed');
    expect(decide(request('sqs:DeleteMessage', '*'), p)).toBe('allowed');
    expect(decide(request('sqs:DeleteMessageBatch', '*'), p)).toBe('implicitDeny');
    expect(decide(request('lambda:UpdateFunctionCode', FN), p)).toBe('implicitDeny');
  });

  it('matches resources case-sensitively, segment by segment, with * spanning the resource part', () => {
    const p = [policy('p', allow('lambda:InvokeFunction', [`arn:aws:lambda:*:${ACCOUNT}:function:ord*`]))];
    expect(decide(request('lambda:InvokeFunction', FN), p)).toBe('allowed');
    expect(decide(request('lambda:InvokeFunction', `${FN}:PROD`), p)).toBe('allowed');
    expect(decide(request('lambda:InvokeFunction', FN.replace('orders', 'Orders')), p)).toBe('implicitDeny');
    // A * in the region segment does not reach into the account segment.
    expect(decide(request('lambda:InvokeFunction', `arn:aws:lambda:us-east-1:${OTHER}:function:orders`, alice), p)).toBe('implicitDeny');
    const short = [policy('short', allow('lambda:InvokeFunction', 'arn:aws:lambda:*'))];
    expect(decide(request('lambda:InvokeFunction', FN), short)).toBe('allowed');
    // An action that names no resource is allowed only by Resource "*".
    expect(decide(request('lambda:ListFunctions', '*'), p)).toBe('implicitDeny');
  });

  it('denies everything but the listed actions with Deny + NotAction, and reads NotResource', () => {
    const p = [policy('admin', allow('*')), policy('only-logs', deny(undefined, '*', { Action: undefined, NotAction: ['logs:*'] }))];
    expect(decide(request('logs:PutLogEvents', '*'), p)).toBe('allowed');
    expect(evaluate(request('lambda:InvokeFunction', FN), p).reason).toBe('explicit-deny-identity');
    const notResource = [policy('p', { Effect: 'Allow', Action: 'lambda:*', NotResource: `arn:aws:lambda:*:*:function:secret*` })];
    expect(decide(request('lambda:InvokeFunction', FN), notResource)).toBe('allowed');
    expect(decide(request('lambda:InvokeFunction', FN.replace('orders', 'secret-orders')), notResource)).toBe('implicitDeny');
  });
});

describe('resource and trust policies', () => {
  const trust = (principal: unknown, extra: object = {}) => policy('trust', { Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }, 'trust');
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/worker`;
  const assume = (principal: AuthorizationRequest['principal'], more: Partial<AuthorizationRequest> = {}) => request('sts:AssumeRole', roleArn, principal, { resourceAccountId: ACCOUNT, ...more });

  it('lets a service assume a role whose trust policy names it, and no other service', () => {
    const lambda = { kind: 'service', service: 'lambda.amazonaws.com' } as const;
    expect(decide(assume(lambda), [], trust({ Service: 'lambda.amazonaws.com' }))).toBe('allowed');
    expect(evaluate(assume({ kind: 'service', service: 's3.amazonaws.com' }), [], trust({ Service: 'lambda.amazonaws.com' })).reason).toBe('no-resource-allow');
  });

  it('needs the trust policy even for a user whose own policy allows sts:AssumeRole', () => {
    const mayAssume = [policy('assume', allow('sts:AssumeRole'))];
    expect(evaluate(assume(alice), mayAssume, trust({ Service: 'lambda.amazonaws.com' })).reason).toBe('no-resource-allow');
    // Trusting the account delegates to the account's policies; naming the user suffices alone.
    expect(evaluate(assume(alice), [], trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` })).reason).toBe('no-identity-allow');
    expect(decide(assume(alice), mayAssume, trust({ AWS: ACCOUNT }))).toBe('allowed');
    expect(decide(assume(alice), [], trust({ AWS: alice.arn }))).toBe('allowed');
  });

  it('matches a role ARN to its sessions, a session ARN to itself, "*" to everyone', () => {
    const resourceFor = (principal: unknown) => policy('fn', { Effect: 'Allow', Principal: principal, Action: 'lambda:InvokeFunction', Resource: FN }, 'resource');
    const invoke = request('lambda:InvokeFunction', FN, session);
    expect(decide(invoke, [], resourceFor({ AWS: session.kind === 'assumed-role' ? session.roleArn : '' }))).toBe('allowed');
    expect(decide(invoke, [], resourceFor({ AWS: session.arn }))).toBe('allowed');
    expect(decide(invoke, [], resourceFor('*'))).toBe('allowed');
    expect(decide(invoke, [], resourceFor({ AWS: `arn:aws:iam::${ACCOUNT}:role/other` }))).toBe('implicitDeny');
  });

  it('excludes with NotPrincipal only a principal listed with its account', () => {
    const denyAllBut = (names: string[]) => policy('fn', [
      { Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: FN },
      { Effect: 'Deny', NotPrincipal: { AWS: names }, Action: 'lambda:InvokeFunction', Resource: FN },
    ], 'resource');
    expect(evaluate(request('lambda:InvokeFunction', FN), [], denyAllBut([alice.arn])).reason).toBe('explicit-deny-resource');
    expect(decide(request('lambda:InvokeFunction', FN), [], denyAllBut([alice.arn, ACCOUNT]))).toBe('allowed');
  });
});

describe('conditions', () => {
  const guarded = (condition: object) => [policy('p', allow('lambda:InvokeFunction', '*', { Condition: condition }))];
  const withContext = (context: Record<string, string | string[]>, principal: AuthorizationRequest['principal'] = alice, now?: number) =>
    request('lambda:InvokeFunction', FN, principal, { context, ...(now !== undefined ? { now } : {}) });
  const holds = (condition: object, context: Record<string, string | string[]> = {}, principal: AuthorizationRequest['principal'] = alice, now?: number) =>
    decide(withContext(context, principal, now), guarded(condition)) === 'allowed';

  it('compares strings exactly, ignoring case, or with wildcards, and keys case-insensitively', () => {
    expect(holds({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }, { 'AWS:sourceaccount': ACCOUNT })).toBe(true);
    expect(holds({ StringEquals: { 'aws:SourceAccount': [OTHER, ACCOUNT] } }, { 'aws:SourceAccount': ACCOUNT })).toBe(true);
    expect(holds({ StringEquals: { 'aws:SourceAccount': OTHER } }, { 'aws:SourceAccount': ACCOUNT })).toBe(false);
    expect(holds({ StringNotEquals: { 'aws:SourceAccount': OTHER } }, { 'aws:SourceAccount': ACCOUNT })).toBe(true);
    expect(holds({ StringEqualsIgnoreCase: { 'lambda:FunctionUrlAuthType': 'aws_iam' } }, { 'lambda:FunctionUrlAuthType': 'AWS_IAM' })).toBe(true);
    expect(holds({ StringNotEqualsIgnoreCase: { 'lambda:FunctionUrlAuthType': 'none' } }, { 'lambda:FunctionUrlAuthType': 'NONE' })).toBe(false);
    expect(holds({ StringLike: { 'aws:UserAgent': 'aws-cli/2.*' } }, { 'aws:UserAgent': 'aws-cli/2.9.19 Python/3.11' })).toBe(true);
    expect(holds({ StringNotLike: { 'aws:UserAgent': 'aws-cli/*' } }, { 'aws:UserAgent': 'boto3/1.26' })).toBe(true);
  });

  it('treats a missing key as false, negations as true, and IfExists as true', () => {
    expect(holds({ StringEquals: { 'aws:SourceArn': FN } })).toBe(false);
    expect(holds({ StringNotEquals: { 'aws:SourceArn': FN } })).toBe(true);
    expect(holds({ StringEqualsIfExists: { 'aws:SourceArn': FN } })).toBe(true);
    expect(holds({ StringEqualsIfExists: { 'aws:SourceArn': FN } }, { 'aws:SourceArn': `${FN}x` })).toBe(false);
    expect(holds({ Null: { 'aws:SourceArn': 'true' } })).toBe(true);
    expect(holds({ Null: { 'aws:SourceArn': 'false' } })).toBe(false);
    expect(holds({ Null: { 'aws:SourceArn': 'false' } }, { 'aws:SourceArn': FN })).toBe(true);
  });

  it('applies ForAllValues and ForAnyValue to multivalued keys, an absent key included', () => {
    const tags = { 'aws:TagKeys': ['team', 'cost'] };
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost', 'owner'] } }, tags)).toBe(true);
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, tags)).toBe(false);
    expect(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }, tags)).toBe(true);
    expect(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner'] } }, tags)).toBe(false);
    // With no key at all ForAllValues holds (the empty set) and ForAnyValue does not.
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } })).toBe(true);
    expect(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } })).toBe(false);
    expect(holds({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': ['team'] } })).toBe(true);
    expect(holds({ 'ForAllValues:StringNotLike': { 'aws:TagKeys': ['secret*'] } }, tags)).toBe(true);
  });

  it('ANDs operators and keys and ORs values', () => {
    const both = { StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': FN } };
    expect(holds(both, { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': FN })).toBe(true);
    expect(holds(both, { 'aws:SourceAccount': ACCOUNT })).toBe(false);
    expect(holds({ StringEquals: { 'aws:SourceAccount': ACCOUNT }, Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SourceAccount': ACCOUNT, 'aws:SecureTransport': 'false' })).toBe(false);
  });

  it('compares numbers, booleans and binary values', () => {
    expect(holds({ NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': '9' })).toBe(true);
    expect(holds({ NumericLessThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '10.0' })).toBe(true);
    expect(holds({ NumericGreaterThan: { 's3:max-keys': '10' } }, { 's3:max-keys': '10' })).toBe(false);
    expect(holds({ NumericGreaterThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '11' })).toBe(true);
    expect(holds({ NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' })).toBe(false);
    expect(holds({ NumericNotEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '11' })).toBe(true);
    expect(holds({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'TRUE' })).toBe(true);
    expect(holds({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'true' })).toBe(false);
    expect(holds({ BinaryEquals: { 'x:blob': 'QmluYXJ5' } }, { 'x:blob': 'QmluYXJ5' })).toBe(true);
  });

  it('compares dates in ISO 8601 and epoch seconds, against aws:CurrentTime and aws:EpochTime', () => {
    const now = Date.parse('2026-06-15T12:00:00Z');
    expect(holds({ DateLessThan: { 'aws:CurrentTime': '2026-12-31T23:59:59Z' } }, {}, alice, now)).toBe(true);
    expect(holds({ DateGreaterThan: { 'aws:CurrentTime': '2026-07-01' } }, {}, alice, now)).toBe(false);
    expect(holds({ DateGreaterThanEquals: { 'aws:EpochTime': String(now / 1000) } }, {}, alice, now)).toBe(true);
    expect(holds({ DateLessThanEquals: { 'aws:CurrentTime': String(now / 1000 - 1) } }, {}, alice, now)).toBe(false);
    expect(holds({ DateEquals: { 'aws:TokenIssueTime': '2026-06-15T12:00:00Z' } }, { 'aws:TokenIssueTime': String(now / 1000) })).toBe(true);
    expect(holds({ DateNotEquals: { 'aws:TokenIssueTime': '2026-06-15T12:00:00Z' } }, { 'aws:TokenIssueTime': '2026-06-15T12:00:01Z' })).toBe(true);
  });

  it('checks IPv4 and IPv6 addresses against CIDR blocks', () => {
    const ranges = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } };
    expect(holds(ranges, { 'aws:SourceIp': '203.0.113.77' })).toBe(true);
    expect(holds(ranges, { 'aws:SourceIp': '203.0.114.1' })).toBe(false);
    expect(holds(ranges, { 'aws:SourceIp': '2001:db8:85a3::8a2e:370:7334' })).toBe(true);
    expect(holds(ranges, { 'aws:SourceIp': '2001:db9::1' })).toBe(false);
    expect(holds({ IpAddress: { 'aws:SourceIp': '198.51.100.7' } }, { 'aws:SourceIp': '198.51.100.7' })).toBe(true);
    expect(holds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '192.0.2.1' })).toBe(true);
    expect(holds({ IpAddress: { 'aws:SourceIp': '::ffff:192.0.2.0/120' } }, { 'aws:SourceIp': '::ffff:192.0.2.9' })).toBe(true);
  });

  it('matches ARNs segment by segment with ArnLike and ArnEquals, and their negations', () => {
    const source = { 'aws:SourceArn': `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly` };
    expect(holds({ ArnLike: { 'aws:SourceArn': `arn:aws:events:*:${ACCOUNT}:rule/*` } }, source)).toBe(true);
    expect(holds({ ArnEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly` } }, source)).toBe(true);
    expect(holds({ ArnLike: { 'aws:SourceArn': `arn:aws:events:*:${OTHER}:rule/*` } }, source)).toBe(false);
    expect(holds({ ArnNotLike: { 'aws:SourceArn': `arn:aws:s3:::*` } }, source)).toBe(true);
    expect(holds({ ArnNotEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly` } }, source)).toBe(false);
    expect(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:events:*' } }, { 'aws:SourceArn': 'not-an-arn' })).toBe(false);
  });

  it('derives the principal keys: aws:PrincipalArn of a session is its role', () => {
    expect(holds({ StringEquals: { 'aws:PrincipalType': 'User', 'aws:username': 'alice', 'aws:userid': 'AIDAALICE000000000000', 'aws:PrincipalAccount': ACCOUNT } })).toBe(true);
    expect(holds({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/worker` }, StringEquals: { 'aws:PrincipalType': 'AssumedRole', 'aws:userid': 'AROAWORKER0000000000:fn-orders' } }, {}, session)).toBe(true);
    expect(holds({ Null: { 'aws:username': 'true' } }, {}, session)).toBe(true);
    // The caller cannot pass a principal key of its own.
    expect(holds({ StringEquals: { 'aws:username': 'root' } }, { 'aws:username': 'root' }, session)).toBe(false);
  });
});

describe('policy variables', () => {
  it('replaces ${aws:username} in Resource and in condition values', () => {
    const own = [policy('own', allow('iam:*AccessKey*', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`))];
    expect(decide(request('iam:CreateAccessKey', alice.arn), own)).toBe('allowed');
    expect(decide(request('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/bob`), own)).toBe('implicitDeny');
    const byPrefix = [policy('prefix', allow('lambda:*', '*', { Condition: { StringLike: { 'lambda:FunctionArn': `*:function:\${aws:username}-*` } } }))];
    expect(decide(request('lambda:InvokeFunction', FN, alice, { context: { 'lambda:FunctionArn': `${FN.replace('orders', 'alice-orders')}` } }), byPrefix)).toBe('allowed');
    expect(decide(request('lambda:InvokeFunction', FN, alice, { context: { 'lambda:FunctionArn': FN } }), byPrefix)).toBe('implicitDeny');
  });

  it('replaces ${aws:PrincipalAccount}, uses defaults, and matches nothing for a variable without a value', () => {
    const mine = [policy('mine', allow('sqs:*', 'arn:aws:sqs:*:${aws:PrincipalAccount}:*'))];
    expect(decide(request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`), mine)).toBe('allowed');
    expect(decide(request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${OTHER}:jobs`), mine)).toBe('implicitDeny');
    // A session has no aws:username: the statement matches nothing, unless a default stands in.
    const home = (resource: string) => [policy('home', allow('sqs:*', resource))];
    expect(decide(request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:q-`, session), home(`arn:aws:sqs:*:*:q-\${aws:username}`))).toBe('implicitDeny');
    expect(decide(request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:q-shared`, session), home(`arn:aws:sqs:*:*:q-\${aws:username, 'shared'}`))).toBe('allowed');
  });

  it('writes a literal * with ${*}, and leaves variables alone in 2008-10-17 documents', () => {
    const star = [policy('star', allow('sqs:*', '*', { Condition: { StringLike: { 'x:name': 'a${*}b' } } }))];
    expect(decide(request('sqs:SendMessage', '*', alice, { context: { 'x:name': 'a*b' } }), star)).toBe('allowed');
    expect(decide(request('sqs:SendMessage', '*', alice, { context: { 'x:name': 'axxb' } }), star)).toBe('implicitDeny');
    const legacy = [policy('legacy', allow('sqs:*', `arn:aws:sqs:*:*:\${aws:username}`), 'identity', '2008-10-17')];
    expect(decide(request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:alice`), legacy)).toBe('implicitDeny');
    expect(decide(request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:\${aws:username}`), legacy)).toBe('allowed');
  });
});

describe('accessDeniedMessage', () => {
  const action = 'lambda:InvokeFunction';
  const message = (reason: Parameters<typeof accessDeniedMessage>[3]['reason']) =>
    accessDeniedMessage(alice.arn, action, FN, { decision: reason === 'allowed' ? 'allowed' : reason.startsWith('explicit') ? 'explicitDeny' : 'implicitDeny', reason, matched: [] });

  it('words each refusal as AWS does', () => {
    expect(message('no-identity-allow')).toBe(`User: ${alice.arn} is not authorized to perform: lambda:InvokeFunction on resource: ${FN} because no identity-based policy allows the lambda:InvokeFunction action`);
    expect(message('no-resource-allow')).toBe(`User: ${alice.arn} is not authorized to perform: lambda:InvokeFunction on resource: ${FN} because no resource-based policy allows the lambda:InvokeFunction action`);
    expect(message('explicit-deny-identity')).toBe(`User: ${alice.arn} is not authorized to perform: lambda:InvokeFunction on resource: ${FN} with an explicit deny in an identity-based policy`);
    expect(message('explicit-deny-resource')).toBe(`User: ${alice.arn} is not authorized to perform: lambda:InvokeFunction on resource: ${FN} with an explicit deny in a resource-based policy`);
  });

  it('renders the result evaluate() gives', () => {
    const result = evaluate(request('lambda:ListFunctions', '*'), []);
    expect(accessDeniedMessage(alice.arn, 'lambda:ListFunctions', '*', result)).toBe(`User: ${alice.arn} is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action`);
  });
});
