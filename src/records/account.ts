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
