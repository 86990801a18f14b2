// X-Ray segment documents and stored traces, as the TraceStore keeps them (docs/TRACES.md).

/** How long a trace is kept after it ended, as X-Ray does. */
export const TRACE_RETENTION_MS = 30 * 86_400_000;

/** The fields of X-Ray's segment document that faasbox writes and reads. */
export interface SegmentDocument {
  id: string;
  trace_id: string;
  parent_id?: string;
  name: string;
  origin?: string;
  namespace?: 'remote' | 'aws';
  start_time: number;
  end_time: number;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  http?: { request?: { method?: string; url?: string }; response?: { status?: number } };
  aws?: { account_id?: string; function_arn?: string; resource_names?: string[]; request_id?: string };
  cause?: { exceptions: { id: string; type: string; message: string }[] };
  subsegments?: SegmentDocument[];
}

/** One trace with its segments' documents. */
export interface StoredTrace {
  id: string;
  segments: SegmentDocument[];
}
