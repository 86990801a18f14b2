// Tenant accounts and their access keys, as the AccountDirectory stores them.

export interface AccountRecord {
  accountId: string;
  name: string;
  createdAt: string;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  accountId: string;
  secretAccessKey: string;
  createdAt: string;
}
