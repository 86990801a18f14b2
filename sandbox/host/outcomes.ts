// Lambda's guest-visible shapes for failures the host detects (timeout, memory, exit, size).
// Failures the guest detects are shaped in guest/errors.guest.js. Owns nothing.
import type { FailureReason, GuestError, InvocationResult } from '../contract';
import { MAX_RESPONSE_BYTES } from './limits';

export function failure(reason: FailureReason, error: GuestError): InvocationResult {
  return { kind: 'failure', reason, error };
}

export function timedOut(requestId: string, timeoutMs: number): InvocationResult {
  return failure('timeout', {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
    trace: [],
  });
}

export function outOfMemory(requestId: string): InvocationResult {
  return failure('out-of-memory', {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: out of memory`,
    trace: [],
  });
}

export function runtimeExit(requestId: string): InvocationResult {
  return failure('runtime-exit', {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status 1`,
    trace: [],
  });
}

/**
 * A stack overflow the host caught (the guest's own stack check throws Node's RangeError itself):
 * what Node.js reports for the same code, as a function error; the environment is retired, since
 * the C code it cut short left QuickJS's state unknown.
 */
export function stackOverflow(): InvocationResult {
  return failure('function-error', {
    errorType: 'RangeError',
    errorMessage: 'Maximum call stack size exceeded',
    trace: ['RangeError: Maximum call stack size exceeded'],
  });
}

export function responseTooLarge(): InvocationResult {
  return failure('response-too-large', {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    trace: [],
  });
}
