// Trace ids and the two headers that carry them: X-Ray's `X-Amzn-Trace-Id`
// (`Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=1`) and W3C's `traceparent`
// (`00-<32 hex>-<16 hex>-<2 hex flags>`). One is converted to the other: the X-Ray root's two hex
// parts are the W3C trace id, the parent is the span id, Sampled is flag bit 0.

/** A trace as it arrives with a request: its root, the caller's span, and the caller's sampling decision. */
export interface IncomingTrace {
  /** `1-<8 hex epoch seconds>-<24 hex>`. */
  root: string;
  /** The caller's segment or span, 16 hex digits; the function's segment names it as parent. */
  parentId?: string;
  /** true or false when the caller decided; undefined when it left the decision to us. */
  sampled?: boolean;
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The trace of an incoming request: `X-Amzn-Trace-Id` first, else `traceparent`; undefined when
 * neither is present or valid (a malformed header starts a new trace, as on Lambda).
 * @example parseIncomingTrace('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1', undefined)
 */
export function parseIncomingTrace(xAmznTraceId: string | undefined, traceparent: string | undefined): IncomingTrace | undefined {
  return (xAmznTraceId !== undefined ? parseXRayHeader(xAmznTraceId) : undefined) ?? (traceparent !== undefined ? parseTraceparent(traceparent) : undefined);
}

/** `Root=...;Parent=...;Sampled=...` in any order, with other fields (Self, Lineage) ignored. */
export function parseXRayHeader(header: string): IncomingTrace | undefined {
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const root = fields.get('Root')?.toLowerCase();
  if (!root || !ROOT.test(root)) return undefined;
  const parent = fields.get('Parent')?.toLowerCase();
  const sampled = fields.get('Sampled');
  return {
    root,
    parentId: parent && SPAN_ID.test(parent) ? parent : undefined,
    sampled: sampled === '1' ? true : sampled === '0' ? false : undefined,
  };
}

/** W3C trace context level 1; version ff and all-zero ids are invalid. */
export function parseTraceparent(header: string): IncomingTrace | undefined {
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { root: `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`, parentId: spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** `Root=<root>;Parent=<parent>;Sampled=<0|1>`, as Lambda sets `_X_AMZN_TRACE_ID` and sends downstream. */
export function formatXRayHeader(root: string, parentId: string, sampled: boolean): string {
  return `Root=${root};Parent=${parentId};Sampled=${sampled ? 1 : 0}`;
}

/** The W3C header for the same trace and span. */
export function formatTraceparent(root: string, parentId: string, sampled: boolean): string {
  return `00-${w3cTraceId(root)}-${parentId}-${sampled ? '01' : '00'}`;
}

/** X-Ray root `1-aaaaaaaa-bbbb...` as the 32-hex W3C (and OTLP) trace id. */
export function w3cTraceId(root: string): string {
  return root.slice(2, 10) + root.slice(11);
}

/** A new root: epoch seconds in hex, then 96 random bits, as X-Ray makes them. */
export function newTraceRoot(nowMs = Date.now()): string {
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, '0');
  return `1-${seconds}-${randomHex(12)}`;
}

/** A new segment or span id: 64 random bits as 16 hex digits. */
export function newSegmentId(): string {
  return randomHex(8);
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}
