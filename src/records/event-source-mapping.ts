// Event source mappings (queue triggers), as the EventSourceMappings object stores them.

/** A mapping from one of the account's queues to one of its functions; times in epoch ms. */
export interface EventSourceMapping {
  uuid: string;
  accountId: string;
  region: string;
  functionName: string;
  /** A version or alias the mapping invokes (absent: $LATEST), resolved again for every batch. */
  qualifier?: string;
  /** FunctionArn as Lambda reports it: unqualified, or with `:$LATEST` when created so. */
  functionArn: string;
  eventSourceArn: string;
  queueName: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  enabled: boolean;
  reportBatchItemFailures: boolean;
  /** ScalingConfig.MaximumConcurrency: batches run at once at most. */
  maximumConcurrency?: number;
  lastModifiedMs: number;
}

export type MappingChanges = Partial<Pick<EventSourceMapping, 'batchSize' | 'maximumBatchingWindowSeconds' | 'enabled' | 'reportBatchItemFailures' | 'maximumConcurrency'>>;
