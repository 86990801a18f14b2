// Every limit the sandbox enforces, as named constants with units. Owns no state.

const KIB = 1024;
const MIB = 1024 * KIB;

/** Size of one WebAssembly page, in bytes. */
export const WASM_PAGE_BYTES = 64 * KIB;

/** The QuickJS module declares 256 initial pages: no environment can be smaller, in bytes. */
export const MIN_ENVIRONMENT_MEMORY_BYTES = 256 * WASM_PAGE_BYTES;

/**
 * Guest stack, in bytes. In Node at 512 KB or more the host's own stack overflows first (a
 * RangeError in the host). In workerd 384 KB still overflowed the host stack once the isolate's
 * WASM code had tiered up (after the memory-bomb tests); 256 KB gives the guest a catchable
 * InternalError "stack overflow" every time.
 */
export const GUEST_MAX_STACK_BYTES = 256 * KIB;

/**
 * WASM memory this close to the maximum (in bytes) means an allocation failure was the memory
 * cap, even when QuickJS could not build its own "out of memory" error.
 */
export const OUT_OF_MEMORY_SLACK_BYTES = 2 * MIB;

/** Default retirement threshold: an environment that grew past this share of its cap is dropped. */
export const DEFAULT_RETAINED_SHARE_OF_CAP = 0.75;

/** Lambda's synchronous response limit, in bytes (the figure in Lambda's own error message). */
export const MAX_RESPONSE_BYTES = 6_291_556;

/** Console output kept per invocation, in bytes of message text; past it one marker record. */
export const MAX_LOG_BYTES_PER_INVOCATION = 256 * KIB;

/** One console call's message is cut to this many characters, in the guest, before the host sees it. */
export const MAX_LOG_LINE_CHARS = 64 * KIB;

/** Lambda's init phase limit, in milliseconds (init is not counted in the function timeout). */
export const INIT_TIMEOUT_MS = 10_000;

/**
 * Pending jobs (promise reactions) run per slice before the host checks the deadline again.
 * Small enough that a slice of cheap jobs takes well under a millisecond.
 */
export const JOBS_PER_SLICE = 2_000;

/** Slices run back to back before the host yields to its own event loop once (lets I/O and clocks move). */
export const SLICES_BETWEEN_YIELDS = 16;

/** After the result, leftover jobs get this many more to finish before the environment is retired. */
export const MAX_JOBS_AFTER_RESULT = 10_000;

/**
 * Clock-independent CPU budget. QuickJS calls the interrupt handler about every 10,000
 * interpreter steps; in production Workers Date.now() does not advance during synchronous
 * execution, so the handler also stops the guest after
 * `timeoutMs / 1000 * INTERRUPT_CALLS_PER_SECOND` calls (counted per invocation), whatever the clock says.
 *
 * Calibration (workerd via vitest on this 2-core machine, test/workerd/sandbox/calibration.test.ts,
 * 300 ms per workload): empty `for(;;){}` 6,675 calls/s (the fastest); calls and property writes
 * 1,413; array push/sort 1,123; string concatenation 215 (built-ins work between calls). 20,000
 * is 3x the fastest rate seen, so locally the clock deadline always fires first and the count only
 * matters where the clock stands still (production). There the budget stops a 1 s-timeout empty
 * loop after about 3 s of local-speed work, but string-heavy code could run ~90x its timeout:
 * counting calls bounds work, not time. Not bounded at all: one long built-in call (JSON.parse
 * of a huge string, String.prototype.repeat, a catastrophic regex) makes no interrupt calls; the
 * memory cap bounds its size, not its time.
 */
export const INTERRUPT_CALLS_PER_SECOND = 20_000;

/** Floor of the interrupt budget, so that very short timeouts still let init code run. */
export const MIN_INTERRUPT_CALLS = 2_000;
