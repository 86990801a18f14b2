// Log groups, streams and events as the LogStore stores and answers them (docs/LOGS.md).

/** Retention periods CloudWatch Logs accepts for PutRetentionPolicy, in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export interface LogGroupInfo {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  storedBytes: number;
}

export interface LogStreamInfo {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
}

/** One event as read back: its stream, times and a store-wide id (ascending in write order). */
export interface ReadLogEvent extends StoredLogEvent {
  id: number;
}

/** A page of events; `cursor` is where the next page starts, absent when nothing is left. */
export interface EventPage {
  events: ReadLogEvent[];
  /** `timestamp/id` of the last row examined, when more rows may match. */
  cursor?: string;
  searchedLogStreams: string[];
}

export interface LogEvent {
  timestamp: number;
  message: string;
  /** A line the platform writes (START, END, REPORT, runtime errors, markers): never rate-limited. */
  platform?: boolean;
}

export interface StoredLogEvent extends LogEvent {
  logStreamName: string;
  ingestionTime: number;
}
