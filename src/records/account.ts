// Tenant accounts and their access keys, as the AccountDirectory stores them.

export interface AccountRecord {
  accountId: string;
  name: string;
  createdAt: string;
  /** A playground sandbox (docs/PLAYGROUND.md): its quotas apply, and it ends by itself. */
  playground: boolean;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  accountId: string;
  secretAccessKey: string;
  createdAt: string;
}

/** An access key's status: an Inactive key does not authenticate (IAM's UpdateAccessKey). */
export type AccessKeyStatus = 'Active' | 'Inactive';

/** The IAM user an access key belongs to (the account's own keys belong to none). */
export interface AccessKeyUser {
  userName: string;
  userId: string;
  path: string;
}

/** A key as ListAccessKeys shows it: no secret. */
export interface AccessKeyMetadata {
  accessKeyId: string;
  status: AccessKeyStatus;
  createdAt: string;
  /** Absent for the account's own keys. */
  userName?: string;
}
