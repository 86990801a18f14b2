// Record types of the S3 subset (docs/S3.md): a bucket as the S3BucketRegistry holds it.

/** A bucket: its globally unique name, the account that owns it, when and where it was made. */
export interface BucketRecord {
  name: string;
  accountId: string;
  region: string;
  /** Epoch milliseconds. */
  createdAtMs: number;
}
