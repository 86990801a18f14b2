// The IAM API on POST / (Query protocol, `Version=2010-05-08`, signed for `iam`) over the caller's
// IamStore: roles and their trust policies, users and their access keys, inline and managed
// policies (AWS's catalog and the account's own, with versions), and SimulatePrincipalPolicy.
// Answers are IAM's shapes: policy documents URL-encoded, lists in `<member>`, Marker paging.
import type { Context } from 'hono';
import type { AppContext } from '../protocols/request-context';
import type { AuthenticatedCaller } from '../auth/authenticate';
import type { IamStore } from '../objects/iam-store';
import { iamStore } from '../bindings';
import { memberListCodec, type AwsQueryService } from '../protocols/aws-query';
import type { JsonInput, JsonOutput } from '../protocols/aws-json';
import { IAM_ACCESS } from './iam-access';
import { IamQueryError, iamValidation } from '../iam/query-errors';
import { PolicyDocumentError } from '../iam/policy-document';
import { AWS_MANAGED_POLICIES, type ManagedPolicy } from '../iam/managed-policies';
import {
  iamTimestamp, parsePolicyArn, IAM_LIMITS, ROLE_SESSION_DEFAULT_SECONDS, ROLE_SESSION_MAX_SECONDS, type IamResult, type ManagedPolicyRecord, type PolicyVersionRecord,
  type PrincipalRef, type RoleRecord, type Tag, type UserRecord,
} from '../records/iam';
import type { AccessKeyMetadata } from '../records/account';
import { createAccessKey, deleteAccessKey, deleteUser, listAccessKeys, updateAccessKey } from '../services/iam/access-keys';
import { simulatePrincipalPolicy } from '../services/iam/simulate';

export const IAM_SIGNING_NAME = 'iam';
const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
/** MaxItems: IAM's default and largest page. */
const PAGE_DEFAULT = 100;
const PAGE_MAX = 1000;
const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(\/|\/[\x21-\x7e]+\/)$/;

type Input = JsonInput;
type Output = JsonOutput;

interface OperationContext {
  caller: AuthenticatedCaller;
  env: Env;
  store: DurableObjectStub<IamStore>;
}

const OPERATIONS: Record<string, (ctx: OperationContext, input: Input) => Promise<Output>> = {
  // --- Roles
  async CreateRole(ctx, input) {
    const roleName = entityName(input, 'RoleName', 64);
    const created = await ctx.store.createRole(ctx.caller.accountId, {
      roleName,
      path: path(input, 'Path'),
      assumeRolePolicyDocument: document(input, 'AssumeRolePolicyDocument'),
      ...optionalDescription(input),
      maxSessionDurationSeconds: sessionDuration(input),
      tags: tags(input),
    });
    return { Role: renderRole(unwrap(created), 'created') };
  },
  async GetRole(ctx, input) {
    const roleName = entityName(input, 'RoleName', 64);
    const role = await ctx.store.getRole(roleName);
    if (!role) throw noSuchEntity({ kind: 'role', name: roleName });
    return { Role: renderRole(role, 'full') };
  },
  async ListRoles(ctx, input) {
    const roles = await ctx.store.listRoles(pathPrefix(input));
    return paged(input, 'Roles', roles.map((r) => renderRole(r, 'listed')));
  },
  async UpdateAssumeRolePolicy(ctx, input) {
    unwrap(await ctx.store.updateAssumeRolePolicy(entityName(input, 'RoleName', 64), document(input, 'PolicyDocument')));
    return {};
  },
  async UpdateRole(ctx, input) {
    unwrap(await ctx.store.updateRole(entityName(input, 'RoleName', 64), { ...optionalDescription(input), maxSessionDurationSeconds: sessionDuration(input) }));
    return {};
  },
  async DeleteRole(ctx, input) {
    unwrap(await ctx.store.deleteRole(entityName(input, 'RoleName', 64)));
    return {};
  },

  // --- Inline and attached policies of roles and users
  PutRolePolicy: (ctx, input) => putInline(ctx, input, 'role'),
  PutUserPolicy: (ctx, input) => putInline(ctx, input, 'user'),
  GetRolePolicy: (ctx, input) => getInline(ctx, input, 'role'),
  GetUserPolicy: (ctx, input) => getInline(ctx, input, 'user'),
  DeleteRolePolicy: (ctx, input) => deleteInline(ctx, input, 'role'),
  DeleteUserPolicy: (ctx, input) => deleteInline(ctx, input, 'user'),
  ListRolePolicies: (ctx, input) => listInline(ctx, input, 'role'),
  ListUserPolicies: (ctx, input) => listInline(ctx, input, 'user'),
  AttachRolePolicy: (ctx, input) => attach(ctx, input, 'role'),
  AttachUserPolicy: (ctx, input) => attach(ctx, input, 'user'),
  DetachRolePolicy: (ctx, input) => detach(ctx, input, 'role'),
  DetachUserPolicy: (ctx, input) => detach(ctx, input, 'user'),
  ListAttachedRolePolicies: (ctx, input) => listAttached(ctx, input, 'role'),
  ListAttachedUserPolicies: (ctx, input) => listAttached(ctx, input, 'user'),

  // --- Managed policies
  async CreatePolicy(ctx, input) {
    const created = await ctx.store.createManagedPolicy(ctx.caller.accountId, {
      policyName: policyName(input),
      path: path(input, 'Path'),
      document: document(input, 'PolicyDocument'),
      ...optionalDescription(input),
      tags: tags(input),
    });
    return { Policy: renderPolicy(unwrap(created), 'created') };
  },
  async GetPolicy(ctx, input) {
    const arn = policyArnMember(input);
    const aws = AWS_MANAGED_POLICIES.get(arn);
    if (aws) return { Policy: renderAwsPolicy(aws, (await ctx.store.attachmentCounts())[arn] ?? 0, true) };
    const policy = await ctx.store.getManagedPolicy(arn);
    if (!policy) throw policyNotFound(arn);
    return { Policy: renderPolicy(policy, 'full') };
  },
  async ListPolicies(ctx, input) {
    const scope = optionalString(input, 'Scope') ?? 'All';
    if (!['All', 'AWS', 'Local'].includes(scope)) throw iamValidation(scope, 'scope', 'Member must satisfy enum value set: [All, AWS, Local]');
    const onlyAttached = optionalBoolean(input, 'OnlyAttached', 'onlyAttached') ?? false;
    const prefix = pathPrefix(input);
    const counts = await ctx.store.attachmentCounts();
    const aws = scope === 'Local' ? [] : [...AWS_MANAGED_POLICIES.values()].map((p) => renderAwsPolicy(p, counts[p.arn] ?? 0, false));
    const local = scope === 'AWS' ? [] : (await ctx.store.listManagedPolicies()).map((p) => renderPolicy(p, 'listed'));
    const policies = [...aws, ...local].filter((p) => String(p.Path).startsWith(prefix) && (!onlyAttached || Number(p.AttachmentCount) > 0));
    return paged(input, 'Policies', policies);
  },
  async DeletePolicy(ctx, input) {
    const arn = customerPolicyArn(ctx, input, 'DeletePolicy');
    unwrap(await ctx.store.deleteManagedPolicy(arn));
    return {};
  },
  async CreatePolicyVersion(ctx, input) {
    const arn = customerPolicyArn(ctx, input, 'CreatePolicyVersion');
    const setAsDefault = optionalBoolean(input, 'SetAsDefault', 'setAsDefault') ?? false;
    const version = unwrap(await ctx.store.createPolicyVersion(arn, document(input, 'PolicyDocument'), setAsDefault));
    return { PolicyVersion: renderVersion(version, false) };
  },
  async GetPolicyVersion(ctx, input) {
    const arn = policyArnMember(input);
    const versionId = requiredString(input, 'VersionId', 'versionId');
    if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(versionId)) throw iamValidation(versionId, 'versionId', 'Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?');
    const aws = AWS_MANAGED_POLICIES.get(arn);
    if (aws) {
      if (versionId !== aws.defaultVersionId) throw new IamQueryError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      return { PolicyVersion: renderVersion({ versionId, document: aws.document, isDefaultVersion: true, createDate: aws.updateDate }, true) };
    }
    return { PolicyVersion: renderVersion(unwrap(await ctx.store.getPolicyVersion(arn, versionId)), true) };
  },
  async ListPolicyVersions(ctx, input) {
    const arn = policyArnMember(input);
    const aws = AWS_MANAGED_POLICIES.get(arn);
    const versions = aws
      ? [{ versionId: aws.defaultVersionId, document: aws.document, isDefaultVersion: true, createDate: aws.updateDate }]
      : unwrap(await ctx.store.listPolicyVersions(arn));
    return paged(input, 'Versions', versions.map((v) => renderVersion(v, false)));
  },
  async SetDefaultPolicyVersion(ctx, input) {
    const arn = customerPolicyArn(ctx, input, 'SetDefaultPolicyVersion');
    unwrap(await ctx.store.setDefaultPolicyVersion(arn, requiredString(input, 'VersionId', 'versionId')));
    return {};
  },
  async DeletePolicyVersion(ctx, input) {
    const arn = customerPolicyArn(ctx, input, 'DeletePolicyVersion');
    unwrap(await ctx.store.deletePolicyVersion(arn, requiredString(input, 'VersionId', 'versionId')));
    return {};
  },
  async ListEntitiesForPolicy(ctx, input) {
    const arn = policyArnMember(input);
    if (!AWS_MANAGED_POLICIES.has(arn) && !(await ctx.store.getManagedPolicy(arn))) throw policyNotFound(arn);
    const filter = optionalString(input, 'EntityFilter');
    if (filter !== undefined && !['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'].includes(filter)) {
      throw iamValidation(filter, 'entityFilter', 'Member must satisfy enum value set: [User, Role, LocalManagedPolicy, Group, AWSManagedPolicy]');
    }
    const prefix = pathPrefix(input);
    const { users, roles } = await ctx.store.entitiesForPolicy(arn);
    const wanted = (kind: string) => filter === undefined || filter === kind;
    const page = pageOf(input, [
      ...(wanted('User') ? users.filter((u) => u.path.startsWith(prefix)).map((u) => ({ kind: 'user', UserName: u.userName, UserId: u.userId })) : []),
      ...(wanted('Role') ? roles.filter((r) => r.path.startsWith(prefix)).map((r) => ({ kind: 'role', RoleName: r.roleName, RoleId: r.roleId })) : []),
    ]);
    const strip = ({ kind: _kind, ...entity }: { kind: string } & Record<string, string>) => entity;
    return {
      PolicyGroups: [],
      PolicyUsers: page.items.filter((e) => e.kind === 'user').map(strip),
      PolicyRoles: page.items.filter((e) => e.kind === 'role').map(strip),
      ...page.more,
    };
  },

  // --- Why is a call allowed or denied?
  async SimulatePrincipalPolicy(ctx, input) {
    const actionNames = stringList(input, 'ActionNames');
    if (!actionNames || actionNames.length === 0) throw iamValidation(undefined, 'actionNames', 'Member must not be null');
    const results = await simulatePrincipalPolicy(ctx.env, ctx.caller.accountId, {
      policySourceArn: requiredString(input, 'PolicySourceArn'),
      actionNames,
      resourceArns: stringList(input, 'ResourceArns') ?? ['*'],
      context: contextEntries(input),
      policyInputs: stringList(input, 'PolicyInputList') ?? [],
    }).catch((error: unknown) => {
      if (error instanceof PolicyDocumentError) throw new IamQueryError('MalformedPolicyDocument', error.message);
      throw error;
    });
    return paged(input, 'EvaluationResults', results.map((r) => ({
      EvalActionName: r.action,
      EvalResourceName: r.resource,
      EvalDecision: r.decision,
      MatchedStatements: r.matched.map((m) => ({ SourcePolicyId: m.policyName, SourcePolicyType: m.sourcePolicyType })),
      MissingContextValues: r.missingContextValues,
      OrganizationsDecisionDetail: { AllowedByOrganizations: true },
    })));
  },

  // --- Users and their access keys
  async CreateUser(ctx, input) {
    const created = await ctx.store.createUser(ctx.caller.accountId, { userName: entityName(input, 'UserName', 64), path: path(input, 'Path'), tags: tags(input) });
    return { User: renderUser(unwrap(created)) };
  },
  async GetUser(ctx, input) {
    const named = optionalEntityName(input, 'UserName', 64);
    const principal = ctx.caller.principal;
    if (named === undefined && principal.kind === 'root') {
      // The root's own identity, as IAM answers it: no user name or path.
      return { User: { UserId: principal.accountId, Arn: principal.arn, CreateDate: iamTimestamp() } };
    }
    const userName = named ?? callerUserName(ctx);
    const user = await ctx.store.getUser(userName!);
    if (!user) throw noSuchEntity({ kind: 'user', name: userName! });
    return { User: renderUser(user) };
  },
  async ListUsers(ctx, input) {
    const users = await ctx.store.listUsers(pathPrefix(input));
    return paged(input, 'Users', users.map(renderUser));
  },
  async DeleteUser(ctx, input) {
    await deleteUser(ctx.env, ctx.caller.accountId, entityName(input, 'UserName', 64));
    return {};
  },
  async CreateAccessKey(ctx, input) {
    const { key, user } = await createAccessKey(ctx.env, ctx.caller.accountId, keyOwner(ctx, input));
    return {
      AccessKey: {
        ...(user ? { UserName: user.userName } : {}),
        AccessKeyId: key.accessKeyId, Status: 'Active', SecretAccessKey: key.secretAccessKey, CreateDate: keyDate(key.createdAt),
      },
    };
  },
  async ListAccessKeys(ctx, input) {
    const keys = await listAccessKeys(ctx.env, ctx.caller.accountId, keyOwner(ctx, input));
    return paged(input, 'AccessKeyMetadata', keys.map(renderKey));
  },
  async UpdateAccessKey(ctx, input) {
    const status = requiredString(input, 'Status', 'status');
    if (status !== 'Active' && status !== 'Inactive') throw iamValidation(status, 'status', 'Member must satisfy enum value set: [Active, Inactive]');
    await updateAccessKey(ctx.env, ctx.caller.accountId, keyOwner(ctx, input), accessKeyIdMember(input), status);
    return {};
  },
  async DeleteAccessKey(ctx, input) {
    await deleteAccessKey(ctx.env, ctx.caller.accountId, keyOwner(ctx, input), accessKeyIdMember(input));
    return {};
  },
};

/** SimulatePrincipalPolicy's ContextEntries: key -> value (list types as lists). */
function contextEntries(input: Input): Record<string, string | string[]> {
  const entries = Array.isArray(input.ContextEntries) ? input.ContextEntries : [];
  const context: Record<string, string | string[]> = {};
  entries.forEach((entry, i) => {
    const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const key = typeof fields.ContextKeyName === 'string' ? fields.ContextKeyName : undefined;
    if (key === undefined) throw iamValidation(undefined, `contextEntries.${i + 1}.member.contextKeyName`, 'Member must not be null');
    const values = Array.isArray(fields.ContextKeyValues) ? fields.ContextKeyValues.filter((v): v is string => typeof v === 'string') : [];
    const type = typeof fields.ContextKeyType === 'string' ? fields.ContextKeyType : 'string';
    context[key] = type.endsWith('List') ? values : (values[0] ?? '');
  });
  return context;
}

function stringList(input: Input, name: string): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === '') return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw iamValidation(String(value), memberName(name), 'Member must be a list of strings');
  return value as string[];
}

async function putInline(ctx: OperationContext, input: Input, kind: PrincipalRef['kind']): Promise<Output> {
  const owner = ref(input, kind);
  unwrap(await ctx.store.putInlinePolicy(owner, policyName(input), document(input, 'PolicyDocument')));
  return {};
}

async function getInline(ctx: OperationContext, input: Input, kind: PrincipalRef['kind']): Promise<Output> {
  const owner = ref(input, kind);
  const policy = unwrap(await ctx.store.getInlinePolicy(owner, policyName(input)));
  return { [kind === 'role' ? 'RoleName' : 'UserName']: owner.name, PolicyName: policy.policyName, PolicyDocument: encodeURIComponent(policy.document) };
}

async function deleteInline(ctx: OperationContext, input: Input, kind: PrincipalRef['kind']): Promise<Output> {
  unwrap(await ctx.store.deleteInlinePolicy(ref(input, kind), policyName(input)));
  return {};
}

async function listInline(ctx: OperationContext, input: Input, kind: PrincipalRef['kind']): Promise<Output> {
  return paged(input, 'PolicyNames', unwrap(await ctx.store.listInlinePolicies(ref(input, kind))));
}

async function attach(ctx: OperationContext, input: Input, kind: PrincipalRef['kind']): Promise<Output> {
  const owner = ref(input, kind);
  unwrap(await ctx.store.attachPolicy(owner, policyArnMember(input)));
  return {};
}

async function detach(ctx: OperationContext, input: Input, kind: PrincipalRef['kind']): Promise<Output> {
  unwrap(await ctx.store.detachPolicy(ref(input, kind), policyArnMember(input)));
  return {};
}

async function listAttached(ctx: OperationContext, input: Input, kind: PrincipalRef['kind']): Promise<Output> {
  const attached = unwrap(await ctx.store.listAttachedPolicies(ref(input, kind), pathPrefix(input)));
  return paged(input, 'AttachedPolicies', attached.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })));
}

// --- Rendering, in IAM's field sets

/** `created`: CreateRole's answer; `full`: GetRole's (with MaxSessionDuration, RoleLastUsed, Tags); `listed`: ListRoles'. */
function renderRole(role: RoleRecord, detail: 'created' | 'full' | 'listed'): Output {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: detail === 'created' ? undefined : role.maxSessionDurationSeconds,
    Tags: detail !== 'listed' && role.tags.length > 0 ? role.tags : undefined,
    RoleLastUsed: detail === 'full' ? {} : undefined,
  };
}

function renderUser(user: UserRecord): Output {
  return { Path: user.path, UserName: user.userName, UserId: user.userId, Arn: user.arn, CreateDate: user.createDate, Tags: user.tags.length > 0 ? user.tags : undefined };
}

/** `full`: GetPolicy's answer, the only one with the Description. */
function renderPolicy(policy: ManagedPolicyRecord, detail: 'created' | 'full' | 'listed'): Output {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: policy.attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: detail === 'full' ? policy.description : undefined,
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
    Tags: detail !== 'listed' && policy.tags.length > 0 ? policy.tags : undefined,
  };
}

function renderAwsPolicy(policy: ManagedPolicy, attachmentCount: number, withDescription: boolean): Output {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: withDescription ? policy.description : undefined,
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
  };
}

function renderVersion(version: PolicyVersionRecord, withDocument: boolean): Output {
  return {
    Document: withDocument ? encodeURIComponent(version.document) : undefined,
    VersionId: version.versionId,
    IsDefaultVersion: version.isDefaultVersion,
    CreateDate: version.createDate,
  };
}

function renderKey(key: AccessKeyMetadata): Output {
  return { UserName: key.userName, AccessKeyId: key.accessKeyId, Status: key.status, CreateDate: keyDate(key.createdAt) };
}

const keyDate = (createdAt: string) => iamTimestamp(Date.parse(createdAt));

// --- Paging: Marker (an opaque offset) and MaxItems

function pageOf<T>(input: Input, items: T[]): { items: T[]; more: { IsTruncated: boolean; Marker?: string } } {
  const maxItems = optionalInteger(input, 'MaxItems', 'maxItems', 1, PAGE_MAX) ?? PAGE_DEFAULT;
  const marker = optionalString(input, 'Marker');
  let offset = 0;
  if (marker !== undefined) {
    const decoded = /^o(\d+)$/.exec(safeAtob(marker) ?? '');
    if (!decoded) throw new IamQueryError('ValidationError', 'Invalid Marker.');
    offset = Number(decoded[1]);
  }
  const end = offset + maxItems;
  const truncated = end < items.length;
  return { items: items.slice(offset, end), more: { IsTruncated: truncated, ...(truncated ? { Marker: btoa(`o${end}`) } : {}) } };
}

function paged<T>(input: Input, member: string, items: T[]): Output {
  const page = pageOf(input, items);
  return { [member]: page.items, ...page.more };
}

function safeAtob(text: string): string | undefined {
  try {
    return atob(text);
  } catch {
    return undefined;
  }
}

// --- Members, checked as IAM checks them

/** A member's name in IAM's validation messages: `RoleName` -> `roleName`. */
const memberName = (name: string) => name[0]!.toLowerCase() + name.slice(1);

function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

function requiredString(input: Input, name: string, member = memberName(name)): string {
  const value = optionalString(input, name);
  if (value === undefined) throw iamValidation(undefined, member, 'Member must not be null');
  return value;
}

function checkName(value: string, member: string, maxLength: number): string {
  if (value.length < 1) throw iamValidation(value, member, 'Member must have length greater than or equal to 1');
  if (value.length > maxLength) throw iamValidation(value, member, `Member must have length less than or equal to ${maxLength}`);
  if (!NAME_PATTERN.test(value)) throw iamValidation(value, member, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return value;
}

function entityName(input: Input, name: string, maxLength: number): string {
  return checkName(requiredString(input, name), memberName(name), maxLength);
}

function optionalEntityName(input: Input, name: string, maxLength: number): string | undefined {
  const value = optionalString(input, name);
  return value === undefined ? undefined : checkName(value, memberName(name), maxLength);
}

const policyName = (input: Input) => entityName(input, 'PolicyName', 128);

function ref(input: Input, kind: PrincipalRef['kind']): PrincipalRef {
  return { kind, name: entityName(input, kind === 'role' ? 'RoleName' : 'UserName', 64) };
}

function path(input: Input, name: string): string {
  const value = optionalString(input, name) ?? '/';
  if (value.length > 512) throw iamValidation(value, memberName(name), 'Member must have length less than or equal to 512');
  if (!PATH_PATTERN.test(value)) throw iamValidation(value, memberName(name), 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)');
  return value;
}

function pathPrefix(input: Input): string {
  const value = optionalString(input, 'PathPrefix') ?? '/';
  if (!/^\/[\x21-\x7e]*$/.test(value) || value.length > 512) {
    throw iamValidation(value, 'pathPrefix', 'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*');
  }
  return value;
}

function document(input: Input, name: string): string {
  const value = requiredString(input, name);
  if (value.length < 1) throw iamValidation(value, memberName(name), 'Member must have length greater than or equal to 1');
  if (value.length > 131_072) throw iamValidation(value, memberName(name), 'Member must have length less than or equal to 131072');
  return value;
}

function optionalDescription(input: Input): { description?: string } {
  const value = optionalString(input, 'Description');
  if (value === undefined) return {};
  if (value.length > 1000) throw iamValidation(value, 'description', 'Member must have length less than or equal to 1000');
  return { description: value };
}

function sessionDuration(input: Input): number | undefined {
  return optionalInteger(input, 'MaxSessionDuration', 'maxSessionDuration', ROLE_SESSION_DEFAULT_SECONDS, ROLE_SESSION_MAX_SECONDS);
}

function optionalInteger(input: Input, name: string, member: string, min: number, max: number): number | undefined {
  const text = optionalString(input, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text)) throw new IamQueryError('ValidationError', `Value '${text}' for parameter ${name} is invalid. It must be an integer.`);
  if (value < min) throw iamValidation(text, member, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw iamValidation(text, member, `Member must have value less than or equal to ${max}`);
  return value;
}

function optionalBoolean(input: Input, name: string, member: string): boolean | undefined {
  const text = optionalString(input, name);
  if (text === undefined) return undefined;
  if (text !== 'true' && text !== 'false') throw iamValidation(text, member, 'Member must be true or false');
  return text === 'true';
}

function tags(input: Input): Tag[] {
  const list = input.Tags;
  if (list === undefined || list === '') return [];
  if (!Array.isArray(list)) throw iamValidation(String(list), 'tags', 'Member must be a list of Tag structures');
  if (list.length > IAM_LIMITS.tagsPerEntity) throw iamValidation(undefined, 'tags', `Member must have length less than or equal to ${IAM_LIMITS.tagsPerEntity}`);
  const keys = new Set<string>();
  return list.map((item, i) => {
    const tag = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const key = typeof tag.Key === 'string' ? tag.Key : undefined;
    const value = typeof tag.Value === 'string' ? tag.Value : undefined;
    if (key === undefined || key.length < 1 || key.length > 128) throw iamValidation(key, `tags.${i + 1}.member.key`, 'Member must have length between 1 and 128');
    if (value === undefined) throw iamValidation(undefined, `tags.${i + 1}.member.value`, 'Member must not be null');
    if (value.length > 256) throw iamValidation(value, `tags.${i + 1}.member.value`, 'Member must have length less than or equal to 256');
    if (keys.has(key.toLowerCase())) throw new IamQueryError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    keys.add(key.toLowerCase());
    return { Key: key, Value: value };
  });
}

function policyArnMember(input: Input): string {
  const arn = requiredString(input, 'PolicyArn');
  if (arn.length < 20 || arn.length > 2048) throw iamValidation(arn, 'policyArn', 'Member must have length greater than or equal to 20');
  if (!parsePolicyArn(arn)) throw new IamQueryError('InvalidInput', `ARN ${arn} is not valid.`);
  return arn;
}

function accessKeyIdMember(input: Input): string {
  const id = requiredString(input, 'AccessKeyId');
  if (!/^[\w]{16,128}$/.test(id)) throw iamValidation(id, 'accessKeyId', 'Member must satisfy regular expression pattern: [\\w]+');
  return id;
}

/** A customer managed policy's ARN for a write: AWS's own cannot be changed. */
function customerPolicyArn(ctx: OperationContext, input: Input, action: string): string {
  const arn = policyArnMember(input);
  if (parsePolicyArn(arn)?.accountId === 'aws') {
    throw new IamQueryError('AccessDenied', `User: ${ctx.caller.principal.arn} is not authorized to perform: iam:${action} on resource: policy ${arn}`);
  }
  return arn;
}

/** Whose access keys: the named user, the calling user, or (the root calling) the account's own. */
function keyOwner(ctx: OperationContext, input: Input): string | undefined {
  const named = optionalEntityName(input, 'UserName', 64);
  if (named !== undefined) return named;
  return ctx.caller.principal.kind === 'root' ? undefined : callerUserName(ctx);
}

/** The calling user's own name; a role session has none. */
function callerUserName(ctx: OperationContext): string {
  const principal = ctx.caller.principal;
  if (principal.kind === 'user') return principal.userName;
  throw new IamQueryError('ValidationError', 'Must specify userName when calling with non-User credentials');
}

function unwrap<T>(result: IamResult<T>): T {
  if (!result.ok) throw new IamQueryError(result.error, result.message);
  return result.value;
}

const noSuchEntity = (ref: PrincipalRef) => new IamQueryError('NoSuchEntity', `The ${ref.kind} with name ${ref.name} cannot be found.`);
const policyNotFound = (arn: string) => new IamQueryError('NoSuchEntity', `Policy ${arn} was not found.`);

function operationContext(c: Context<AppContext>): OperationContext {
  const caller = c.get('caller');
  return { caller, env: c.env, store: iamStore(c.env, caller.accountId) };
}

/** IAM on the Query protocol (the only protocol IAM speaks). */
export const iamQueryService: AwsQueryService<OperationContext> = {
  version: '2010-05-08',
  signingName: IAM_SIGNING_NAME,
  xmlns: IAM_XMLNS,
  errorStyle: { xmlns: IAM_XMLNS, detail: false },
  codec: memberListCodec({ maps: [], timestamps: [], resultAlways: { UpdateRole: true } }),
  operations: OPERATIONS,
  access: IAM_ACCESS,
  unknownOperation: (action) => new IamQueryError('InvalidAction', `Could not find operation ${action || '(none)'} for version 2010-05-08`),
  throttled: () => new IamQueryError('Throttling', 'Rate exceeded'),
  context: operationContext,
};
