// Trace ids in X-Amzn-Trace-Id and W3C traceparent: parsing, validation and conversion both ways.
import { describe, expect, it } from 'vitest';
import {
  formatTraceparent, formatXRayHeader, newSegmentId, newTraceRoot, parseIncomingTrace, parseTraceparent, parseXRayHeader, w3cTraceId,
} from '../../../src/traces/trace-header';
import { startTrace } from '../../../src/traces/invocation-trace';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';

describe('X-Amzn-Trace-Id', () => {
  it('reads Root, Parent and Sampled in any order and ignores other fields', () => {
    expect(parseXRayHeader(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`)).toEqual({ root: ROOT, parentId: '53995c3f42cd8ad8', sampled: true });
    expect(parseXRayHeader(`Sampled=0;Lineage=a87bd80c:1|68fd508a:5;Root=${ROOT}`)).toEqual({ root: ROOT, parentId: undefined, sampled: false });
    expect(parseXRayHeader(`Root=${ROOT};Sampled=?`)?.sampled).toBeUndefined();
  });

  it('refuses a malformed root', () => {
    expect(parseXRayHeader('Root=1-xyz;Sampled=1')).toBeUndefined();
    expect(parseXRayHeader('Parent=53995c3f42cd8ad8')).toBeUndefined();
    expect(parseXRayHeader('')).toBeUndefined();
  });
});

describe('traceparent', () => {
  it('converts to the X-Ray root (its two hex parts are the W3C trace id) and back', () => {
    const parsed = parseTraceparent('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01');
    expect(parsed).toEqual({ root: ROOT, parentId: '53995c3f42cd8ad8', sampled: true });
    expect(formatTraceparent(ROOT, '53995c3f42cd8ad8', true)).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01');
    expect(formatTraceparent(ROOT, '53995c3f42cd8ad8', false)).toMatch(/-00$/);
    expect(w3cTraceId(ROOT)).toBe('5759e988bd862e3fe1be46a994272793');
  });

  it('refuses version ff, all-zero ids and malformed headers', () => {
    expect(parseTraceparent('ff-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01')).toBeUndefined();
    expect(parseTraceparent('00-00000000000000000000000000000000-53995c3f42cd8ad8-01')).toBeUndefined();
    expect(parseTraceparent('00-5759e988bd862e3fe1be46a994272793-0000000000000000-01')).toBeUndefined();
    expect(parseTraceparent('00-5759e988-53995c3f42cd8ad8-01')).toBeUndefined();
  });

  it('is used only when X-Amzn-Trace-Id is absent or invalid', () => {
    const w3c = '00-aaaaaaaabbbbbbbbccccccccdddddddd-1111111111111111-01';
    expect(parseIncomingTrace(`Root=${ROOT}`, w3c)?.root).toBe(ROOT);
    expect(parseIncomingTrace('garbage', w3c)?.root).toBe('1-aaaaaaaa-bbbbbbbbccccccccdddddddd');
    expect(parseIncomingTrace(undefined, undefined)).toBeUndefined();
  });
});

describe('new ids and the sampling decision', () => {
  it('makes roots with the epoch seconds in hex and 16-hex segment ids', () => {
    expect(newTraceRoot(0x5759e988 * 1000)).toMatch(/^1-5759e988-[0-9a-f]{24}$/);
    expect(newSegmentId()).toMatch(/^[0-9a-f]{16}$/);
    expect(formatXRayHeader(ROOT, 'abcdefabcdefabcd', true)).toBe(`Root=${ROOT};Parent=abcdefabcdefabcd;Sampled=1`);
  });

  it('records Active functions unless the caller decided Sampled=0; PassThrough continues without recording', () => {
    expect(startTrace({ tracingMode: 'Active' }, undefined)).toMatchObject({ sampled: true, recorded: true });
    expect(startTrace({ tracingMode: 'Active' }, `Root=${ROOT};Sampled=0`)).toMatchObject({ root: ROOT, sampled: false, recorded: false });
    expect(startTrace({ tracingMode: 'PassThrough' }, undefined)).toMatchObject({ sampled: false, recorded: false });
    expect(startTrace({ tracingMode: 'PassThrough' }, `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`)).toMatchObject({ root: ROOT, parentId: '53995c3f42cd8ad8', sampled: true, recorded: false });
  });
});
