// What the CloudWatch Logs-compatible API answers, as the tests read it (requests: logsApi in aws-json-client.ts).

export interface FilteredEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}
