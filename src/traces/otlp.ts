// Optional export of segments as OpenTelemetry spans over OTLP/HTTP JSON, to the platform's
// collector (FAASBOX_OTLP_ENDPOINT). Called after the response; a collector that is down or
// refuses costs a log line, never the invocation.
import type { SegmentDocument } from './segments';
import { w3cTraceId } from './trace-header';

/** OTLP SpanKind values. */
const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;
/** OTLP StatusCode values. */
const STATUS = { unset: 0, error: 2 } as const;

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
interface KeyValue {
  key: string;
  value: AnyValue;
}

/** POSTs `segments` (with their subsegments, flattened) to `<endpoint>/v1/traces`. Never throws. */
export async function exportToOtlp(endpoint: string, accountId: string, segments: SegmentDocument[]): Promise<void> {
  const url = `${endpoint.replace(/\/+$/, '')}/v1/traces`;
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpRequest(accountId, segments)) });
    if (!response.ok) console.error(`OTLP export to ${url} refused: ${response.status} ${await response.text()}`);
    else await response.body?.cancel();
  } catch (error) {
    console.error(`OTLP export to ${url} failed:`, error);
  }
}

/** The ExportTraceServiceRequest for `segments`: one resource (the function) per segment. */
export function otlpRequest(accountId: string, segments: SegmentDocument[]) {
  return {
    resourceSpans: segments.map((segment) => ({
      resource: {
        attributes: [
          str('service.name', segment.name),
          str('cloud.provider', 'faasbox'),
          str('cloud.account.id', accountId),
          str('faas.name', segment.name),
        ],
      },
      scopeSpans: [{ scope: { name: 'faasbox' }, spans: flatten(segment, segment.parent_id, true) }],
    })),
  };
}

function flatten(segment: SegmentDocument, parentSpanId: string | undefined, isRoot: boolean): unknown[] {
  const kind = isRoot ? SPAN_KIND.server : segment.namespace === 'remote' ? SPAN_KIND.client : SPAN_KIND.internal;
  const attributes: KeyValue[] = [];
  if (segment.http?.request?.method) attributes.push(str('http.request.method', segment.http.request.method));
  if (segment.http?.request?.url) attributes.push(str('url.full', segment.http.request.url));
  if (segment.http?.response?.status !== undefined) attributes.push({ key: 'http.response.status_code', value: { intValue: String(segment.http.response.status) } });
  if (segment.origin) attributes.push(str('aws.xray.origin', segment.origin));
  if (segment.throttle) attributes.push({ key: 'aws.xray.throttle', value: { boolValue: true } });
  const failed = segment.error || segment.fault;
  const span = {
    traceId: w3cTraceId(segment.trace_id),
    spanId: segment.id,
    ...(parentSpanId && { parentSpanId }),
    name: segment.name,
    kind,
    startTimeUnixNano: unixNano(segment.start_time),
    endTimeUnixNano: unixNano(segment.end_time),
    attributes,
    status: failed ? { code: STATUS.error, message: segment.cause?.exceptions[0]?.message ?? (segment.fault ? 'fault' : 'error') } : { code: STATUS.unset },
  };
  return [span, ...(segment.subsegments ?? []).flatMap((sub) => flatten({ ...sub, trace_id: segment.trace_id }, segment.id, false))];
}

function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

/** Epoch seconds (fractional, millisecond precision) as OTLP's decimal string of nanoseconds. */
function unixNano(seconds: number): string {
  return (BigInt(Math.round(seconds * 1000)) * 1_000_000n).toString();
}
