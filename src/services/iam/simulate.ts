// SimulatePrincipalPolicy: how the identity policies of one of the account's users or roles
// decide each action on each resource, with the statements that decided it and the condition keys
// the caller did not supply. The decision is the evaluator's (src/iam/evaluate.ts), as
// enforcement makes it.
import { iamStore } from '../../bindings';
import { evaluate, type EvalDecision, type MatchedStatement } from '../../iam/evaluate';
import { parsePolicyDocument, type NamedPolicy } from '../../iam/policy-document';
import { parseRoleArn, type Principal } from '../../iam/principal';
import { IamQueryError } from '../../iam/query-errors';
import { matchesAction } from '../../iam/wildcard';

export interface SimulationRequest {
  policySourceArn: string;
  actionNames: string[];
  resourceArns: string[];
  context: Record<string, string | string[]>;
  /** Extra identity policies to simulate with (PolicyInputList), JSON text. */
  policyInputs: string[];
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: EvalDecision;
  matched: (MatchedStatement & { sourcePolicyType: 'user' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none' })[];
  missingContextValues: string[];
}

/** Condition keys the evaluator derives from the principal and the time: never missing. */
const DERIVED_KEYS = new Set(['aws:principalarn', 'aws:principalaccount', 'aws:principaltype', 'aws:userid', 'aws:username', 'aws:currenttime', 'aws:epochtime']);

export async function simulatePrincipalPolicy(env: Env, accountId: string, request: SimulationRequest): Promise<SimulationResult[]> {
  const { principal, ref } = await simulatedPrincipal(env, accountId, request.policySourceArn);
  const stored = (await iamStore(env, accountId).identityPolicies(ref)) ?? [];
  const inputs = request.policyInputs.map((text, i): NamedPolicy => ({ name: `PolicyInputList.${i + 1}`, document: parsePolicyDocument(text, 'identity') }));
  const policies = [...stored, ...inputs];
  const provided = new Set(Object.keys(request.context).map((k) => k.toLowerCase()));
  return request.actionNames.flatMap((action) => request.resourceArns.map((resource) => {
    const result = evaluate({ action, resource, principal, context: request.context }, policies);
    return {
      action,
      resource,
      decision: result.decision,
      matched: result.matched.map((m) => ({ ...m, sourcePolicyType: sourceType(m, ref.kind, inputs.some((p) => p.name === m.policyName)) })),
      missingContextValues: missingKeys(policies, action, provided),
    };
  }));
}

/** The principal a user or role ARN of the account stands for (a role as a session of it). */
async function simulatedPrincipal(env: Env, accountId: string, arn: string): Promise<{ principal: Principal; ref: { kind: 'user' | 'role'; name: string } }> {
  const store = iamStore(env, accountId);
  const role = parseRoleArn(arn);
  if (role) {
    const record = role.accountId === accountId ? await store.getRole(role.roleName) : undefined;
    if (!record || record.arn !== arn) throw new IamQueryError('NoSuchEntity', `The role with name ${role.roleName} cannot be found.`);
    return {
      principal: {
        kind: 'assumed-role', accountId, arn: record.arn, roleName: record.roleName, roleId: record.roleId, roleArn: record.arn,
        sessionName: 'SimulatePrincipalPolicy', expiresAt: Date.now() + 3_600_000,
      },
      ref: { kind: 'role', name: record.roleName },
    };
  }
  const user = /^arn:aws:iam::(\d{12}):user(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/.exec(arn);
  if (!user) throw new IamQueryError('InvalidInput', `Invalid ARN: ${arn}`);
  const record = user[1] === accountId ? await store.getUser(user[3]!) : undefined;
  if (!record || record.arn !== arn) throw new IamQueryError('NoSuchEntity', `The user with name ${user[3]} cannot be found.`);
  return { principal: { kind: 'user', accountId, arn: record.arn, userName: record.userName, userId: record.userId }, ref: { kind: 'user', name: record.userName } };
}

function sourceType(matched: MatchedStatement, owner: 'user' | 'role', input: boolean): SimulationResult['matched'][number]['sourcePolicyType'] {
  if (matched.source === 'resource') return 'resource';
  if (input) return 'none';
  if (matched.policyArn === undefined) return owner;
  return matched.policyArn.startsWith('arn:aws:iam::aws:') ? 'aws-managed' : 'user-managed';
}

/** Condition keys of the statements that apply to `action` which the request did not supply, in first-seen order. */
function missingKeys(policies: NamedPolicy[], action: string, provided: Set<string>): string[] {
  const missing: string[] = [];
  for (const policy of policies) {
    for (const statement of policy.document.statements) {
      const applies = statement.action ? statement.action.some((p) => matchesAction(p, action)) : !statement.notAction!.some((p) => matchesAction(p, action));
      if (!applies || !statement.condition) continue;
      for (const keys of Object.values(statement.condition)) {
        for (const key of Object.keys(keys)) {
          const lower = key.toLowerCase();
          if (!provided.has(lower) && !DERIVED_KEYS.has(lower) && !missing.includes(key)) missing.push(key);
        }
      }
    }
  }
  return missing;
}
