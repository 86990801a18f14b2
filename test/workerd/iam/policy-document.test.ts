// parsePolicyDocument against IAM's grammar: what it normalizes, what it refuses with IAM's
// MalformedPolicyDocument wording, and every AWS managed policy's real document parsing.
import { describe, expect, it } from 'vitest';
import { AWS_MANAGED_POLICIES } from '../../../src/iam/managed-policies';
import { parsePolicyDocument, PolicyDocumentError, type PolicyKind } from '../../../src/iam/policy-document';

const doc = (statement: unknown, extra: object = {}) => JSON.stringify({ Version: '2012-10-17', Statement: statement, ...extra });
const refusal = (text: string, kind: PolicyKind = 'identity') => {
  try {
    parsePolicyDocument(text, kind);
  } catch (error) {
    if (error instanceof PolicyDocumentError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('parsePolicyDocument', () => {
  it('normalizes single values to lists and condition values to strings', () => {
    const parsed = parsePolicyDocument(doc({ Effect: 'Allow', Action: 'SQS:SendMessage', Resource: '*', Condition: { NumericLessThan: { 'sqs:x': 5 }, Bool: { 'aws:SecureTransport': true } } }), 'identity');
    expect(parsed.statements).toEqual([{ effect: 'Allow', action: ['SQS:SendMessage'], resource: ['*'], condition: { NumericLessThan: { 'sqs:x': ['5'] }, Bool: { 'aws:SecureTransport': ['true'] } } }]);
  });

  it('refuses what IAM refuses, with its messages', () => {
    expect(refusal('{not json')).toBe('Syntax errors in policy.');
    expect(refusal(doc({ Effect: 'Allow', Action: 'lambda', Resource: '*' }))).toBe('Actions/Conditions must be prefixed by a valid namespace.');
    expect(refusal(doc({ Effect: 'Allow', Action: 'lambda:Get:Function', Resource: '*' }))).toBe('Actions/Condition can contain only one colon.');
    expect(refusal(doc({ Effect: 'Allow', Action: '*:Get*', Resource: '*' }))).toBe('Action vendors (e.g., aws, ec2, etc.) must not contain wildcards');
    expect(refusal(doc({ Effect: 'Allow', Resource: '*' }))).toBe('Policy statement must contain actions.');
    expect(refusal(doc({ Effect: 'Allow', Action: 'lambda:*' }))).toBe('Policy statement must contain resources.');
    expect(refusal(doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*', Principal: '*' }))).toBe('Policy document should not specify a principal.');
    expect(refusal(doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }), 'resource')).toBe('Missing required field Principal');
    expect(refusal(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Principal: { Service: 'lambda.amazonaws.com' } }), 'trust')).toBe('Has prohibited field Resource');
    expect(refusal(doc([{ Sid: 'A', Effect: 'Allow', Action: 'lambda:*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: 'lambda:*', Resource: '*' }]))).toBe('Statement IDs (SID) in a single policy must be unique.');
    expect(refusal(doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }, { Version: '2020-01-01' }))).toBe('The policy failed legacy parsing');
    expect(refusal(doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'a' } } }))).toBe('Syntax errors in policy.');
    expect(refusal(doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*', Condition: { NullIfExists: { 'aws:username': 'true' } } }))).toBe('Syntax errors in policy.');
  });

  it('refuses a partial wildcard in a principal and accepts whole ones', () => {
    const withPrincipal = (aws: string) => doc({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*', Principal: { AWS: aws } });
    expect(refusal(withPrincipal('arn:aws:iam::111122223333:user/*'), 'resource')).toBe('Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:user/*"');
    expect(refusal(withPrincipal('*'), 'resource')).toBe('accepted');
    expect(refusal(withPrincipal('111122223333'), 'resource')).toBe('accepted');
    expect(refusal(withPrincipal('arn:aws:sts::111122223333:assumed-role/worker/s1'), 'resource')).toBe('accepted');
  });

  it('accepts every set and IfExists form of the condition operators', () => {
    for (const operator of ['ForAnyValue:StringLike', 'ForAllValues:StringEqualsIgnoreCase', 'ArnLikeIfExists', 'ForAnyValue:StringNotEqualsIfExists', 'Null', 'DateGreaterThanEquals', 'NotIpAddress']) {
      expect(refusal(doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*', Condition: { [operator]: { 'aws:SourceIp': 'x' } } })), operator).toBe('accepted');
    }
  });
});

describe('AWS managed policies', () => {
  it('have their real ARNs, paths and versions, and every document parses as an identity policy', () => {
    expect(AWS_MANAGED_POLICIES.size).toBe(20);
    for (const [arn, policy] of AWS_MANAGED_POLICIES) {
      expect(arn).toBe(`arn:aws:iam::aws:policy${policy.path}${policy.policyName}`);
      expect(policy.defaultVersionId).toMatch(/^v\d+$/);
      expect(policy.description.length).toBeGreaterThan(0);
      expect(() => parsePolicyDocument(policy.document, 'identity'), policy.policyName).not.toThrow();
    }
    const basic = AWS_MANAGED_POLICIES.get('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')!;
    expect(JSON.parse(basic.document)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
    });
  });
});
