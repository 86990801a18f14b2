// SNS filter policies as SNS documents them: exact strings and numbers, prefix, suffix,
// anything-but, numeric ranges, exists, equals-ignore-case, on attributes or on the JSON body.
import { describe, expect, it } from 'vitest';
import { filterPolicyProblem, messageMatches, type PublishedAttribute } from '../../../src/topics/filter-policy';

const str = (value: string): PublishedAttribute => ({ DataType: 'String', StringValue: value });
const num = (value: string): PublishedAttribute => ({ DataType: 'Number', StringValue: value });
const onAttributes = (policy: unknown, attributes: Record<string, PublishedAttribute>) => messageMatches(JSON.stringify(policy), 'MessageAttributes', 'body', attributes);
const onBody = (policy: unknown, body: unknown) => messageMatches(JSON.stringify(policy), 'MessageBody', JSON.stringify(body), {});

describe('filter policies on message attributes', () => {
  it('matches exact strings (any of a key\'s values) and needs every key to match', () => {
    const policy = { color: ['red', 'blue'], size: ['L'] };
    expect(onAttributes(policy, { color: str('blue'), size: str('L') })).toBe(true);
    expect(onAttributes(policy, { color: str('green'), size: str('L') })).toBe(false);
    expect(onAttributes(policy, { color: str('red') })).toBe(false);
  });

  it('matches numbers exactly and by ranges, only on Number attributes', () => {
    expect(onAttributes({ price: [100] }, { price: num('100.0') })).toBe(true);
    expect(onAttributes({ price: [{ numeric: ['>', 0, '<=', 150] }] }, { price: num('150') })).toBe(true);
    expect(onAttributes({ price: [{ numeric: ['>', 0, '<=', 150] }] }, { price: num('151') })).toBe(false);
    expect(onAttributes({ price: [{ numeric: ['=', 5] }] }, { price: str('5') })).toBe(false);
  });

  it('matches prefix, suffix, equals-ignore-case and anything-but', () => {
    expect(onAttributes({ k: [{ prefix: 'ord' }] }, { k: str('order-1') })).toBe(true);
    expect(onAttributes({ k: [{ suffix: '.png' }] }, { k: str('a.jpg') })).toBe(false);
    expect(onAttributes({ k: [{ 'equals-ignore-case': 'RED' }] }, { k: str('red') })).toBe(true);
    expect(onAttributes({ k: [{ 'anything-but': ['a', 'b'] }] }, { k: str('c') })).toBe(true);
    expect(onAttributes({ k: [{ 'anything-but': 'a' }] }, { k: str('a') })).toBe(false);
    expect(onAttributes({ k: [{ 'anything-but': { prefix: 'test-' } }] }, { k: str('test-1') })).toBe(false);
    // anything-but needs the attribute to be there.
    expect(onAttributes({ k: [{ 'anything-but': 'a' }] }, {})).toBe(false);
  });

  it('matches exists true and false, and String.Array items', () => {
    expect(onAttributes({ k: [{ exists: true }] }, { k: str('x') })).toBe(true);
    expect(onAttributes({ k: [{ exists: false }] }, { k: str('x') })).toBe(false);
    expect(onAttributes({ k: [{ exists: false }] }, { other: str('x') })).toBe(true);
    expect(onAttributes({ tags: ['b'] }, { tags: { DataType: 'String.Array', StringValue: '["a","b"]' } })).toBe(true);
    expect(onAttributes({ tags: [{ numeric: ['>', 2] }] }, { tags: { DataType: 'String.Array', StringValue: '[1, 3]' } })).toBe(true);
  });

  it('never matches a Binary attribute', () => {
    expect(onAttributes({ k: ['eA=='] }, { k: { DataType: 'Binary', BinaryValue: 'eA==' } })).toBe(false);
  });
});

describe('filter policies on the message body', () => {
  it('follows nested members, arrays and nulls', () => {
    const policy = { order: { status: ['paid'], total: [{ numeric: ['>=', 10] }] } };
    expect(onBody(policy, { order: { status: 'paid', total: 12 } })).toBe(true);
    expect(onBody(policy, { order: { status: 'paid', total: 9 } })).toBe(false);
    expect(onBody({ items: ['b'] }, { items: ['a', 'b'] })).toBe(true);
    expect(onBody({ gone: [null] }, { gone: null })).toBe(true);
  });

  it('does not match a body that is not a JSON object', () => {
    expect(messageMatches('{"a":["b"]}', 'MessageBody', 'plain text', {})).toBe(false);
  });
});

describe('filter policy checks', () => {
  it('accepts the documented operators', () => {
    expect(filterPolicyProblem(JSON.stringify({ a: ['x', 1, { prefix: 'p' }, { 'anything-but': ['q'] }, { numeric: ['>', 1, '<', 5] }, { exists: true }] }), 'MessageAttributes')).toBeUndefined();
  });

  it('refuses malformed policies with a reason', () => {
    expect(filterPolicyProblem('{', 'MessageAttributes')).toBe('failed to parse JSON.');
    expect(filterPolicyProblem('[]', 'MessageAttributes')).toBe('Filter policy must be a JSON object.');
    expect(filterPolicyProblem('{"a":"x"}', 'MessageAttributes')).toBe('"a" must be an object or an array');
    expect(filterPolicyProblem('{"a":[]}', 'MessageAttributes')).toBe('Empty arrays are not allowed');
    expect(filterPolicyProblem('{"a":[{"wildcard":"x"}]}', 'MessageAttributes')).toBe('Unrecognized match type wildcard');
    expect(filterPolicyProblem('{"a":[{"numeric":[">","x"]}]}', 'MessageAttributes')).toBe('Value of > must be numeric');
    expect(filterPolicyProblem('{"a":{"b":["x"]}}', 'MessageAttributes')).toMatch(/nested/);
    expect(filterPolicyProblem('{"a":{"b":["x"]}}', 'MessageBody')).toBeUndefined();
    expect(filterPolicyProblem(JSON.stringify({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }), 'MessageAttributes')).toMatch(/more than 5 keys/);
    const wide = Array.from({ length: 13 }, (_, i) => String(i));
    expect(filterPolicyProblem(JSON.stringify({ a: wide, b: wide }), 'MessageAttributes')).toBe('Filter policy is too complex');
  });
});
