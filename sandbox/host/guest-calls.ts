// The two calls into the guest that run its code for long: calling a function and running pending
// jobs. Through the instance's pausable entries (JSPI) the guest can pause inside either one and
// let other work run; without them they are the library's own synchronous calls. Built from
// quickjs-emscripten's own parts, the way QuickJSContext.callFunction and
// QuickJSRuntime.executePendingJobs do it (0.32), because the library has no awaitable variant of
// either for a synchronous build.
import type { JSContextPointer, JSValuePointer } from '@jitl/quickjs-ffi-types';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core';
import type { PausableEntries } from './wasm-instance';

/** A guest result: its value or what it threw. The caller owns (and disposes) the handle. */
export type GuestResult = { value: QuickJSHandle; error?: undefined } | { error: QuickJSHandle; value?: undefined };

/** `fn.apply(thisValue, args)` in the guest. Does not free its arguments. */
export async function callGuestFunction(
  context: QuickJSContext, entries: PausableEntries | undefined, fn: QuickJSHandle, thisValue: QuickJSHandle, args: QuickJSHandle[],
): Promise<GuestResult> {
  if (!entries) return unwrap(context.callFunction(fn, thisValue, ...args));
  // Bracket access reaches the library's own protected parts (read, never replaced).
  const memory = context['memory'];
  const ffi = context['ffi'];
  const contextPointer = context['ctx'].value;
  const argv = memory.toPointerArray(args);
  let resultPointer: JSValuePointer;
  try {
    resultPointer = (await entries.call(contextPointer, fn.value, thisValue.value, args.length, argv.value)) as JSValuePointer;
  } finally {
    argv.dispose();
  }
  const errorPointer = ffi.QTS_ResolveException(contextPointer, resultPointer);
  if (errorPointer) {
    ffi.QTS_FreeValuePointer(contextPointer, resultPointer);
    return { error: memory.heapValueHandle(errorPointer) };
  }
  return { value: memory.heapValueHandle(resultPointer) };
}

/**
 * Runs at most `maxJobs` pending jobs of the runtime, whose one context is `context`. Answers how
 * many ran, or the error a job threw (the caller owns it).
 */
export async function runPendingJobs(
  runtime: QuickJSRuntime, context: QuickJSContext, entries: PausableEntries | undefined, maxJobs: number,
): Promise<{ executed: number; error?: undefined } | { error: QuickJSHandle; executed?: undefined }> {
  if (!entries) {
    const result = runtime.executePendingJobs(maxJobs);
    if (result.error) return { error: result.error };
    return { executed: result.value };
  }
  const memory = context['memory'];
  const ffi = context['ffi'];
  const runtimePointer = runtime['rt'].value;
  const contextOut = memory.newMutablePointerArray<number>(1);
  try {
    const valuePointer = (await entries.executePendingJob(runtimePointer, maxJobs, contextOut.value.ptr)) as JSValuePointer;
    // A fresh view: the memory may have grown (and its old buffer detached) while the jobs ran.
    const jobContext = new Int32Array(memory.module.HEAPU8.buffer, contextOut.value.ptr, 1)[0] as JSContextPointer;
    if (jobContext === 0) {
      ffi.QTS_FreeValuePointerRuntime(runtimePointer, valuePointer);
      return { executed: 0 };
    }
    const value = memory.heapValueHandle(valuePointer);
    if (context.typeof(value) === 'number') {
      const executed = context.getNumber(value);
      value.dispose();
      return { executed };
    }
    return { error: value };
  } finally {
    contextOut.dispose();
  }
}

function unwrap(result: { value?: QuickJSHandle; error?: QuickJSHandle }): GuestResult {
  return result.error ? { error: result.error } : { value: result.value! };
}
