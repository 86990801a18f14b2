// Record types of the S3 subset (docs/S3.md): a bucket as the S3BucketRegistry holds it, with its
// event notification configuration.

/** A bucket: its globally unique name, the account that owns it, when and where it was made. */
export interface BucketRecord {
  name: string;
  accountId: string;
  region: string;
  /** Epoch milliseconds. */
  createdAtMs: number;
  /** Its notification configuration (PutBucketNotificationConfiguration); absent or empty: none. */
  notifications?: NotificationRule[];
}

/** Where a notification goes: S3's TopicConfiguration, QueueConfiguration, CloudFunctionConfiguration. */
export type NotificationDestination = 'topic' | 'queue' | 'function';

/** A key filter rule, its name as S3 answers it. */
export interface NotificationFilterRule {
  name: 'Prefix' | 'Suffix';
  value: string;
}

/** One configuration of a bucket's notification configuration, as S3 stores it. */
export interface NotificationRule {
  id: string;
  destination: NotificationDestination;
  /** The topic, queue or function ARN (a function's may be qualified). */
  arn: string;
  /** Event types as given (`s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`...). */
  events: string[];
  filterRules: NotificationFilterRule[];
}
