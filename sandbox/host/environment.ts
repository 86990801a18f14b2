// One execution environment: a WASM instance + QuickJS runtime + context + the guest runtime
// object. The environment is the single owner of all four and the only place that disposes them,
// and the one that decides, at each interrupt call, whether its guest stops, goes on or pauses.
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core';
import type { ConsoleRecord, EnvironmentSpec, GuestCapabilities, GuestError, InvocationInput, InvocationObserver, InvocationReport, InvocationResult, TimeoutMechanism } from '../contract';
import { ConsoleSink } from './capabilities/console';
import { FetchBridge } from './capabilities/fetch';
import { waitUntil, yieldToHost } from './capabilities/timers';
import { decodeUtf8, encodeUtf8, randomBytes, urlFields } from './capabilities/web';
import { hmacSha256, sha256 } from './capabilities/sha256';
import { callGuestFunction, runPendingJobs } from './guest-calls';
import { BOOTSTRAP_SOURCE, HOST_GLOBAL, LAZY_PART_SOURCES, RUNTIME_FILENAME } from './guest-source';
import {
  GUEST_MAX_STACK_BYTES,
  GUEST_SLICE_CALLS,
  GUEST_SLICE_LOOP_CHECKS,
  GUEST_SLICE_MS,
  INIT_TIMEOUT_MS,
  INTERRUPT_CALLS_PER_SECOND,
  INTERRUPT_STEPS,
  JOBS_PER_SLICE,
  LOOP_CHECKS_PER_SECOND,
  MAX_JOBS_AFTER_RESULT,
  MAX_RESPONSE_BYTES,
  MIN_ENVIRONMENT_MEMORY_BYTES,
  MIN_INTERRUPT_CALLS,
  MIN_LOOP_CHECKS,
  OUT_OF_MEMORY_SLACK_BYTES,
  SLICES_BETWEEN_YIELDS,
} from './limits';
import { describeGuestError, GuestMemoryExhausted, newBytes, newGuestString, optionalBytes, optionalString, requiredString, utf8ByteLength } from './marshal';
import { builtinModuleSource, dirnameOf, lambdaNodePath, moduleKind, ModuleFiles, resolveHandlerModule, resolveRequest, TASK_ROOT } from './module-resolution';
import { failure, outOfMemory, responseTooLarge, runtimeExit, stackOverflow, timedOut } from './outcomes';
import { runtimeExportNames } from './runtime-modules';
import { memoryCapBytes, newWasmInstance, type WasmInstance } from './wasm-instance';

/** Why a phase ended without the guest settling it; each one retires the environment. */
/** `stack-overflow`: QuickJS's C code ran out of WASM stack (V8's RangeError from inside the module). */
type Fault = 'timeout' | 'out-of-memory' | 'runtime-exit' | 'stack-overflow';

interface Settlement {
  kind: 'ok' | 'error' | 'too-large';
  payload: string;
  waitForEmptyLoop: boolean;
  atMs: number;
}

/** State of one driven phase (init or one invocation). Owned by the environment while it runs. */
class Phase {
  settled: Settlement | undefined;
  fault: Fault | undefined;
  /** Which mechanism ended the phase, when the fault is a timeout. */
  timedOutBy: TimeoutMechanism | undefined;
  /** The clock as the interrupt handler last read it, and its calls in a row since it last moved. */
  clockSeenMs: number | undefined;
  callsWithClockStill = 0;
  /** Loop checks (instrumented QuickJS) in a row since the clock last moved. */
  loopChecksWithClockStill = 0;
  /** The guest's current slice of CPU: when it began, and the interrupt calls and loop checks since. */
  sliceStartedAtMs: number;
  callsInSlice = 0;
  loopChecksInSlice = 0;
  readonly console: ConsoleSink;
  readonly fetch: FetchBridge;

  constructor(
    readonly deadlineMs: number,
    readonly stillClockBudgetCalls: number,
    readonly stillClockBudgetLoopChecks: number,
    capabilities: GuestCapabilities,
    nowMs: number,
    observer?: InvocationObserver,
  ) {
    this.console = new ConsoleSink(undefined, observer && ((record) => observer.console(record)));
    this.fetch = new FetchBridge(capabilities);
    this.sliceStartedAtMs = nowMs;
  }

  /** Starts a new slice of guest CPU (after the host let other work run). */
  beginSlice(nowMs: number): void {
    this.sliceStartedAtMs = nowMs;
    this.callsInSlice = 0;
    this.loopChecksInSlice = 0;
  }

  timeOut(by: TimeoutMechanism): void {
    if (this.fault) return;
    this.fault = 'timeout';
    this.timedOutBy = by;
  }
}

/** Epoch milliseconds; the one clock an environment reads its deadlines and durations from. */
export type Clock = () => number;

export interface EnvironmentOptions {
  /** Where deadlines and durations are read, in epoch milliseconds (default `Date.now`; tests freeze it). */
  clock?: Clock;
  /**
   * Whether a guest that used up its slice of CPU pauses, so that other invocations of the isolate
   * run in between (default true; it needs JSPI, and without it nothing pauses).
   */
  pauseGuests?: boolean;
}

/**
 * A SnapStart snapshot: the parts of an environment's WASM memory that its function's init changed
 * (SNAPSHOT_CHUNK_BYTES each, by byte offset), taken right after init. It belongs to the one
 * function version (environment key) whose init made it: it holds that tenant's memory.
 */
export interface EnvironmentSnapshot {
  readonly capBytes: number;
  /** The memory's size when it was taken: only an environment of that size can restore it. */
  readonly memoryBytes: number;
  readonly chunks: ReadonlyMap<number, Uint8Array>;
  /** Bytes the chunks hold. */
  readonly bytes: number;
}

/** The granularity at which a snapshot keeps what init changed, in bytes. */
const SNAPSHOT_CHUNK_BYTES = 4096;

/** How assign() starts the environment's life: init as usual, init then a snapshot, or a restore. */
export type ColdStartMode = { kind: 'init' } | { kind: 'capture' } | { kind: 'restore'; snapshot: EnvironmentSnapshot };

/** What one invoke() produced, and whether the environment may be reused afterwards. */
export interface EnvironmentOutcome {
  report: InvocationReport;
  retire: boolean;
}

const NO_CAPABILITIES: GuestCapabilities = {
  fetch: () => Promise.reject(new Error('fetch is not available during init')),
  maxFetchRequests: 0,
  maxFetchBodyBytes: 0,
};

export class Environment {
  private readonly runtime: QuickJSRuntime;
  private readonly context: QuickJSContext;
  private readonly guestRuntime: QuickJSHandle;
  /** Methods of the guest runtime object, read once (each is a handle this environment frees). */
  private readonly methods = new Map<string, QuickJSHandle>();
  private phase: Phase | undefined;
  /** Word index of QuickJS's JSContext.interrupt_counter in WASM memory; null: not found, left alone. */
  private interruptCounterIndex: number | null | undefined;
  private heapWords = new Int32Array(0);
  private initialised = false;
  private initRan = false;
  /** Set once a limit or host-level error hit: the runtime may be corrupt and is never used again. */
  private broken = false;
  private disposed = false;
  /** The function this environment belongs to, set once by assign(); undefined while it is a spare. */
  private assigned: { spec: EnvironmentSpec; files: ModuleFiles; logStreamName: string; createdAtMs: number; coldStartedAtMs: number } | undefined;
  /** For a capture: a copy of the memory before init, dropped once the snapshot is taken. */
  private memoryBeforeInit: Uint8Array | undefined;
  /** For a restore: the snapshot to restore at the first invoke. */
  private pendingRestore: EnvironmentSnapshot | undefined;
  /** The snapshot taken after init (a capture's), until the pool takes it. */
  private takenSnapshot: EnvironmentSnapshot | undefined;

  /**
   * The platform's bootstrap, the same for every function: the runtime and context, the host
   * functions and the guest runtime's bootstrap source evaluated. No function's code or data yet.
   */
  private constructor(
    private readonly instance: WasmInstance,
    private readonly clock: Clock,
    private readonly pauseGuests: boolean,
  ) {
    this.runtime = instance.module.newRuntime();
    this.runtime.setMaxStackSize(GUEST_MAX_STACK_BYTES);
    // Turns QuickJS's interrupt calls on; the instance's gate sends them to decideInterrupt, not
    // to this library callback.
    this.runtime.setInterruptHandler(() => false);
    instance.decideInterrupts((canPause, source) => (source === 'loop' ? this.decideLoopCheck(canPause) : this.decideInterrupt(canPause)));
    this.runtime.setModuleLoader(
      (moduleName) => this.loadModuleSource(moduleName),
      (baseName, requested) => this.normalizeModuleName(baseName, requested),
    );
    this.context = this.runtime.newContext();
    this.installHostFunctions();
    const result = this.context.evalCode(BOOTSTRAP_SOURCE, RUNTIME_FILENAME);
    if (result.error) {
      const description = describeGuestError(this.context, result.error);
      result.error.dispose();
      this.dispose();
      throw new Error(`guest runtime failed to start: ${description?.name}: ${description?.message}`);
    }
    this.guestRuntime = result.value;
  }

  /**
   * A new environment for `spec`, not yet initialised (init runs on its first invoke): a new
   * bootstrap, then assign(spec). Its Init Duration counts both.
   */
  static async create(spec: EnvironmentSpec, options: EnvironmentOptions = {}): Promise<Environment> {
    const coldStartedAtMs = (options.clock ?? Date.now)();
    const environment = await Environment.bootstrap(spec.memoryLimitBytes, options);
    environment.assign(spec, coldStartedAtMs);
    return environment;
  }

  /**
   * A spare: a new WASM instance of `memoryLimitBytes`'s cap with the platform bootstrap done and
   * no function in it. It belongs to nobody until assign() gives it to one function, once; the
   * caller owns it (release() drops it).
   */
  static async bootstrap(memoryLimitBytes: number, options: EnvironmentOptions = {}): Promise<Environment> {
    return new Environment(await newWasmInstance(memoryLimitBytes), options.clock ?? Date.now, options.pauseGuests ?? true);
  }

  /**
   * Gives this spare to `spec`'s function, for good: its files, its log stream, its age. Its
   * cap must be `spec`'s. `coldStartedAtMs` (default now) is when the invocation began to wait for
   * an environment: the report's Init Duration runs from there to the end of init, so a bootstrap
   * done on the invocation's path counts and one done before it does not.
   */
  assign(spec: EnvironmentSpec, coldStartedAtMs = this.clock(), mode: ColdStartMode = { kind: 'init' }): void {
    if (this.assigned) throw new Error('environment already belongs to a function');
    if (memoryCapBytes(spec.memoryLimitBytes) !== this.instance.capBytes) throw new Error('environment cap differs from the function\'s');
    if (mode.kind === 'restore') {
      if (mode.snapshot.capBytes !== this.capBytes || mode.snapshot.memoryBytes !== this.memoryBytes) throw new Error('snapshot does not fit this environment');
      this.pendingRestore = mode.snapshot;
    } else if (mode.kind === 'capture') {
      this.memoryBeforeInit = new Uint8Array(this.instance.memory.buffer).slice();
    }
    const createdAtMs = this.clock();
    this.assigned = {
      spec,
      files: new ModuleFiles(spec.files, spec.layerFiles, spec.environmentVariables.NODE_PATH ?? lambdaNodePath(spec.runtime)),
      logStreamName: newLogStreamName(spec.functionVersion, createdAtMs),
      createdAtMs,
      coldStartedAtMs: Math.min(coldStartedAtMs, createdAtMs),
    };
  }

  /** Whether this environment's function ran its init here, successfully or not (a restore does not). */
  get ranInit(): boolean {
    return this.initRan;
  }

  /** Whether assign() gave this environment to a function (a spare has none). */
  get isAssigned(): boolean {
    return this.assigned !== undefined;
  }

  /** The function's spec (assigned environments only). */
  get spec(): EnvironmentSpec {
    return this.function.spec;
  }

  /** The environment's log stream (assigned environments only). */
  get logStreamName(): string {
    return this.function.logStreamName;
  }

  /** When the environment was given to its function, by its clock (epoch ms; assigned environments only). */
  get createdAtMs(): number {
    return this.function.createdAtMs;
  }

  private get files(): ModuleFiles {
    return this.function.files;
  }

  private get function(): NonNullable<Environment['assigned']> {
    if (!this.assigned) throw new Error('environment belongs to no function yet');
    return this.assigned;
  }

  /** Current size of this environment's WASM memory (a high-water mark: it never shrinks), in bytes. */
  get memoryBytes(): number {
    return this.instance.memory.buffer.byteLength;
  }

  get capBytes(): number {
    return this.instance.capBytes;
  }

  /**
   * Runs one invocation: init first on a cold environment, then the handler. Never throws for
   * anything guest code does. `retire` is true after any limit, host-level error or init failure.
   */
  async invoke(input: InvocationInput, capabilities: GuestCapabilities): Promise<EnvironmentOutcome> {
    if (this.disposed || this.broken) throw new Error('environment is retired');
    const startedAtMs = this.clock();
    const { observer } = capabilities;
    observer?.started(this.logStreamName, !this.initialised);
    let initDurationMs: number | undefined;
    let restoreDurationMs: number | undefined;
    let initConsole: ConsoleRecord[] = [];
    if (this.pendingRestore) {
      const restored = await this.runRestore(this.pendingRestore, input.requestId);
      this.pendingRestore = undefined;
      restoreDurationMs = this.clock() - this.function.coldStartedAtMs;
      if (restored) return this.finish(restored, [], this.clock() - startedAtMs, undefined, true, {}, restoreDurationMs);
    } else if (!this.initialised) {
      this.initRan = true;
      const init = await this.runInit(input.requestId, observer);
      initDurationMs = this.clock() - this.function.coldStartedAtMs;
      initConsole = init.console;
      if (init.result) return this.finish(init.result, initConsole, this.clock() - startedAtMs, initDurationMs, true, { timedOutBy: init.timedOutBy });
      this.takeSnapshot();
    }
    const invokeStartMs = this.clock();
    const phase = new Phase(invokeStartMs + this.spec.timeoutMs, ...stillClockBudgets(this.spec.timeoutMs), capabilities, invokeStartMs, observer);
    // The event goes as its own string: nested inside the input JSON it would be escaped here and
    // parsed twice in the guest.
    const { eventJson, ...rest } = input;
    const inputJson = JSON.stringify({ ...rest, deadlineMs: phase.deadlineMs });
    await this.runPhase(phase, () => this.callGuest(phase, 'invoke', (c) => [newGuestString(c, inputJson), newGuestString(c, eventJson)]));
    const result = this.resultOf(phase, input.requestId, this.spec.timeoutMs);
    const durationMs = (phase.settled?.atMs ?? this.clock()) - invokeStartMs;
    const retire = await this.endPhase(phase);
    const extra = { handlerStartedAtMs: invokeStartMs, fetches: phase.fetch.fetchRecords(), timedOutBy: phase.timedOutBy };
    return this.finish(result, [...initConsole, ...phase.console.finish()], durationMs, initDurationMs, retire, extra, restoreDurationMs);
  }

  /**
   * The snapshot this environment took right after its init (assigned with `capture`, and init
   * succeeded with the memory still at its size then), once: the caller owns it afterwards.
   */
  takeSnapshotMade(): EnvironmentSnapshot | undefined {
    const snapshot = this.takenSnapshot;
    this.takenSnapshot = undefined;
    return snapshot;
  }

  /** Keeps what init changed in the memory, chunk by chunk, against the copy made before it. */
  private takeSnapshot(): void {
    const before = this.memoryBeforeInit;
    this.memoryBeforeInit = undefined;
    if (!before || before.byteLength !== this.memoryBytes) return; // init grew the memory: no snapshot
    const now = new Uint8Array(this.instance.memory.buffer);
    const beforeWords = new Int32Array(before.buffer);
    const nowWords = new Int32Array(now.buffer);
    const chunkWords = SNAPSHOT_CHUNK_BYTES / 4;
    const chunks = new Map<number, Uint8Array>();
    for (let word = 0; word < nowWords.length; word += chunkWords) {
      for (let i = word; i < word + chunkWords; i++) {
        if (nowWords[i] !== beforeWords[i]) {
          const offset = word * 4;
          chunks.set(offset, now.slice(offset, offset + SNAPSHOT_CHUNK_BYTES));
          break;
        }
      }
    }
    this.takenSnapshot = { capBytes: this.capBytes, memoryBytes: this.memoryBytes, chunks, bytes: chunks.size * SNAPSHOT_CHUNK_BYTES };
  }

  /**
   * Restores `snapshot` into this spare (bootstrapped as the snapshot's environment was, so every
   * pointer the host holds means the same), then lets the guest make itself this environment's:
   * its log stream, its cold-start variables, Math.random seeded anew. Answers a failure to report
   * (the environment is then retired), or undefined when it is ready.
   */
  private async runRestore(snapshot: EnvironmentSnapshot, requestId: string): Promise<InvocationResult | undefined> {
    const memory = new Uint8Array(this.instance.memory.buffer);
    for (const [offset, chunk] of snapshot.chunks) memory.set(chunk, offset);
    this.initialised = true;
    const nowMs = this.clock();
    const phase = new Phase(nowMs + INIT_TIMEOUT_MS, ...stillClockBudgets(INIT_TIMEOUT_MS), NO_CAPABILITIES, nowMs);
    const patchJson = JSON.stringify({
      logStreamName: this.logStreamName,
      environmentVariables: { ...this.spec.environmentVariables, AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName },
    });
    this.phase = phase;
    (await this.callGuest(phase, 'restored', (c) => [newGuestString(c, patchJson), newBytes(c, randomBytes(16))]))?.dispose();
    await this.endPhase(phase);
    return phase.fault ? this.resultOf(phase, requestId, this.spec.timeoutMs) : undefined;
  }

  /**
   * Retires the environment without freeing anything inside its WASM instance. The instance, its
   * memory and every QuickJS object in it belong to this environment alone and go together once it
   * is unreferenced, so freeing first (JS_FreeRuntime garbage-collects the whole guest heap, about
   * 1-2 ms) is wasted work. The pool's way to drop an environment; `dispose()` is the leak check.
   */
  release(): void {
    this.disposed = true;
  }

  /**
   * Frees the runtime and context if they are sound; after a fault just drops them (dispose may
   * abort). Answers whether QuickJS freed everything cleanly (tests use it as a leak check).
   */
  dispose(): boolean {
    if (this.disposed) return false;
    this.disposed = true;
    // After a fault, or with jobs still queued, JS_FreeRuntime may abort: just drop the instance.
    if (this.broken || this.hasPendingJob()) return false;
    try {
      for (const method of this.methods.values()) method.dispose();
      (this.guestRuntime as QuickJSHandle | undefined)?.dispose();
      this.context.dispose();
      this.runtime.dispose();
      return true;
    } catch {
      // The instance is unreachable once this object is dropped; nothing more to free.
      return false;
    }
  }

  private async runInit(requestId: string, observer?: InvocationObserver): Promise<{ result?: InvocationResult; console: ConsoleRecord[]; timedOutBy?: TimeoutMechanism }> {
    const nowMs = this.clock();
    const phase = new Phase(nowMs + INIT_TIMEOUT_MS, ...stillClockBudgets(INIT_TIMEOUT_MS), NO_CAPABILITIES, nowMs, observer);
    const configJson = JSON.stringify({
      handler: this.spec.handler,
      runtime: this.spec.runtime,
      // The stream is the environment's own, so only the environment can name it.
      environmentVariables: { ...this.spec.environmentVariables, AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName },
      functionName: this.spec.functionName,
      functionVersion: this.spec.functionVersion,
      memorySizeMb: this.spec.memorySizeMb,
      logGroupName: this.spec.logGroupName,
      logStreamName: this.logStreamName,
      logFormat: this.spec.logFormat ?? 'Text',
      applicationLogLevel: this.spec.applicationLogLevel,
    });
    await this.runPhase(phase, () => this.callGuest(phase, 'init', (c) => [c.newString(configJson)]));
    await this.endPhase(phase);
    const console = phase.console.finish();
    if (phase.settled?.kind === 'ok' && !phase.fault) {
      this.initialised = true;
      return { console };
    }
    return { result: this.resultOf(phase, requestId, this.spec.timeoutMs), console, timedOutBy: phase.timedOutBy };
  }

  /**
   * Drives a phase to its end: starts it, then runs pending jobs in slices, due timers and fetch
   * completions, and waits for real in between, until the guest settles (and, for callback
   * handlers that ask for it, the event loop is empty), a fault occurs, or the deadline passes.
   */
  private async runPhase(phase: Phase, start: () => Promise<unknown>): Promise<void> {
    this.phase = phase;
    await start();
    let slices = 0;
    while (!phase.fault) {
      if (phase.settled && !phase.settled.waitForEmptyLoop) return;
      if (this.hasPendingJob()) {
        await this.runJobs(phase, JOBS_PER_SLICE);
        if (++slices % SLICES_BETWEEN_YIELDS === 0) {
          await yieldToHost();
          phase.beginSlice(this.clock());
        }
        if (this.clock() >= phase.deadlineMs) phase.timeOut('deadline');
        continue;
      }
      const nowMs = this.clock();
      if (nowMs >= phase.deadlineMs) {
        phase.timeOut('deadline');
        return;
      }
      const completions = phase.fetch.takeCompleted();
      if (completions.length > 0) {
        for (const completion of completions) {
          await this.callGuest(phase, 'settleFetch', (c) => [c.newNumber(completion.id), newGuestString(c, completion.metaJson), completion.body ? newBytes(c, completion.body) : c.undefined]);
        }
        continue;
      }
      const nextTimerMs = await this.callGuestForNumber(phase, 'nextTimerAt');
      if (nextTimerMs === undefined) continue; // a fault was recorded
      if (nextTimerMs >= 0 && nextTimerMs <= nowMs) {
        await this.callGuest(phase, 'runTimers', (c) => [c.newNumber(nowMs)]);
        continue;
      }
      if (nextTimerMs < 0 && phase.fetch.inFlight === 0) {
        if (phase.settled) return; // the event loop is empty
        await this.callGuest(phase, 'loopEmpty');
        if (phase.settled || this.hasPendingJob()) continue;
        // Nothing left can settle it (a promise that never resolves): Lambda waits for the timeout.
      }
      await waitUntil(nextTimerMs < 0 ? phase.deadlineMs : Math.min(nextTimerMs, phase.deadlineMs), phase.fetch.nextCompletion());
      phase.beginSlice(this.clock());
    }
  }

  /**
   * Ends a phase: cancels its timers and fetches, gives leftover microtasks a bounded chance to
   * finish, and answers whether the environment must be retired (a fault, or work still pending
   * that would otherwise run inside the next invocation).
   */
  private async endPhase(phase: Phase): Promise<boolean> {
    phase.fetch.close();
    if (!phase.fault) await this.callGuest(phase, 'endInvocation');
    if (!phase.fault && this.hasPendingJob()) await this.runJobs(phase, MAX_JOBS_AFTER_RESULT);
    const pendingWork = !phase.fault && this.hasPendingJob();
    this.phase = undefined;
    if (phase.fault) this.broken = true;
    return phase.fault !== undefined || pendingWork;
  }

  private resultOf(phase: Phase, requestId: string, timeoutMs: number): InvocationResult {
    if (phase.fault === 'timeout') return timedOut(requestId, timeoutMs);
    if (phase.fault === 'out-of-memory') return outOfMemory(requestId);
    if (phase.fault === 'runtime-exit') return runtimeExit(requestId);
    if (phase.fault === 'stack-overflow') return stackOverflow();
    const settled = phase.settled;
    if (!settled) return runtimeExit(requestId);
    if (settled.kind === 'too-large') return responseTooLarge();
    if (settled.kind === 'ok') {
      // The guest's check is by characters; the limit is in UTF-8 bytes.
      if (settled.payload.length * 3 > MAX_RESPONSE_BYTES && utf8ByteLength(settled.payload) > MAX_RESPONSE_BYTES) return responseTooLarge();
      return { kind: 'success', payloadJson: settled.payload };
    }
    const { reason, ...error } = JSON.parse(settled.payload) as GuestError & { reason: Parameters<typeof failure>[0] };
    if (isOutOfMemoryError(error) || (isBareValueOfFullMemory(error) && this.nearMemoryCap())) {
      phase.fault = 'out-of-memory';
      this.broken = true;
      return outOfMemory(requestId);
    }
    return failure(reason, error);
  }

  private finish(
    result: InvocationResult, console: ConsoleRecord[], durationMs: number, initDurationMs: number | undefined, retire: boolean,
    extra: Pick<InvocationReport, 'handlerStartedAtMs' | 'fetches' | 'timedOutBy'>, restoreDurationMs?: number,
  ): EnvironmentOutcome {
    const { timedOutBy, ...traced } = extra;
    const report: InvocationReport = { result, console, durationMs, maxMemoryUsedBytes: this.memoryBytes, logStreamName: this.logStreamName, ...traced };
    if (initDurationMs !== undefined) report.initDurationMs = initDurationMs;
    if (restoreDurationMs !== undefined) report.restoreDurationMs = restoreDurationMs;
    if (timedOutBy !== undefined) report.timedOutBy = timedOutBy;
    return { report, retire: retire || this.broken || result.kind === 'failure' && result.reason === 'out-of-memory' };
  }

  // --- calls into the guest -------------------------------------------------------------------

  /**
   * Calls a method of the guest runtime object. Every handle made here is disposed here. Any
   * error escaping the guest runtime (it catches user errors itself) is a fault: the interrupt
   * (timeout), out of memory, or anything else (runtime exit). Host-level exceptions too.
   */
  private async callGuest(phase: Phase, method: string, makeArgs?: (context: QuickJSContext) => QuickJSHandle[]): Promise<QuickJSHandle | undefined> {
    if (phase.fault) return undefined;
    const handles: QuickJSHandle[] = [];
    try {
      let fn = this.methods.get(method);
      if (fn === undefined) {
        fn = this.context.getProp(this.guestRuntime, method);
        this.methods.set(method, fn);
      }
      const args = makeArgs ? makeArgs(this.context) : [];
      handles.push(...args);
      const result = await callGuestFunction(this.context, this.instance.entries, fn, this.guestRuntime, args);
      if (result.error) {
        this.recordGuestFault(phase, result.error);
        result.error.dispose();
        return undefined;
      }
      return result.value;
    } catch (error) {
      this.recordHostFault(phase, error);
      return undefined;
    } finally {
      for (const handle of handles.reverse()) {
        try {
          if (handle.alive && handle !== this.context.undefined) handle.dispose();
        } catch {
          // Disposing after a host-level fault may fail; the instance is dropped anyway.
        }
      }
    }
  }

  private async callGuestForNumber(phase: Phase, method: string): Promise<number | undefined> {
    const handle = await this.callGuest(phase, method);
    if (!handle) return undefined;
    try {
      return this.context.getNumber(handle);
    } finally {
      handle.dispose();
    }
  }

  private async runJobs(phase: Phase, maxJobs: number): Promise<void> {
    try {
      const result = await runPendingJobs(this.runtime, this.context, this.instance.entries, maxJobs);
      if (result.error) {
        this.recordGuestFault(phase, result.error);
        result.error.dispose();
      }
    } catch (error) {
      this.recordHostFault(phase, error);
    }
  }

  private hasPendingJob(): boolean {
    if (this.broken) return false;
    try {
      return this.runtime.hasPendingJob();
    } catch {
      return false;
    }
  }

  private recordGuestFault(phase: Phase, errorHandle: QuickJSHandle): void {
    if (phase.fault) return;
    const description = describeGuestError(this.context, errorHandle);
    if (description === undefined || isOutOfMemoryError({ errorType: description.name, errorMessage: description.message }) || this.nearMemoryCap()) {
      phase.fault = 'out-of-memory';
    } else {
      phase.fault = 'runtime-exit';
    }
    this.broken = true;
  }

  private recordHostFault(phase: Phase, error: unknown): void {
    if (!phase.fault) {
      const message = error instanceof Error ? error.message : String(error);
      // Deep recursion inside C code (String() of a deeply nested array, endless async recursion)
      // exhausts the WASM stack before QuickJS's own stack check sees it.
      if (error instanceof RangeError && /call stack/i.test(message)) phase.fault = 'stack-overflow';
      else phase.fault = /out of memory|OOM|Cannot enlarge memory|could not grow/i.test(message) || this.nearMemoryCap() ? 'out-of-memory' : 'runtime-exit';
    }
    this.broken = true;
  }

  private nearMemoryCap(): boolean {
    return this.instance.capBytes > MIN_ENVIRONMENT_MEMORY_BYTES && this.memoryBytes >= this.instance.capBytes - OUT_OF_MEMORY_SLACK_BYTES;
  }

  /**
   * Called by QuickJS about every 10,000 interpreter steps: true stops the guest (uncatchably),
   * false lets it go on. When its slice of CPU is used up and it can pause (it was entered through
   * a pausable entry and no host call is on its stack), it answers a promise instead: the guest
   * is suspended while the host's event loop runs other invocations once, then decides again.
   */
  private decideInterrupt(canPause: boolean): boolean | Promise<boolean> {
    // In calls of QuickJS's own 10,000 steps, the unit every rate in limits.ts is measured in.
    const calls = this.shortenNextInterrupt();
    if (this.shouldInterrupt(calls)) return true;
    const phase = this.phase;
    if (!phase || !canPause || !this.pauseGuests) return false;
    const nowMs = this.clock();
    if ((phase.callsInSlice += calls) < GUEST_SLICE_CALLS && nowMs - phase.sliceStartedAtMs < GUEST_SLICE_MS) return false;
    return this.pauseSlice(phase);
  }

  /**
   * Called by the instrumented QuickJS module every LOOP_CHECK_ITERATIONS iterations of any of its
   * loops, inside built-ins too (a BigInt's decimal digits, indexOf over a huge array-like), which
   * make no interrupt calls for as long as they run. The same deadline and step budget decide; a
   * stop traps inside the built-in (the gate's `unreachable`), which retires the environment,
   * because the C code it interrupted left QuickJS's state unknown. It pauses like decideInterrupt.
   */
  private decideLoopCheck(canPause: boolean): boolean | Promise<boolean> {
    const phase = this.phase;
    if (!phase) return false;
    if (this.shouldInterrupt(0, 1)) return true;
    if (!canPause || !this.pauseGuests) return false;
    if (++phase.loopChecksInSlice < GUEST_SLICE_LOOP_CHECKS && this.clock() - phase.sliceStartedAtMs < GUEST_SLICE_MS) return false;
    return this.pauseSlice(phase);
  }

  /** Suspends the guest while the host's event loop runs other work once, then decides again. */
  private pauseSlice(phase: Phase): Promise<boolean> {
    return yieldToHost().then(() => {
      phase.beginSlice(this.clock());
      return this.shouldInterrupt(0);
    });
  }

  /**
   * Makes QuickJS's next interrupt call come after INTERRUPT_STEPS interpreter steps instead of
   * its built-in 10,000, so that a loop whose every step is an expensive built-in call still
   * reaches the handler often. QuickJS resets `JSContext.interrupt_counter` to 10,000 just before
   * it calls the handler; the counter's place is found at the first call as the one word of the
   * context that holds 10,000, and checked at every call. Answers this call's weight in calls of
   * 10,000 steps (1 when the counter was not found or did not hold 10,000: then nothing is written).
   */
  private shortenNextInterrupt(): number {
    if (this.interruptCounterIndex === null) return 1;
    if (this.heapWords.buffer !== this.instance.memory.buffer) this.heapWords = new Int32Array(this.instance.memory.buffer);
    const words = this.heapWords;
    if (this.interruptCounterIndex === undefined) {
      const base = this.context['ctx'].value >> 2;
      const found: number[] = [];
      for (let i = base; i < base + CONTEXT_SCAN_WORDS; i++) if (words[i] === QUICKJS_INTERRUPT_STEPS) found.push(i);
      this.interruptCounterIndex = found.length === 1 ? found[0] : null;
      if (this.interruptCounterIndex === null) return 1;
    }
    if (words[this.interruptCounterIndex] !== QUICKJS_INTERRUPT_STEPS) {
      this.interruptCounterIndex = null;
      return 1;
    }
    words[this.interruptCounterIndex] = INTERRUPT_STEPS;
    return INTERRUPT_STEPS / QUICKJS_INTERRUPT_STEPS;
  }

  /**
   * Whether the guest must stop now. While the clock moves, the deadline alone decides. Only
   * calls in a row that see the clock stand still count against the step budget, so it can fire
   * only where the clock is frozen during synchronous work (production Workers), never before
   * the deadline of a clock that runs, however fast the machine (limits.ts
   * INTERRUPT_CALLS_PER_SECOND).
   */
  private shouldInterrupt(calls: number, loopChecks = 0): boolean {
    const phase = this.phase;
    if (!phase) return false;
    if (phase.fault) return true;
    const nowMs = this.clock();
    if (nowMs >= phase.deadlineMs) {
      phase.timeOut('deadline');
    } else if (nowMs !== phase.clockSeenMs) {
      phase.clockSeenMs = nowMs;
      phase.callsWithClockStill = 0;
      phase.loopChecksWithClockStill = 0;
    } else {
      // Two budgets, each in its own unit: interpreter steps, and loop iterations of built-ins.
      phase.callsWithClockStill += calls;
      phase.loopChecksWithClockStill += loopChecks;
      if (phase.callsWithClockStill > phase.stillClockBudgetCalls || phase.loopChecksWithClockStill > phase.stillClockBudgetLoopChecks) phase.timeOut('step-budget');
    }
    return phase.fault !== undefined;
  }

  // --- host functions and module loading ------------------------------------------------------

  /** Installs the host functions under HOST_GLOBAL; the guest bootstrap captures and deletes them. */
  private installHostFunctions(): void {
    const context = this.context;
    const functions: Record<string, (...args: QuickJSHandle[]) => QuickJSHandle | { error: QuickJSHandle } | void> = {
      log: (level, message) => {
        this.phase?.console.record(requiredString(context, level), requiredString(context, message));
      },
      settle: (kind, payload, waitForEmptyLoop) => {
        const phase = this.phase;
        if (!phase || phase.settled) return;
        phase.settled = {
          kind: requiredString(context, kind) as Settlement['kind'],
          payload: requiredString(context, payload),
          waitForEmptyLoop: context.dump(waitForEmptyLoop) === true,
          atMs: this.clock(),
        };
      },
      resolve: (fromPath, request) => {
        const found = resolveRequest(this.files, dirnameOf(requiredString(context, fromPath)), requiredString(context, request));
        return context.newString(found ? JSON.stringify(found) : '');
      },
      resolveHandlerModule: (modulePath) => {
        const found = resolveHandlerModule(this.files, requiredString(context, modulePath));
        return context.newString(found ? JSON.stringify(found) : '');
      },
      read: (path) => newGuestString(context, this.files.read(requiredString(context, path)) ?? ''),
      compileCommonJs: (pathHandle) => {
        const path = requiredString(context, pathHandle);
        const source = stripHashbang(this.files.read(path) ?? '');
        // The wrapper shares the first line with the source so that line numbers stay true.
        const result = context.evalCode(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, path);
        return result.error ? { error: result.error } : result.value;
      },
      fetch: (meta, body) => {
        const phase = this.phase;
        const answer = phase ? phase.fetch.start(requiredString(context, meta), optionalBytes(context, body)) : JSON.stringify({ error: 'fetch failed: no invocation' });
        return context.newString(answer);
      },
      randomBytes: (count) => newBytes(context, randomBytes(context.getNumber(count))),
      sha256: (data) => newBytes(context, sha256(optionalBytes(context, data) ?? new Uint8Array(0))),
      hmacSha256: (key, data) => newBytes(context, hmacSha256(optionalBytes(context, key) ?? new Uint8Array(0), optionalBytes(context, data) ?? new Uint8Array(0))),
      url: (input, base, field, value) =>
        context.newString(urlFields(requiredString(context, input), optionalString(context, base), optionalString(context, field), optionalString(context, value))),
      utf8Encode: (text) => newBytes(context, encodeUtf8(requiredString(context, text))),
      utf8Decode: (buffer, fatal) => {
        const text = decodeUtf8(optionalBytes(context, buffer) ?? new Uint8Array(0), context.dump(fatal) === true);
        return text === undefined ? context.null : newGuestString(context, text);
      },
      memoryBytes: () => context.newNumber(this.memoryBytes),
      install: (nameHandle) => {
        const source = LAZY_PART_SOURCES.get(requiredString(context, nameHandle));
        if (source === undefined) return { error: context.newError('unknown runtime part') };
        const result = context.evalCode(source, RUNTIME_FILENAME);
        return result.error ? { error: result.error } : result.value;
      },
    };
    const hostObject = context.newObject();
    try {
      for (const [name, implementation] of Object.entries(functions)) {
        const fn = context.newFunction(name, ((...args: QuickJSHandle[]) => {
          try {
            return implementation(...args);
          } catch (error) {
            if (!(error instanceof GuestMemoryExhausted) || !this.phase) throw error;
            // Past the cap, as if the guest had allocated it: the phase ends out of memory at the
            // next interrupt call or return to the host, whatever the guest catches meanwhile.
            this.phase.fault ??= 'out-of-memory';
            return undefined;
          }
        }) as never);
        context.setProp(hostObject, name, fn);
        fn.dispose();
      }
      context.setProp(context.global, HOST_GLOBAL, hostObject);
    } finally {
      hostObject.dispose();
    }
  }

  private loadModuleSource(moduleName: string): string | { error: Error } {
    const builtin = builtinModuleSource(moduleName);
    if (builtin !== undefined) return builtin;
    const source = this.files.read(moduleName);
    if (source === undefined) return { error: new Error(`Cannot find module '${moduleName}'`) };
    if (moduleKind(this.files, moduleName) === 'esm') return stripHashbang(source);
    // An ESM importing CommonJS or JSON gets its module.exports as the default export, as in Node;
    // a preinstalled package (its names known when it was built) its named exports too.
    const names = runtimeExportNames(moduleName);
    const exports = `const cjs = globalThis.__faasboxRequire(${JSON.stringify(moduleName)});\nexport default cjs;`;
    return names === undefined || names.length === 0 ? exports : `${exports}\nexport const { ${names.join(', ')} } = cjs;`;
  }

  private normalizeModuleName(baseName: string, requested: string): string | { error: Error } {
    // The runtime's own import of the handler comes from outside the tree: as if from /var/task.
    const fromDir = baseName.startsWith('/') ? dirnameOf(baseName) : TASK_ROOT;
    const found = resolveRequest(this.files, fromDir, requested);
    if (!found) return { error: new Error(`Cannot find module '${requested}' imported from ${baseName}`) };
    return found.path;
  }
}

/** QuickJS's own JS_INTERRUPT_COUNTER_INIT: interpreter steps between interrupt calls. */
const QUICKJS_INTERRUPT_STEPS = 10_000;
/** Words of the JSContext searched for its interrupt counter (the struct is about 250 bytes). */
const CONTEXT_SCAN_WORDS = 128;

/**
 * Interrupt calls, and loop checks, in a row with the clock standing still after which a phase
 * of `timeoutMs` is stopped.
 */
function stillClockBudgets(timeoutMs: number): [calls: number, loopChecks: number] {
  const seconds = timeoutMs / 1000;
  return [Math.max(MIN_INTERRUPT_CALLS, Math.ceil(seconds * INTERRUPT_CALLS_PER_SECOND)), Math.max(MIN_LOOP_CHECKS, Math.ceil(seconds * LOOP_CHECKS_PER_SECOND))];
}

function isOutOfMemoryError(error: { errorType: string; errorMessage: string }): boolean {
  return error.errorType === 'InternalError' && /out of memory/i.test(error.errorMessage);
}

/**
 * What the guest reports when memory was too full to build an error: QuickJS then throws `null`
 * instead of its InternalError (Map or Set growth, WeakRefs, deeply nested arrays), or the
 * reduction to Lambda's shape fails ('handled'). With the memory at its cap this is the cap, not
 * a function that threw `null` (one that does so with memory within the slack of the cap is
 * reported out of memory too, as it nearly is).
 */
function isBareValueOfFullMemory(error: { errorType: string; errorMessage: string }): boolean {
  return (error.errorType === 'object' && error.errorMessage === 'null') || error.errorType === 'handled';
}

function stripHashbang(source: string): string {
  return source.startsWith('#!') ? `//${source.slice(2)}` : source;
}

/** Lambda's `YYYY/MM/DD/[version]<32 hex>`, dated (UTC) when the environment was created. */
export function newLogStreamName(functionVersion: string, createdAtMs: number): string {
  const date = new Date(createdAtMs).toISOString().slice(0, 10).replace(/-/g, '/');
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${date}/[${functionVersion}]${hex}`;
}
