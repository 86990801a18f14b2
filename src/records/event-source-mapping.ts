// Event source mappings (queue triggers), as the EventSourceMappings object stores them.
import type { Tags } from './tags';

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
  /**
   * LastProcessingResult, set once polling met a problem: `PROBLEM: ...` while the function's role
   * may not read the queue (polling stops), `OK` once it may again. Absent while nothing went wrong.
   */
  lastProcessingResult?: string;
  /** The mapping's tags (CreateEventSourceMapping's Tags, TagResource); Lambda lists them with ListTags only. */
  tags?: Tags;
}

export type MappingChanges = Partial<Pick<EventSourceMapping, 'batchSize' | 'maximumBatchingWindowSeconds' | 'enabled' | 'reportBatchItemFailures' | 'maximumConcurrency'>>;

/**
 * How a round of polling ended, which decides when the mapping polls again:
 * 1. `drained`: the queue had nothing visible (or the mapping was disabled or deleted meanwhile).
 * 2. `more`: the time slice ended with work left; poll again at once.
 * 3. `throttled`: the function had no concurrency for long; its messages were handed back, back off.
 * 4. `unavailable`: the function or the queue does not exist, or the platform failed; nothing was lost.
 * 5. `denied`: the function's execution role may not read the queue; nothing was received. Asked
 *    again after the idle interval, so a role given the permission back resumes within seconds.
 */
export type PollOutcome = 'drained' | 'more' | 'throttled' | 'unavailable' | 'denied';

export interface PollOptions {
  /** Whether the mapping is still enabled; read before every receive. */
  isEnabled(): boolean;
  /** Stop starting new batches at this time (epoch ms): a Durable Object alarm is bounded. */
  sliceEndsAtMs: number;
  /** Records a problem (`PROBLEM: ...`) as the mapping's LastProcessingResult, or that there is none now (undefined). */
  reportProblem(problem: string | undefined): Promise<void>;
}
