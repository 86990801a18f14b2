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

/**
 * What the host claims in the guest's memory beyond a value it builds there (malloc's headers and
 * QuickJS's object), in bytes: small against any value worth checking.
 */
export const HOST_ALLOCATION_SLACK_BYTES = 64 * KIB;

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
 * Step budget for a clock that stands still. QuickJS calls the interrupt handler about every
 * 10,000 interpreter steps. The handler counts only the calls in a row that find the clock where
 * the previous call left it, and starts again from zero whenever the clock moves; past
 * `max(MIN_INTERRUPT_CALLS, timeoutMs / 1000 * INTERRUPT_CALLS_PER_SECOND)` such calls it stops
 * the guest (`timedOutBy: 'step-budget'`).
 *
 * Where the clock runs (locally), it moves every millisecond, a few dozen calls at most, so the
 * count never nears the budget and the clock deadline alone decides, on a machine of any speed.
 * Where the clock is frozen during synchronous execution (production Workers: it advances only
 * across I/O), the count is what stops a synchronous loop.
 *
 * The rate: an empty `for(;;){}`, the fastest workload, made 6,675 calls/s on one machine of
 * this kind and 21,136 on another (PLATFORM-NOTES); calls and property writes about 1,400-1,800,
 * array work about 1,100, string concatenation 215-270 (built-ins work between calls)
 * (bench/interrupt-rate.bench.test.ts measures them). So where the clock is frozen, a 1 s-timeout
 * empty loop is stopped after about 1-3 s of local-speed work, but string-heavy code could run
 * ~90x its timeout: counting calls bounds work, not time. Not bounded at all: one long built-in
 * call (JSON.parse of a huge string, String.prototype.repeat, a catastrophic regex) makes no
 * interrupt calls; the memory cap bounds its size, not its time.
 */
export const INTERRUPT_CALLS_PER_SECOND = 20_000;

/**
 * Floor of the step budget, in interrupt calls with the clock standing still, so that very short
 * timeouts still let some code run where the clock is frozen. Also the margin where it runs: a
 * clock that ticks every millisecond would have to see 2,000 calls (20 million interpreter steps)
 * within one tick for the budget to fire.
 */
export const MIN_INTERRUPT_CALLS = 2_000;

/**
 * A guest's slice of CPU, in milliseconds: once a synchronous stretch of guest code (a loop, a
 * chain of microtasks) has run this long, its next interrupt call pauses it (JSPI) and the
 * isolate's event loop runs everything else that is ready once, other tenants' invocations
 * included, before the guest goes on. Each pause costs about 0.6 ms (PLATFORM-NOTES), so a guest
 * that computes for long runs ~10% slower; a neighbour waits at most about one slice per busy
 * guest, plus the longest built-in call between two interrupt calls.
 */
export const GUEST_SLICE_MS = 5;

/**
 * The same slice counted in interrupt calls, for a clock that stands still during synchronous
 * work (production Workers): at the fastest rate measured (about 21,000 calls/s, an empty loop)
 * 100 calls are about 5 ms. Workloads with slower rates run longer slices there.
 */
export const GUEST_SLICE_CALLS = 100;

/**
 * Interpreter steps between two interrupt calls, instead of QuickJS's built-in 10,000 (the
 * environment shortens QuickJS's counter at each call). With 10,000, a loop whose every step is a
 * built-in call of ~50-100 µs reached the handler only every 0.5-1 s, so it could neither pause
 * nor time out in between (bench/fairness). Every rate above stays in calls of 10,000 steps: a
 * call after 1,000 steps counts as 0.1.
 */
export const INTERRUPT_STEPS = 1_000;

/**
 * Loop iterations between two loop checks of the instrumented QuickJS module
 * (scripts/quickjs-instrument.mjs): every loop of its C code, the interpreter's dispatch loop and
 * every built-in's, counts down one shared counter, and only at zero calls the host. At 2^16 an
 * iteration pays one global load, test and store; a check comes every ~0.1-1 ms of any work.
 */
export const LOOP_CHECK_ITERATIONS = 65_536;

/**
 * The step budget of LOOP checks for a clock that stands still (see INTERRUPT_CALLS_PER_SECOND):
 * loop checks in a row with the clock unmoved past `max(MIN_LOOP_CHECKS, timeoutMs / 1000 *
 * LOOP_CHECKS_PER_SECOND)` stop the guest. It bounds the built-ins that make no interrupt calls.
 * Rates measured on a loaded machine of this kind (bench/interrupt-rate.bench.test.ts, where the
 * empty loop made 1,145 interrupt calls/s, 6-18x below the figures above): 1,429 checks/s for
 * `(3n ** 650000n).toString()`, 1,122 for indexOf over a huge array-like, 77-583 for interpreted
 * workloads. 20,000 allows for machines ~15x faster; where the clock runs it never fires (a
 * clock tick would have to see MIN_LOOP_CHECKS checks, 131 million loop iterations).
 */
export const LOOP_CHECKS_PER_SECOND = 20_000;

/** Floor of the loop-check budget, as MIN_INTERRUPT_CALLS is of the interrupt calls'. */
export const MIN_LOOP_CHECKS = 2_000;

/** GUEST_SLICE_CALLS in loop checks: about GUEST_SLICE_MS at the fastest rate measured. */
export const GUEST_SLICE_LOOP_CHECKS = 100;
