// OTLP/HTTP JSON export: the request's shape, and a collector that refuses or is down costs a log
// line, never an exception.
import { describe, expect, inject, it } from 'vitest';
import { exportToOtlp, otlpRequest } from '../../../src/traces/otlp';
import type { SegmentDocument } from '../../../src/traces/segments';

const ROOT = '1-6a1b2c3d-0123456789abcdef01234567';
const SEGMENT: SegmentDocument = {
  id: '1111111111111111', trace_id: ROOT, parent_id: '9999999999999999', name: 'fn', origin: 'AWS::Lambda::Function',
  start_time: 1795748992.018, end_time: 1795748992.295, error: true, cause: { exceptions: [{ id: 'x', type: 'Error', message: 'boom' }] },
  subsegments: [{
    id: '2222222222222222', trace_id: ROOT, name: 'Invocation', start_time: 1795748992.1, end_time: 1795748992.2,
    subsegments: [{ id: '3333333333333333', trace_id: ROOT, name: 'api.test', namespace: 'remote', start_time: 1795748992.11, end_time: 1795748992.19, http: { request: { method: 'GET', url: 'https://api.test/x' }, response: { status: 200 } } }],
  }],
};

describe('OTLP export', () => {
  it('flattens a segment into spans with W3C ids, parents, kinds, nanosecond times and status', () => {
    const request = otlpRequest('123456789012', [SEGMENT]);
    const [resource] = request.resourceSpans;
    expect(resource.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'fn' } });
    expect(resource.resource.attributes).toContainEqual({ key: 'cloud.account.id', value: { stringValue: '123456789012' } });
    const spans = resource.scopeSpans[0].spans as Record<string, unknown>[];
    expect(spans.map((s) => [s.spanId, s.parentSpanId, s.kind])).toEqual([
      ['1111111111111111', '9999999999999999', 2],
      ['2222222222222222', '1111111111111111', 1],
      ['3333333333333333', '2222222222222222', 3],
    ]);
    expect(spans.every((s) => s.traceId === '6a1b2c3d0123456789abcdef01234567')).toBe(true);
    expect(spans[0]).toMatchObject({ startTimeUnixNano: '1795748992018000000', endTimeUnixNano: '1795748992295000000', status: { code: 2, message: 'boom' } });
    expect(spans[2].attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: '200' } });
  });

  it('resolves when the collector refuses or cannot be reached', async () => {
    await expect(exportToOtlp(`${inject('httpTargetUrl')}/status/500`, '123456789012', [SEGMENT])).resolves.toBeUndefined();
    await expect(exportToOtlp('http://127.0.0.1:1', '123456789012', [SEGMENT])).resolves.toBeUndefined();
  });
});
