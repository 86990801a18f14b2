// A function's resource policy: the statements AddPermission writes, in IAM's JSON shape; the
// document the evaluator reads (src/iam/evaluate.ts), and anonymous callers of a NONE URL.
import { invalidParameter } from '../errors';
import type { PolicyStatement, ResourcePolicy } from '../records/function-url';
import { parsePolicyDocument, PolicyDocumentError, type NamedPolicy } from '../iam/policy-document';

export interface AddPermissionInput {
  StatementId: string;
  Action: string;
  Principal: string;
  SourceArn?: string;
  SourceAccount?: string;
  EventSourceToken?: string;
  PrincipalOrgID?: string;
  FunctionUrlAuthType?: 'NONE' | 'AWS_IAM';
  InvokedViaFunctionUrl?: boolean;
}

/**
 * The statement Lambda stores for an AddPermission request on `resourceArn`.
 * @example buildStatement({ StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }, arn)
 *   // { Sid: 'public', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: arn,
 *   //   Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } }
 */
export function buildStatement(input: AddPermissionInput, resourceArn: string): PolicyStatement {
  const stringEquals: Record<string, string> = {};
  if (input.SourceAccount) stringEquals['AWS:SourceAccount'] = input.SourceAccount;
  if (input.EventSourceToken) stringEquals['lambda:EventSourceToken'] = input.EventSourceToken;
  if (input.PrincipalOrgID) stringEquals['aws:PrincipalOrgID'] = input.PrincipalOrgID;
  if (input.FunctionUrlAuthType) stringEquals['lambda:FunctionUrlAuthType'] = input.FunctionUrlAuthType;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(stringEquals).length > 0) condition.StringEquals = stringEquals;
  if (input.SourceArn) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
  if (input.InvokedViaFunctionUrl) condition.Bool = { 'lambda:InvokedViaFunctionUrl': 'true' };
  return {
    Sid: input.StatementId,
    Effect: 'Allow',
    Principal: renderPrincipal(input.Principal),
    Action: input.Action,
    Resource: resourceArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** `*`, an account id, an IAM ARN or a service principal, as Lambda renders them. */
function renderPrincipal(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (/^arn:aws[a-zA-Z-]*:iam::\d{12}:[^\s]+$/.test(principal)) return { AWS: principal };
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal)) return { Service: principal };
  throw invalidParameter('The provided principal was invalid. Please check the principal and try again.');
}

/** Lambda's GetPolicy document: `{"Version":"2012-10-17","Id":"default","Statement":[...]}`. */
export function policyDocument(policy: ResourcePolicy): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements });
}

/**
 * The policy as the evaluator reads it, or undefined when the function has none. A stored policy
 * IAM's grammar refuses (none should be) allows nothing, and the platform log says so.
 */
export function resourcePolicyOf(policy: ResourcePolicy | undefined): NamedPolicy | undefined {
  if (!policy || policy.statements.length === 0) return undefined;
  try {
    // Lambda's statement ids allow `-`, `_` and `.`, IAM's grammar not: checked without them, then given back.
    const unnamed = { ...policy, statements: policy.statements.map(({ Sid: _sid, ...statement }) => statement as PolicyStatement) };
    const document = parsePolicyDocument(policyDocument(unnamed), 'resource');
    document.statements.forEach((statement, i) => (statement.sid = policy.statements[i]!.Sid));
    return { name: 'default', document };
  } catch (error) {
    if (!(error instanceof PolicyDocumentError)) throw error;
    console.error(`a function's resource policy is not evaluated: ${error.message}`);
    return undefined;
  }
}

/** Who asks: nobody (an unsigned request) or a signed caller of some account. */
export type UrlPrincipal = { anonymous: true } | { anonymous: false; accountId: string };

/**
 * True when some statement allows `principal` lambda:InvokeFunctionUrl on a URL of `authType`.
 * Conditions are honoured only for keys a URL request has (lambda:FunctionUrlAuthType); a
 * statement with any other condition does not apply, so nothing is allowed by accident.
 */
export function allowsFunctionUrl(policy: ResourcePolicy | undefined, authType: 'NONE' | 'AWS_IAM', principal: UrlPrincipal): boolean {
  return (policy?.statements ?? []).some(
    (s) => s.Effect === 'Allow' && actionMatches(s.Action) && principalMatches(s.Principal, principal) && conditionsHold(s.Condition, authType),
  );
}

function actionMatches(action: string): boolean {
  return action === 'lambda:InvokeFunctionUrl' || action === 'lambda:*' || action === '*';
}

function principalMatches(statementPrincipal: PolicyStatement['Principal'], principal: UrlPrincipal): boolean {
  if (statementPrincipal === '*') return true;
  // faasbox keys belong to an account, not to IAM users or roles: only the account's root matches.
  if (principal.anonymous || !('AWS' in statementPrincipal)) return false;
  return statementPrincipal.AWS === `arn:aws:iam::${principal.accountId}:root`;
}

function conditionsHold(condition: PolicyStatement['Condition'], authType: string): boolean {
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) {
      if (operator !== 'StringEquals' || key !== 'lambda:FunctionUrlAuthType' || value !== authType) return false;
    }
  }
  return true;
}
