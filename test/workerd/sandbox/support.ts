// Shared helpers for the sandbox suites: specs, inputs and capabilities with test-sized limits.
import type { EnvironmentSpec, GuestCapabilities, InvocationInput } from '../../../sandbox';
import bigintToDecimalLoop from '../../fixtures/functions/bigint-to-decimal-loop.js?raw';
import hugeArrayLikeBuiltin from '../../fixtures/functions/huge-array-like-builtin.js?raw';
import regexBacktracking from '../../fixtures/functions/regex-backtracking.js?raw';

const MIB = 1024 * 1024;
let counter = 0;

/**
 * Lambda's longest timeout, in milliseconds: the default, so that a slow machine cannot turn an
 * outcome into a timeout; tests about time set their own.
 */
const LONGEST_TIMEOUT_MS = 900_000;

/** A spec with a fresh environment key unless one is given; the longest timeout, 32 MiB cap. */
export function specFor(files: Record<string, string>, overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  return {
    environmentKey: `tenant-test/fn-${++counter}/$LATEST/rev1`,
    files,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    memorySizeMb: 128,
    memoryLimitBytes: 32 * MIB,
    timeoutMs: LONGEST_TIMEOUT_MS,
    environmentVariables: { AWS_REGION: 'us-east-1', GREETING: 'hello' },
    functionName: 'fn',
    functionVersion: '$LATEST',
    logGroupName: '/aws/lambda/fn',
    region: 'us-east-1',
    ...overrides,
  };
}

export function inputFor(event: unknown = {}, overrides: Partial<InvocationInput> = {}): InvocationInput {
  return {
    requestId: crypto.randomUUID(),
    eventJson: JSON.stringify(event),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
    ...overrides,
  };
}

export function capabilities(overrides: Partial<GuestCapabilities> = {}): GuestCapabilities {
  return {
    fetch: () => Promise.reject(new Error('no network in this test')),
    maxFetchRequests: 5,
    maxFetchBodyBytes: 1024 * 1024,
    ...overrides,
  };
}

export function payloadOf(report: { result: { kind: string; payloadJson?: string } }): unknown {
  if (report.result.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(report.result)}`);
  return JSON.parse(report.result.payloadJson!);
}

/**
 * A clock that stands still during synchronous work and catches up with Date.now() once the
 * host's event loop turns, as production Workers' clock does (it advances only across I/O).
 */
export function clockFrozenDuringSyncWork(): () => number {
  let frozenMs: number | undefined;
  return () => {
    if (frozenMs === undefined) {
      frozenMs = Date.now();
      setTimeout(() => { frozenMs = undefined; }, 0);
    }
    return frozenMs;
  };
}

/**
 * A clock that moves one millisecond every `readsPerMs` reads: the clock as the interrupt handler
 * of a machine that makes `readsPerMs` interrupt calls a millisecond would see it.
 */
export function clockTickingEveryReads(readsPerMs: number): () => number {
  const startMs = Date.now();
  let reads = 0;
  return () => startMs + Math.floor(reads++ / readsPerMs);
}

/**
 * Single built-in calls that run long without returning to QuickJS's interpreter (no interrupt
 * call while they run): name, function source, event.
 */
export const LONG_BUILTIN_CALLS = [
  ['(3n ** 650000n).toString() in a loop', bigintToDecimalLoop, {}],
  ['indexOf over { length: 2 ** 53 - 1 }', hugeArrayLikeBuiltin, { method: 'indexOf', args: [1] }],
  ['includes over { length: 2 ** 53 - 1 }', hugeArrayLikeBuiltin, { method: 'includes', args: [1] }],
  ['join over { length: 2 ** 53 - 1 }', hugeArrayLikeBuiltin, { method: 'join', args: [''] }],
  ['a regular expression with catastrophic backtracking', regexBacktracking, {}],
] as const;

/** More of the same kind (the same loop checks stop them): hostile.test.ts runs these too, timeout-clocks.test.ts not. */
export const MORE_LONG_BUILTIN_CALLS = [
  ['lastIndexOf over { length: 2 ** 53 - 1 }', hugeArrayLikeBuiltin, { method: 'lastIndexOf', args: [1] }],
  ['copyWithin over { length: 2 ** 53 - 1 }', hugeArrayLikeBuiltin, { method: 'copyWithin', args: [0, 1] }],
  ['every over { length: 2 ** 53 - 1 } of holes', hugeArrayLikeBuiltin, { method: 'every', args: [] }],
] as const;

/** An event that makes every LONG_BUILTIN_CALLS function return at once (huge-array-like-builtin.js). */
export const QUICK_BUILTIN_EVENT = { method: 'at', args: [0], length: 1 };
