// IamStore: one account's IAM entities (roles with their trust policies, users, inline policies of
// both, customer managed policies with their versions, and which managed policies are attached
// where), and the identity policies of a user or role as the evaluator reads them. Users' access
// keys live in the AccountDirectory (a key is found before its account is known). Names are unique
// case-insensitively, as IAM's: every table is keyed by the lowercased name.
import { DurableObject } from 'cloudflare:workers';
import { parsePolicyDocument, PolicyDocumentError, type NamedPolicy, type PolicyKind } from '../iam/policy-document';
import { AWS_MANAGED_POLICIES } from '../iam/managed-policies';
import { roleArn, userArn } from '../iam/principal';
import {
  IAM_LIMITS, ROLE_SESSION_DEFAULT_SECONDS, type AttachedPolicy, type IamErrorCode, type IamFailure, type IamResult, type ManagedPolicyRecord,
  type PolicyVersionRecord, type PrincipalRef, type RoleRecord, type Tag, type UserRecord, iamTimestamp, parsePolicyArn, policyArn,
} from '../records/iam';
import { randomChars } from '../records/random';
import { defineSchema, openStorage } from './storage/schema';
import { jsonColumn, type Sql } from './storage/rows';

const schema = defineSchema({
  version: 1,
  description: 'roles, users, inline policies, customer managed policies and versions, attachments',
  up: `
    CREATE TABLE roles (name_key TEXT PRIMARY KEY, record TEXT NOT NULL);
    CREATE TABLE users (name_key TEXT PRIMARY KEY, record TEXT NOT NULL);
    -- owner_kind 'role' | 'user'; owner_key the owner's name_key.
    CREATE TABLE inline_policies (
      owner_kind TEXT NOT NULL, owner_key TEXT NOT NULL, name_key TEXT NOT NULL, policy_name TEXT NOT NULL, document TEXT NOT NULL,
      PRIMARY KEY (owner_kind, owner_key, name_key));
    CREATE TABLE attachments (
      owner_kind TEXT NOT NULL, owner_key TEXT NOT NULL, policy_arn TEXT NOT NULL, attached_at_ms INTEGER NOT NULL,
      PRIMARY KEY (owner_kind, owner_key, policy_arn));
    CREATE INDEX attachments_by_policy ON attachments (policy_arn);
    CREATE TABLE managed_policies (arn TEXT PRIMARY KEY, name_key TEXT NOT NULL UNIQUE, record TEXT NOT NULL, next_version INTEGER NOT NULL);
    CREATE TABLE policy_versions (
      policy_arn TEXT NOT NULL, version_id TEXT NOT NULL, document TEXT NOT NULL, create_date TEXT NOT NULL,
      PRIMARY KEY (policy_arn, version_id));`,
});

const roleColumn = jsonColumn<RoleRecord>('record');
const userColumn = jsonColumn<UserRecord>('record');
const policyColumn = jsonColumn<Omit<ManagedPolicyRecord, 'attachmentCount'>>('record');

/** IAM's unique ids: a prefix (AROA, AIDA, ANPA) and 17 characters. */
const newId = (prefix: string) => prefix + randomChars(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
const nameKey = (name: string) => name.toLowerCase();
const failure = (error: IamErrorCode, message: string): IamFailure => ({ ok: false, error, message });
const done = <T>(value: T): IamResult<T> => ({ ok: true, value });
/** IAM counts a document's size without its whitespace. */
const policySize = (document: string) => document.replace(/\s/g, '').length;

export interface NewRole {
  roleName: string;
  path: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDurationSeconds?: number;
  tags?: Tag[];
}

export interface NewUser {
  userName: string;
  path: string;
  tags?: Tag[];
}

export interface NewManagedPolicy {
  policyName: string;
  path: string;
  document: string;
  description?: string;
  tags?: Tag[];
}

export class IamStore extends DurableObject<Env> {
  private readonly db: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, schema);
  }

  // --- Roles

  createRole(accountId: string, input: NewRole): IamResult<RoleRecord> {
    const trust = checkDocument(input.assumeRolePolicyDocument, 'trust');
    if (trust) return trust;
    if (policySize(input.assumeRolePolicyDocument) > IAM_LIMITS.trustPolicyChars) {
      return failure('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${IAM_LIMITS.trustPolicyChars}`);
    }
    if (this.db.exists('SELECT 1 FROM roles WHERE name_key = ?', nameKey(input.roleName))) {
      return failure('EntityAlreadyExists', `Role with name ${input.roleName} already exists.`);
    }
    const role: RoleRecord = {
      roleName: input.roleName,
      roleId: newId('AROA'),
      arn: roleArn(accountId, input.roleName, input.path),
      path: input.path,
      assumeRolePolicyDocument: input.assumeRolePolicyDocument,
      ...(input.description !== undefined ? { description: input.description } : {}),
      maxSessionDurationSeconds: input.maxSessionDurationSeconds ?? ROLE_SESSION_DEFAULT_SECONDS,
      createDate: iamTimestamp(),
      tags: input.tags ?? [],
    };
    this.db.run('INSERT INTO roles VALUES (?, ?)', nameKey(role.roleName), roleColumn.encode(role));
    return done(role);
  }

  getRole(roleName: string): RoleRecord | undefined {
    return roleColumn.one(this.db, 'SELECT record FROM roles WHERE name_key = ?', nameKey(roleName));
  }

  /** Roles whose path starts with `pathPrefix`, in name order. */
  listRoles(pathPrefix = '/'): RoleRecord[] {
    return roleColumn.all(this.db, 'SELECT record FROM roles ORDER BY name_key').filter((r) => r.path.startsWith(pathPrefix));
  }

  updateAssumeRolePolicy(roleName: string, document: string): IamResult<RoleRecord> {
    const trust = checkDocument(document, 'trust');
    if (trust) return trust;
    if (policySize(document) > IAM_LIMITS.trustPolicyChars) return failure('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${IAM_LIMITS.trustPolicyChars}`);
    return this.updateRoleRecord(roleName, (role) => ({ ...role, assumeRolePolicyDocument: document }));
  }

  updateRole(roleName: string, changes: { description?: string; maxSessionDurationSeconds?: number }): IamResult<RoleRecord> {
    return this.updateRoleRecord(roleName, (role) => ({
      ...role,
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.maxSessionDurationSeconds !== undefined ? { maxSessionDurationSeconds: changes.maxSessionDurationSeconds } : {}),
    }));
  }

  /** Refused while the role has inline or attached policies, as IAM refuses it. */
  deleteRole(roleName: string): IamResult<void> {
    const key = nameKey(roleName);
    if (!this.getRole(roleName)) return noSuchEntity({ kind: 'role', name: roleName });
    const conflict = this.policiesConflict('role', key);
    if (conflict) return conflict;
    this.db.run('DELETE FROM roles WHERE name_key = ?', key);
    return done(undefined);
  }

  private updateRoleRecord(roleName: string, change: (role: RoleRecord) => RoleRecord): IamResult<RoleRecord> {
    const role = this.getRole(roleName);
    if (!role) return noSuchEntity({ kind: 'role', name: roleName });
    const updated = change(role);
    this.db.run('UPDATE roles SET record = ? WHERE name_key = ?', roleColumn.encode(updated), nameKey(roleName));
    return done(updated);
  }

  // --- Users

  createUser(accountId: string, input: NewUser): IamResult<UserRecord> {
    if (this.db.exists('SELECT 1 FROM users WHERE name_key = ?', nameKey(input.userName))) {
      return failure('EntityAlreadyExists', `User with name ${input.userName} already exists.`);
    }
    const user: UserRecord = {
      userName: input.userName,
      userId: newId('AIDA'),
      arn: userArn(accountId, input.userName, input.path),
      path: input.path,
      createDate: iamTimestamp(),
      tags: input.tags ?? [],
    };
    this.db.run('INSERT INTO users VALUES (?, ?)', nameKey(user.userName), userColumn.encode(user));
    return done(user);
  }

  getUser(userName: string): UserRecord | undefined {
    return userColumn.one(this.db, 'SELECT record FROM users WHERE name_key = ?', nameKey(userName));
  }

  listUsers(pathPrefix = '/'): UserRecord[] {
    return userColumn.all(this.db, 'SELECT record FROM users ORDER BY name_key').filter((u) => u.path.startsWith(pathPrefix));
  }

  /** Refused while the user has policies; the caller checks its access keys first (they live in the AccountDirectory). */
  deleteUser(userName: string): IamResult<void> {
    const key = nameKey(userName);
    if (!this.getUser(userName)) return noSuchEntity({ kind: 'user', name: userName });
    const conflict = this.policiesConflict('user', key);
    if (conflict) return conflict;
    this.db.run('DELETE FROM users WHERE name_key = ?', key);
    return done(undefined);
  }

  // --- Inline policies of a user or role

  putInlinePolicy(ref: PrincipalRef, policyName: string, document: string): IamResult<void> {
    if (!this.exists(ref)) return noSuchEntity(ref);
    const malformed = checkDocument(document, 'identity');
    if (malformed) return malformed;
    const key = nameKey(ref.name);
    const others = this.db
      .all<{ document: string }>('SELECT document FROM inline_policies WHERE owner_kind = ? AND owner_key = ? AND name_key != ?', ref.kind, key, nameKey(policyName))
      .reduce((n, r) => n + policySize(r.document), 0);
    const limit = ref.kind === 'role' ? IAM_LIMITS.roleInlinePolicyChars : IAM_LIMITS.userInlinePolicyChars;
    if (others + policySize(document) > limit) return failure('LimitExceeded', `Maximum policy size of ${limit} bytes exceeded for ${ref.kind} ${ref.name}`);
    this.db.run('INSERT OR REPLACE INTO inline_policies VALUES (?, ?, ?, ?, ?)', ref.kind, key, nameKey(policyName), policyName, document);
    return done(undefined);
  }

  getInlinePolicy(ref: PrincipalRef, policyName: string): IamResult<{ policyName: string; document: string }> {
    if (!this.exists(ref)) return noSuchEntity(ref);
    const row = this.db.one<{ policy_name: string; document: string }>(
      'SELECT policy_name, document FROM inline_policies WHERE owner_kind = ? AND owner_key = ? AND name_key = ?', ref.kind, nameKey(ref.name), nameKey(policyName));
    if (!row) return failure('NoSuchEntity', `The ${ref.kind} policy with name ${policyName} cannot be found.`);
    return done({ policyName: row.policy_name, document: row.document });
  }

  deleteInlinePolicy(ref: PrincipalRef, policyName: string): IamResult<void> {
    if (!this.exists(ref)) return noSuchEntity(ref);
    const deleted = this.db.run('DELETE FROM inline_policies WHERE owner_kind = ? AND owner_key = ? AND name_key = ?', ref.kind, nameKey(ref.name), nameKey(policyName));
    return deleted > 0 ? done(undefined) : failure('NoSuchEntity', `The ${ref.kind} policy with name ${policyName} cannot be found.`);
  }

  listInlinePolicies(ref: PrincipalRef): IamResult<string[]> {
    if (!this.exists(ref)) return noSuchEntity(ref);
    return done(this.db
      .all<{ policy_name: string }>('SELECT policy_name FROM inline_policies WHERE owner_kind = ? AND owner_key = ? ORDER BY name_key', ref.kind, nameKey(ref.name))
      .map((r) => r.policy_name));
  }

  // --- Managed policies attached to a user or role

  /** Attaching a policy already attached changes nothing, as in IAM. */
  attachPolicy(ref: PrincipalRef, arn: string): IamResult<void> {
    if (!this.exists(ref)) return noSuchEntity(ref);
    if (!this.managedPolicyName(arn)) return failure('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
    const key = nameKey(ref.name);
    if (this.db.exists('SELECT 1 FROM attachments WHERE owner_kind = ? AND owner_key = ? AND policy_arn = ?', ref.kind, key, arn)) return done(undefined);
    const attached = this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM attachments WHERE owner_kind = ? AND owner_key = ?', ref.kind, key).n;
    if (attached >= IAM_LIMITS.attachedPoliciesPerEntity) {
      return failure('LimitExceeded', `Cannot exceed quota for PoliciesPer${ref.kind === 'role' ? 'Role' : 'User'}: ${IAM_LIMITS.attachedPoliciesPerEntity}`);
    }
    this.db.run('INSERT INTO attachments VALUES (?, ?, ?, ?)', ref.kind, key, arn, Date.now());
    return done(undefined);
  }

  detachPolicy(ref: PrincipalRef, arn: string): IamResult<void> {
    if (!this.exists(ref)) return noSuchEntity(ref);
    const deleted = this.db.run('DELETE FROM attachments WHERE owner_kind = ? AND owner_key = ? AND policy_arn = ?', ref.kind, nameKey(ref.name), arn);
    return deleted > 0 ? done(undefined) : failure('NoSuchEntity', `Policy ${arn} was not found.`);
  }

  /** In the order they were attached. */
  listAttachedPolicies(ref: PrincipalRef, pathPrefix = '/'): IamResult<AttachedPolicy[]> {
    if (!this.exists(ref)) return noSuchEntity(ref);
    const arns = this.db
      .all<{ policy_arn: string }>('SELECT policy_arn FROM attachments WHERE owner_kind = ? AND owner_key = ? ORDER BY attached_at_ms, policy_arn', ref.kind, nameKey(ref.name))
      .map((r) => r.policy_arn);
    return done(arns.flatMap((arn) => {
      const policyName = this.managedPolicyName(arn);
      const path = parsePolicyArn(arn)?.path ?? '/';
      return policyName && path.startsWith(pathPrefix) ? [{ policyName, policyArn: arn }] : [];
    }));
  }

  // --- Customer managed policies

  createManagedPolicy(accountId: string, input: NewManagedPolicy): IamResult<ManagedPolicyRecord> {
    const malformed = checkDocument(input.document, 'identity') ?? checkManagedSize(input.document);
    if (malformed) return malformed;
    if (this.db.exists('SELECT 1 FROM managed_policies WHERE name_key = ?', nameKey(input.policyName))) {
      return failure('EntityAlreadyExists', `A policy called ${input.policyName} already exists. Duplicate names are not allowed.`);
    }
    const now = iamTimestamp();
    const record = {
      policyName: input.policyName,
      policyId: newId('ANPA'),
      arn: policyArn(accountId, input.policyName, input.path),
      path: input.path,
      ...(input.description !== undefined ? { description: input.description } : {}),
      defaultVersionId: 'v1',
      createDate: now,
      updateDate: now,
      tags: input.tags ?? [],
    };
    this.db.run('INSERT INTO managed_policies VALUES (?, ?, ?, 2)', record.arn, nameKey(record.policyName), policyColumn.encode(record));
    this.db.run('INSERT INTO policy_versions VALUES (?, ?, ?, ?)', record.arn, 'v1', input.document, now);
    return done({ ...record, attachmentCount: 0 });
  }

  getManagedPolicy(arn: string): ManagedPolicyRecord | undefined {
    const record = policyColumn.one(this.db, 'SELECT record FROM managed_policies WHERE arn = ?', arn);
    return record && { ...record, attachmentCount: this.attachmentCount(arn) };
  }

  listManagedPolicies(): ManagedPolicyRecord[] {
    return policyColumn.all(this.db, 'SELECT record FROM managed_policies ORDER BY name_key').map((r) => ({ ...r, attachmentCount: this.attachmentCount(r.arn) }));
  }

  /** How many users and roles of this account each managed policy (AWS's included) is attached to. */
  attachmentCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const row of this.db.all<{ policy_arn: string; n: number }>('SELECT policy_arn, COUNT(*) AS n FROM attachments GROUP BY policy_arn')) counts[row.policy_arn] = row.n;
    return counts;
  }

  /** Users and roles the policy is attached to, in name order. */
  entitiesForPolicy(arn: string): { users: UserRecord[]; roles: RoleRecord[] } {
    const keys = (kind: string) => this.db.all<{ owner_key: string }>('SELECT owner_key FROM attachments WHERE policy_arn = ? AND owner_kind = ? ORDER BY owner_key', arn, kind);
    return {
      users: keys('user').flatMap((r) => userColumn.all(this.db, 'SELECT record FROM users WHERE name_key = ?', r.owner_key)),
      roles: keys('role').flatMap((r) => roleColumn.all(this.db, 'SELECT record FROM roles WHERE name_key = ?', r.owner_key)),
    };
  }

  /** Refused while attached anywhere, or while it has versions besides the default (IAM's order of checks). */
  deleteManagedPolicy(arn: string): IamResult<void> {
    if (!this.getManagedPolicy(arn)) return failure('NoSuchEntity', `Policy ${arn} was not found.`);
    if (this.attachmentCount(arn) > 0) return failure('DeleteConflict', 'Cannot delete a policy attached to entities.');
    if (this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM policy_versions WHERE policy_arn = ?', arn).n > 1) {
      return failure('DeleteConflict', "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    this.db.run('DELETE FROM policy_versions WHERE policy_arn = ?', arn);
    this.db.run('DELETE FROM managed_policies WHERE arn = ?', arn);
    return done(undefined);
  }

  createPolicyVersion(arn: string, document: string, setAsDefault: boolean): IamResult<PolicyVersionRecord> {
    const policy = this.getManagedPolicy(arn);
    if (!policy) return failure('NoSuchEntity', `Policy ${arn} was not found.`);
    const malformed = checkDocument(document, 'identity') ?? checkManagedSize(document);
    if (malformed) return malformed;
    if (this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM policy_versions WHERE policy_arn = ?', arn).n >= IAM_LIMITS.versionsPerPolicy) {
      return failure('LimitExceeded', `A managed policy can have up to ${IAM_LIMITS.versionsPerPolicy} versions. Before you create a new version, you must delete an existing version.`);
    }
    const next = this.db.single<{ next_version: number }>('SELECT next_version FROM managed_policies WHERE arn = ?', arn).next_version;
    const versionId = `v${next}`;
    const now = iamTimestamp();
    this.db.run('INSERT INTO policy_versions VALUES (?, ?, ?, ?)', arn, versionId, document, now);
    this.db.run('UPDATE managed_policies SET next_version = ? WHERE arn = ?', next + 1, arn);
    this.writePolicy({ ...policy, updateDate: now, ...(setAsDefault ? { defaultVersionId: versionId } : {}) });
    return done({ versionId, document, isDefaultVersion: setAsDefault, createDate: now });
  }

  getPolicyVersion(arn: string, versionId: string): IamResult<PolicyVersionRecord> {
    const policy = this.getManagedPolicy(arn);
    if (!policy) return failure('NoSuchEntity', `Policy ${arn} was not found.`);
    const row = this.db.one<{ version_id: string; document: string; create_date: string }>(
      'SELECT version_id, document, create_date FROM policy_versions WHERE policy_arn = ? AND version_id = ?', arn, versionId);
    if (!row) return failure('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
    return done({ versionId: row.version_id, document: row.document, isDefaultVersion: row.version_id === policy.defaultVersionId, createDate: row.create_date });
  }

  /** Newest first, as IAM lists them. */
  listPolicyVersions(arn: string): IamResult<PolicyVersionRecord[]> {
    const policy = this.getManagedPolicy(arn);
    if (!policy) return failure('NoSuchEntity', `Policy ${arn} was not found.`);
    const rows = this.db.all<{ version_id: string; document: string; create_date: string }>(
      'SELECT version_id, document, create_date FROM policy_versions WHERE policy_arn = ? ORDER BY CAST(substr(version_id, 2) AS INTEGER) DESC', arn);
    return done(rows.map((r) => ({ versionId: r.version_id, document: r.document, isDefaultVersion: r.version_id === policy.defaultVersionId, createDate: r.create_date })));
  }

  setDefaultPolicyVersion(arn: string, versionId: string): IamResult<void> {
    const version = this.getPolicyVersion(arn, versionId);
    if (!version.ok) return version;
    this.writePolicy({ ...this.getManagedPolicy(arn)!, defaultVersionId: versionId, updateDate: iamTimestamp() });
    return done(undefined);
  }

  deletePolicyVersion(arn: string, versionId: string): IamResult<void> {
    const version = this.getPolicyVersion(arn, versionId);
    if (!version.ok) return version;
    if (version.value.isDefaultVersion) return failure('DeleteConflict', 'Cannot delete the default version of a policy.');
    this.db.run('DELETE FROM policy_versions WHERE policy_arn = ? AND version_id = ?', arn, versionId);
    return done(undefined);
  }

  // --- What the evaluator reads

  /**
   * The identity policies of a user or role: its inline policies, then its attached managed
   * policies (AWS's from the catalog, customer managed at their default version), parsed.
   * Undefined when there is no such user or role, or when `id` (the RoleId or UserId a session or
   * key was issued for) is not the one of that name now: a role or user deleted and made again
   * under its old name does not hand its new permissions to the old one's sessions or keys.
   */
  identityPolicies(ref: PrincipalRef & { id?: string }): NamedPolicy[] | undefined {
    if (ref.id === undefined ? !this.exists(ref) : this.entityId(ref) !== ref.id) return undefined;
    const key = nameKey(ref.name);
    const inline = this.db
      .all<{ policy_name: string; document: string }>('SELECT policy_name, document FROM inline_policies WHERE owner_kind = ? AND owner_key = ? ORDER BY name_key', ref.kind, key)
      .map((r) => ({ name: r.policy_name, document: parsePolicyDocument(r.document, 'identity') }));
    const attached = this.listAttachedPolicies(ref);
    const managed = (attached.ok ? attached.value : []).flatMap(({ policyName, policyArn: arn }) => {
      const text = this.managedPolicyDocument(arn);
      return text === undefined ? [] : [{ name: policyName, arn, document: parsePolicyDocument(text, 'identity') }];
    });
    return [...inline, ...managed];
  }

  /** Removes everything of the account (account deletion). */
  deleteAll(): void {
    for (const table of ['roles', 'users', 'inline_policies', 'attachments', 'managed_policies', 'policy_versions']) this.db.run(`DELETE FROM ${table}`);
  }

  /** The RoleId or UserId of the role or user of that name, undefined when there is none. */
  private entityId(ref: PrincipalRef): string | undefined {
    return ref.kind === 'role' ? this.getRole(ref.name)?.roleId : this.getUser(ref.name)?.userId;
  }

  private exists(ref: PrincipalRef): boolean {
    return this.db.exists(`SELECT 1 FROM ${ref.kind === 'role' ? 'roles' : 'users'} WHERE name_key = ?`, nameKey(ref.name));
  }

  private policiesConflict(kind: PrincipalRef['kind'], key: string): IamFailure | undefined {
    if (this.db.exists('SELECT 1 FROM attachments WHERE owner_kind = ? AND owner_key = ?', kind, key)) {
      return failure('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
    }
    if (this.db.exists('SELECT 1 FROM inline_policies WHERE owner_kind = ? AND owner_key = ?', kind, key)) {
      return failure('DeleteConflict', 'Cannot delete entity, must delete policies first.');
    }
    return undefined;
  }

  private attachmentCount(arn: string): number {
    return this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM attachments WHERE policy_arn = ?', arn).n;
  }

  /** The name of an attachable managed policy: AWS's, or one of this account's. */
  private managedPolicyName(arn: string): string | undefined {
    return AWS_MANAGED_POLICIES.get(arn)?.policyName ?? policyColumn.one(this.db, 'SELECT record FROM managed_policies WHERE arn = ?', arn)?.policyName;
  }

  /** A managed policy's default version's document. */
  private managedPolicyDocument(arn: string): string | undefined {
    const aws = AWS_MANAGED_POLICIES.get(arn);
    if (aws) return aws.document;
    return this.db.one<{ document: string }>(
      `SELECT v.document FROM policy_versions v JOIN managed_policies p ON p.arn = v.policy_arn
       WHERE v.policy_arn = ? AND v.version_id = json_extract(p.record, '$.defaultVersionId')`, arn)?.document;
  }

  private writePolicy(policy: ManagedPolicyRecord): void {
    const { attachmentCount: _counted, ...record } = policy;
    this.db.run('UPDATE managed_policies SET record = ? WHERE arn = ?', policyColumn.encode(record), policy.arn);
  }
}

function noSuchEntity(ref: PrincipalRef): IamFailure {
  return failure('NoSuchEntity', `The ${ref.kind} with name ${ref.name} cannot be found.`);
}

function checkDocument(text: string, kind: PolicyKind): IamFailure | undefined {
  try {
    parsePolicyDocument(text, kind);
    return undefined;
  } catch (error) {
    if (error instanceof PolicyDocumentError) return failure('MalformedPolicyDocument', error.message);
    throw error;
  }
}

function checkManagedSize(document: string): IamFailure | undefined {
  return policySize(document) > IAM_LIMITS.managedPolicyChars ? failure('LimitExceeded', `Cannot exceed quota for PolicySize: ${IAM_LIMITS.managedPolicyChars}`) : undefined;
}
