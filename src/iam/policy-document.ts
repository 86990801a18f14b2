// IAM policy documents: the JSON grammar IAM accepts (identity, resource and trust policies), checked
// once when a document is stored, and the normalized shape the evaluator reads (every list a list,
// every condition value a string). A leaf: no I/O. Messages are IAM's MalformedPolicyDocument texts.
import { parseOperator } from './condition-operators';

export type Effect = 'Allow' | 'Deny';

/** `"*"` or the principal map, every value a list. */
export type PrincipalSpec = '*' | { AWS?: string[]; Service?: string[]; Federated?: string[]; CanonicalUser?: string[] };

/** Condition block: operator (`StringEquals`, `ForAnyValue:StringLike`, `ArnLike...IfExists`) -> key -> values. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface Statement {
  sid?: string;
  effect: Effect;
  /** Exactly one of action / notAction is set. */
  action?: string[];
  notAction?: string[];
  /** Identity and resource policies: exactly one of resource / notResource; trust policies: neither. */
  resource?: string[];
  notResource?: string[];
  /** Resource and trust policies: exactly one of principal / notPrincipal; identity policies: neither. */
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  condition?: ConditionBlock;
}

export interface PolicyDocument {
  version: '2012-10-17' | '2008-10-17';
  id?: string;
  statements: Statement[];
}

/** A document with the name it is stored under (inline policy name or managed policy name and ARN). */
export interface NamedPolicy {
  name: string;
  /** A managed policy's ARN; inline policies have none. */
  arn?: string;
  document: PolicyDocument;
}

/**
 * Which grammar applies: identity policies (user, role, managed) name no principal; resource
 * policies (a function's) name one and a resource; trust policies (a role's
 * AssumeRolePolicyDocument) name a principal and no resource.
 */
export type PolicyKind = 'identity' | 'resource' | 'trust';

/** A document IAM refuses; `message` is IAM's MalformedPolicyDocument text. */
export class PolicyDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyDocumentError';
  }
}

const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
/** The service prefix of an action (IAM compares it case-insensitively: `SQS:SendMessage` is valid). */
const ACTION_VENDOR = /^[A-Za-z0-9-]+$/;
/** The action name after the colon, wildcards allowed. */
const ACTION_NAME = /^[A-Za-z0-9_*?-]+$/;

/**
 * Parses and checks `text` as a policy of `kind`. Throws PolicyDocumentError with IAM's wording.
 * @example parsePolicyDocument('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"logs:*","Resource":"*"}}', 'identity')
 *   // { version: '2012-10-17', statements: [{ effect: 'Allow', action: ['logs:*'], resource: ['*'] }] }
 */
export function parsePolicyDocument(text: string, kind: PolicyKind): PolicyDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PolicyDocumentError('Syntax errors in policy.');
  }
  if (!isObject(value)) throw new PolicyDocumentError('Syntax errors in policy.');
  for (const field of Object.keys(value)) {
    if (field !== 'Version' && field !== 'Id' && field !== 'Statement') throw new PolicyDocumentError('Syntax errors in policy.');
  }
  const version = value.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') throw new PolicyDocumentError('The policy failed legacy parsing');
  if (value.Id !== undefined && typeof value.Id !== 'string') throw new PolicyDocumentError('Syntax errors in policy.');
  if (value.Statement === undefined) throw new PolicyDocumentError('Syntax errors in policy.');
  const raw = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
  if (raw.length === 0) throw new PolicyDocumentError('Syntax errors in policy.');
  const sids = new Set<string>();
  const statements = raw.map((s) => {
    const statement = parseStatement(s, kind);
    if (statement.sid !== undefined && statement.sid !== '') {
      if (sids.has(statement.sid)) throw new PolicyDocumentError('Statement IDs (SID) in a single policy must be unique.');
      sids.add(statement.sid);
    }
    return statement;
  });
  return { version, ...(typeof value.Id === 'string' ? { id: value.Id } : {}), statements };
}

function parseStatement(value: unknown, kind: PolicyKind): Statement {
  if (!isObject(value)) throw new PolicyDocumentError('Syntax errors in policy.');
  for (const field of Object.keys(value)) {
    if (!STATEMENT_FIELDS.has(field)) throw new PolicyDocumentError('Syntax errors in policy.');
  }
  if (value.Sid !== undefined && (typeof value.Sid !== 'string' || !/^[A-Za-z0-9 ]*$/.test(value.Sid) || (kind !== 'resource' && /\s/.test(value.Sid)))) {
    throw new PolicyDocumentError('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
  }
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') throw new PolicyDocumentError('Syntax errors in policy.');
  const statement: Statement = { effect: value.Effect };
  if (typeof value.Sid === 'string') statement.sid = value.Sid;

  if (value.Action !== undefined && value.NotAction !== undefined) throw new PolicyDocumentError('Syntax errors in policy.');
  if (value.Action === undefined && value.NotAction === undefined) throw new PolicyDocumentError('Policy statement must contain actions.');
  if (value.Action !== undefined) statement.action = actions(value.Action);
  else statement.notAction = actions(value.NotAction);

  if (value.Resource !== undefined && value.NotResource !== undefined) throw new PolicyDocumentError('Syntax errors in policy.');
  const hasResource = value.Resource !== undefined || value.NotResource !== undefined;
  if (kind === 'trust' && hasResource) throw new PolicyDocumentError('Has prohibited field Resource');
  if (kind !== 'trust' && !hasResource) throw new PolicyDocumentError('Policy statement must contain resources.');
  if (value.Resource !== undefined) statement.resource = strings(value.Resource);
  if (value.NotResource !== undefined) statement.notResource = strings(value.NotResource);

  if (value.Principal !== undefined && value.NotPrincipal !== undefined) throw new PolicyDocumentError('Syntax errors in policy.');
  const hasPrincipal = value.Principal !== undefined || value.NotPrincipal !== undefined;
  if (kind === 'identity' && hasPrincipal) throw new PolicyDocumentError('Policy document should not specify a principal.');
  if (kind !== 'identity' && !hasPrincipal) throw new PolicyDocumentError('Missing required field Principal');
  if (value.Principal !== undefined) statement.principal = principal(value.Principal);
  if (value.NotPrincipal !== undefined) statement.notPrincipal = principal(value.NotPrincipal);

  if (value.Condition !== undefined) statement.condition = condition(value.Condition);
  return statement;
}

function actions(value: unknown): string[] {
  const list = strings(value);
  for (const action of list) {
    if (action === '*') continue;
    const parts = action.split(':');
    if (parts.length === 1) throw new PolicyDocumentError('Actions/Conditions must be prefixed by a valid namespace.');
    if (parts.length > 2) throw new PolicyDocumentError('Actions/Condition can contain only one colon.');
    const [vendor, name] = parts as [string, string];
    if (/[*?]/.test(vendor)) throw new PolicyDocumentError('Action vendors (e.g., aws, ec2, etc.) must not contain wildcards');
    if (!ACTION_VENDOR.test(vendor)) throw new PolicyDocumentError('Actions/Conditions must be prefixed by a valid namespace.');
    if (!ACTION_NAME.test(name)) throw new PolicyDocumentError('Syntax errors in policy.');
  }
  return list;
}

/** A string or a non-empty list of strings, as a list. */
function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) throw new PolicyDocumentError('Syntax errors in policy.');
  return list as string[];
}

function principal(value: unknown): PrincipalSpec {
  if (value === '*') return '*';
  if (!isObject(value) || Object.keys(value).length === 0) throw new PolicyDocumentError('Syntax errors in policy.');
  const spec: Exclude<PrincipalSpec, '*'> = {};
  for (const [type, entries] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.has(type)) throw new PolicyDocumentError(`Invalid principal in policy: "${type}":${JSON.stringify(entries)}`);
    const list = strings(entries);
    for (const entry of list) {
      // IAM accepts no partial wildcard in a principal: "*" alone, or a whole account id or ARN.
      if (type === 'AWS' && !(entry === '*' || /^\d{12}$/.test(entry) || /^arn:aws[a-zA-Z-]*:(iam|sts)::\d{12}:[\x21-\x29\x2b-\x3e\x40-\x7e]+$/.test(entry))) {
        throw new PolicyDocumentError(`Invalid principal in policy: "AWS":"${entry}"`);
      }
      if (type === 'Service' && !/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$|^\*$/.test(entry)) {
        throw new PolicyDocumentError(`Invalid principal in policy: "SERVICE":"${entry}"`);
      }
    }
    spec[type as keyof typeof spec] = list;
  }
  return spec;
}

function condition(value: unknown): ConditionBlock {
  if (!isObject(value)) throw new PolicyDocumentError('Syntax errors in policy.');
  const block: ConditionBlock = {};
  for (const [operator, entries] of Object.entries(value)) {
    if (parseOperator(operator) === undefined || !isObject(entries)) throw new PolicyDocumentError('Syntax errors in policy.');
    const keys: Record<string, string[]> = {};
    for (const [key, raw] of Object.entries(entries)) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (!list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) throw new PolicyDocumentError('Syntax errors in policy.');
      keys[key] = list.map(String);
    }
    block[operator] = keys;
  }
  return block;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
