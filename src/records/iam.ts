// IAM's entities as the account's IamStore keeps them (roles, users, customer managed policies and
// their versions), IAM's quotas, and the shapes its operations exchange. Plain data.

export interface Tag {
  Key: string;
  Value: string;
}

export interface RoleRecord {
  roleName: string;
  /** AROA + 17 characters, as IAM's. */
  roleId: string;
  arn: string;
  path: string;
  /** The trust policy as the caller wrote it (IAM answers the text it was given). */
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDurationSeconds: number;
  /** ISO 8601 without milliseconds: `2026-12-01T12:00:00Z`. */
  createDate: string;
  tags: Tag[];
}

export interface UserRecord {
  userName: string;
  /** AIDA + 17 characters. */
  userId: string;
  arn: string;
  path: string;
  createDate: string;
  tags: Tag[];
}

export interface ManagedPolicyRecord {
  policyName: string;
  /** ANPA + 17 characters. */
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  defaultVersionId: string;
  /** Users and roles it is attached to. */
  attachmentCount: number;
  createDate: string;
  updateDate: string;
  tags: Tag[];
}

export interface PolicyVersionRecord {
  versionId: string;
  /** The document as written. */
  document: string;
  isDefaultVersion: boolean;
  createDate: string;
}

/** IAM's timestamps: ISO 8601 to the second. */
export const iamTimestamp = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The account and name of a customer managed policy's ARN (`arn:aws:iam::<account>:policy<path><name>`). */
export function parsePolicyArn(arn: string): { accountId: string; path: string; policyName: string } | undefined {
  const match = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,128})$/.exec(arn);
  return match ? { accountId: match[1]!, path: match[2]!, policyName: match[3]! } : undefined;
}

export const policyArn = (accountId: string, policyName: string, path = '/') => `arn:aws:iam::${accountId}:policy${path}${policyName}`;

/** Whose policies: a user's or a role's (IAM groups are not kept). */
export interface PrincipalRef {
  kind: 'user' | 'role';
  name: string;
}

/** A managed policy attached to a user or role, as ListAttached*Policies answers it. */
export interface AttachedPolicy {
  policyName: string;
  policyArn: string;
}

/** One page of a listing: IAM's Marker / IsTruncated. */
export interface Page<T> {
  items: T[];
  /** The marker of the next page; undefined on the last. */
  marker?: string;
}

/** IAM's quotas (its defaults), each checked where it is stored. */
export const IAM_LIMITS = {
  /** Managed policies attached to one role or user. */
  attachedPoliciesPerEntity: 10,
  /** Access keys of one user. */
  accessKeysPerUser: 2,
  /** Versions of one customer managed policy. */
  versionsPerPolicy: 5,
  /** Characters of all inline policies of a role together (whitespace not counted). */
  roleInlinePolicyChars: 10_240,
  /** Characters of all inline policies of a user together. */
  userInlinePolicyChars: 2_048,
  /** Characters of one managed policy's document. */
  managedPolicyChars: 6_144,
  /** Characters of a role's trust policy. */
  trustPolicyChars: 2_048,
  tagsPerEntity: 50,
} as const;

/** A role's MaxSessionDuration: IAM's default and bounds, seconds. */
export const ROLE_SESSION_DEFAULT_SECONDS = 3_600;
export const ROLE_SESSION_MAX_SECONDS = 43_200;

/** The error codes IAM answers for what its store refuses. */
export type IamErrorCode =
  | 'NoSuchEntity' | 'EntityAlreadyExists' | 'MalformedPolicyDocument' | 'DeleteConflict' | 'LimitExceeded' | 'InvalidInput';

/** An IamStore answer: a value, or IAM's error code with IAM's message. */
export type IamResult<T> = { ok: true; value: T } | IamFailure;
export type IamFailure = { ok: false; error: IamErrorCode; message: string };
