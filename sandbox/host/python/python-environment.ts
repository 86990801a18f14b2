// One Python execution environment: a MicroPython WASM instance with the function's files in its
// MEMFS (/var/task, layers at /opt) and faasbox's Python runtime (sandbox/guest/python) loaded.
// The environment is the single owner of the instance and the one that decides, at each loop
// check, whether its guest goes on, is interrupted (KeyboardInterrupt) or is stopped (a trap).
import type { ConsoleRecord, EnvironmentSpec, GuestCapabilities, InvocationInput, InvocationObserver, InvocationReport, InvocationResult, PythonErrorReply, TimeoutMechanism } from '../../contract';
import runtimeSource from '../../guest/python/runtime.guest.py';
import { ConsoleSink } from '../capabilities/console';
import { newLogStreamName, type Clock, type EnvironmentOptions, type EnvironmentOutcome } from '../environment';
import { INIT_TIMEOUT_MS, LOOP_CHECKS_PER_SECOND, MAX_RESPONSE_BYTES, MIN_LOOP_CHECKS } from '../limits';
import { utf8ByteLength } from '../marshal';
import { failure, outOfMemory, responseTooLarge, runtimeExit, timedOut } from '../outcomes';
import { newMicropythonInstance, type LoopDecision, type MicropythonInstance } from './micropython-instance';

/** The runtime's own directory in MEMFS (runtime.guest.py `_DIR`): config and results pass through it. */
const RUNTIME_DIR = '/faasbox';
/**
 * Loop checks after a KeyboardInterrupt was raised for a timeout before the guest is stopped by a
 * trap: a guest that catches the interrupt (a bare `except:` in a loop) runs on that long at most.
 */
const CHECKS_AFTER_INTERRUPT = 8;

type Fault = 'timeout' | 'out-of-memory' | 'runtime-exit' | 'recursion';

/** What the Python runtime wrote to its result file. */
interface Settlement {
  kind: 'ok' | 'error';
  reason: string;
  text: string;
  atMs: number;
}

/** State of one exec (init or one invocation). Owned by the environment while it runs. */
class Phase {
  fault: Fault | undefined;
  timedOutBy: TimeoutMechanism | undefined;
  clockSeenMs: number | undefined;
  loopChecksWithClockStill = 0;
  checksSinceInterrupt = 0;
  settled: Settlement | undefined;
  readonly console: ConsoleSink;
  /** Partial lines of stdout and stderr, by fd. */
  readonly pending = new Map<number, string>();

  constructor(readonly deadlineMs: number, readonly stillClockBudgetLoopChecks: number, observer?: InvocationObserver) {
    this.console = new ConsoleSink(undefined, observer && ((record) => observer.console(record)));
  }

  timeOut(by: TimeoutMechanism): void {
    if (this.fault) return;
    this.fault = 'timeout';
    this.timedOutBy = by;
  }
}

export class PythonEnvironment {
  readonly logStreamName: string;
  private phase: Phase | undefined;
  private initialised = false;
  /** Set once a limit or host-level error hit: the instance is never used again. */
  private broken = false;
  private disposed = false;
  private readonly decoders = new Map<number, TextDecoder>();

  private constructor(
    readonly spec: EnvironmentSpec,
    private instance: MicropythonInstance,
    private readonly clock: Clock,
    /** When the environment was created, by its clock (epoch ms). */
    readonly createdAtMs: number,
  ) {
    this.logStreamName = newLogStreamName(spec.functionVersion, createdAtMs);
  }

  /** A new environment for `spec`: its instance made, its files written, the runtime loaded (init runs on its first invoke). */
  static async create(spec: EnvironmentSpec, options: EnvironmentOptions = {}, wasmModule?: WebAssembly.Module): Promise<PythonEnvironment> {
    const clock = options.clock ?? Date.now;
    const createdAtMs = clock();
    let environment: PythonEnvironment | undefined;
    const instance = await newMicropythonInstance(spec.memoryLimitBytes, {
      output: (fd, bytes) => environment?.onOutput(fd, bytes),
      loopCheck: () => environment?.decideLoopCheck() ?? 'go',
    }, wasmModule);
    environment = new PythonEnvironment(spec, instance, clock, createdAtMs);
    environment.load();
    return environment;
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
   * Python guests have no outbound requests: `capabilities` lends only its observer.
   */
  async invoke(input: InvocationInput, capabilities: GuestCapabilities): Promise<EnvironmentOutcome> {
    if (this.disposed || this.broken) throw new Error('environment is retired');
    const startedAtMs = this.clock();
    capabilities.observer?.started(this.logStreamName, !this.initialised);
    const init = this.initialised ? undefined : this.runInit(input.requestId, capabilities.observer);
    if (init?.result) return this.finish(init.result, init.console, this.clock() - startedAtMs, init.durationMs, true, { timedOutBy: init.timedOutBy });
    const invokeStartMs = this.clock();
    const phase = new Phase(invokeStartMs + this.spec.timeoutMs, stillClockBudget(this.spec.timeoutMs), capabilities.observer);
    const { eventJson, ...rest } = input;
    this.instance.fs.writeFile(`${RUNTIME_DIR}/input.json`, JSON.stringify({ ...rest, deadlineMs: phase.deadlineMs }));
    this.instance.fs.writeFile(`${RUNTIME_DIR}/event.json`, eventJson);
    this.run(phase, '_faasbox.invoke()\n');
    const result = this.resultOf(phase, input.requestId);
    const durationMs = (phase.settled?.atMs ?? this.clock()) - invokeStartMs;
    const console = [...(init?.console ?? []), ...phase.console.finish()];
    return this.finish(result, console, durationMs, init?.durationMs, phase.fault !== undefined, { handlerStartedAtMs: invokeStartMs, timedOutBy: phase.timedOutBy });
  }

  /** Retires the environment; its instance and memory go once it is unreferenced. */
  release(): void {
    this.disposed = true;
  }

  /** As release(); answers whether the instance was sound (Environment.dispose's leak-check contract). */
  dispose(): boolean {
    if (this.disposed) return false;
    this.disposed = true;
    return !this.broken;
  }

  // --- phases ---------------------------------------------------------------------------------

  /** Writes the function's files and the runtime's directory, and loads the runtime. Throws if the runtime cannot start. */
  private load(): void {
    const fs = this.instance.fs;
    fs.mkdirTree(RUNTIME_DIR);
    fs.mkdirTree('/var/task');
    fs.mkdirTree('/tmp');
    this.instance.makeDevice(`${RUNTIME_DIR}/log`, (bytes) => this.onLogRecord(bytes));
    const write = (root: string, files: Readonly<Record<string, string>>) => {
      for (const [path, text] of Object.entries(files)) {
        const full = `${root}/${path}`;
        fs.mkdirTree(full.slice(0, full.lastIndexOf('/')));
        fs.writeFile(full, text);
      }
    };
    write('/var/task', this.spec.files);
    for (const layer of this.spec.layerFiles ?? []) write('/opt', layer);
    const outcome = this.instance.exec(runtimeSource);
    if (outcome.kind === 'exception') throw new Error(`Python runtime failed to start: ${outcome.text}`);
  }

  /** Runs init (the handler's module loaded); `durationMs` counts from the environment's creation. */
  private runInit(requestId: string, observer?: InvocationObserver): { result?: InvocationResult; console: ConsoleRecord[]; durationMs: number; timedOutBy?: TimeoutMechanism } {
    const phase = new Phase(this.clock() + INIT_TIMEOUT_MS, stillClockBudget(INIT_TIMEOUT_MS), observer);
    const minor = this.spec.runtime.replace(/^python/, '');
    this.instance.fs.writeFile(`${RUNTIME_DIR}/config.json`, JSON.stringify({
      handler: this.spec.handler,
      environmentVariables: { ...this.spec.environmentVariables, AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName },
      functionName: this.spec.functionName,
      functionVersion: this.spec.functionVersion,
      memorySizeMb: this.spec.memorySizeMb,
      logGroupName: this.spec.logGroupName,
      logStreamName: this.logStreamName,
      logFormat: this.spec.logFormat ?? 'Text',
      applicationLogLevel: this.spec.applicationLogLevel,
      // Lambda's sys.path after /var/task: the layers' directories.
      pythonPath: [`/opt/python/lib/python${minor}/site-packages`, '/opt/python'],
    }));
    this.run(phase, '_faasbox.init()\n');
    const console = phase.console.finish();
    const durationMs = this.clock() - this.createdAtMs;
    if (!phase.fault && phase.settled?.kind === 'ok') {
      this.initialised = true;
      return { console, durationMs };
    }
    return { result: this.resultOf(phase, requestId), console, durationMs, timedOutBy: phase.timedOutBy };
  }

  /** Runs `source` as one phase, to its end: the runtime's result read, or a fault recorded. */
  private run(phase: Phase, source: string): void {
    this.phase = phase;
    try {
      const outcome = this.instance.exec(source);
      if (outcome.kind === 'exception' && !phase.fault) {
        // What escaped the runtime's own handling: MemoryError (re-raised on purpose), SystemExit, a KeyboardInterrupt of the guest's own.
        phase.fault = outcome.type === 'MemoryError' ? 'out-of-memory' : 'runtime-exit';
      }
    } catch (error) {
      if (!phase.fault) phase.fault = error instanceof RangeError && /call stack/i.test(String(error.message)) ? 'recursion' : 'runtime-exit';
    } finally {
      for (const fd of [1, 2]) this.flushOutput(phase, fd, true);
      this.phase = undefined;
    }
    if (phase.fault) {
      this.broken = true;
      return;
    }
    try {
      // Decoded here: the FS's own utf8 decoding stops at the NUL that ends the header.
      const text = new TextDecoder().decode(this.instance.fs.readFile(`${RUNTIME_DIR}/result`));
      this.instance.fs.unlink(`${RUNTIME_DIR}/result`);
      const cut = text.indexOf('\0');
      phase.settled = { kind: text[0] === 'o' ? 'ok' : 'error', reason: text.slice(1, cut), text: text.slice(cut + 1), atMs: this.clock() };
    } catch {
      // No result: the runtime ended without writing one.
      phase.fault = 'runtime-exit';
      this.broken = true;
    }
  }

  private resultOf(phase: Phase, requestId: string): InvocationResult {
    if (phase.fault === 'timeout') return timedOut(requestId, this.spec.timeoutMs);
    if (phase.fault === 'out-of-memory') return outOfMemory(requestId);
    if (phase.fault === 'recursion') {
      const reply: PythonErrorReply = { errorMessage: 'maximum recursion depth exceeded', errorType: 'RecursionError', requestId, stackTrace: [] };
      return failure('function-error', { errorType: reply.errorType, errorMessage: reply.errorMessage, trace: [], reply });
    }
    const settled = phase.settled;
    if (phase.fault || !settled) return runtimeExit(requestId);
    if (settled.kind === 'ok') {
      if (settled.text.length * 3 > MAX_RESPONSE_BYTES && utf8ByteLength(settled.text) > MAX_RESPONSE_BYTES) return responseTooLarge();
      return { kind: 'success', payloadJson: settled.text };
    }
    const reply = JSON.parse(settled.text) as PythonErrorReply;
    return failure(settled.reason as Parameters<typeof failure>[0], { errorType: reply.errorType, errorMessage: reply.errorMessage, trace: reply.stackTrace, reply });
  }

  private finish(
    result: InvocationResult, console: ConsoleRecord[], durationMs: number, initDurationMs: number | undefined, retire: boolean,
    extra: Pick<InvocationReport, 'handlerStartedAtMs' | 'timedOutBy'>,
  ): EnvironmentOutcome {
    const { timedOutBy, ...traced } = extra;
    const report: InvocationReport = { result, console, durationMs, maxMemoryUsedBytes: this.memoryBytes, logStreamName: this.logStreamName, ...traced };
    if (initDurationMs !== undefined) report.initDurationMs = initDurationMs;
    if (timedOutBy !== undefined) report.timedOutBy = timedOutBy;
    return { report, retire: retire || this.broken };
  }

  // --- what the instance calls --------------------------------------------------------------

  /**
   * Asked every LOOP_CHECK_ITERATIONS loop iterations. Past the deadline (or a whole step budget
   * with the clock standing still, as in production Workers) the guest gets a KeyboardInterrupt;
   * if it is still running CHECKS_AFTER_INTERRUPT checks later, it is stopped by a trap.
   */
  private decideLoopCheck(): LoopDecision {
    const phase = this.phase;
    if (!phase) return 'go';
    if (phase.fault) return ++phase.checksSinceInterrupt > CHECKS_AFTER_INTERRUPT ? 'stop' : 'interrupt';
    const nowMs = this.clock();
    if (nowMs >= phase.deadlineMs) {
      phase.timeOut('deadline');
    } else if (nowMs !== phase.clockSeenMs) {
      phase.clockSeenMs = nowMs;
      phase.loopChecksWithClockStill = 0;
    } else if (++phase.loopChecksWithClockStill > phase.stillClockBudgetLoopChecks) {
      phase.timeOut('step-budget');
    }
    return phase.fault ? 'interrupt' : 'go';
  }

  /** stdout and stderr: each line a raw record, as Lambda writes a Python function's print output. */
  private onOutput(fd: number, bytes: Uint8Array): void {
    const phase = this.phase;
    if (!phase) return;
    let decoder = this.decoders.get(fd);
    if (!decoder) this.decoders.set(fd, (decoder = new TextDecoder()));
    phase.pending.set(fd, (phase.pending.get(fd) ?? '') + decoder.decode(bytes, { stream: true }));
    this.flushOutput(phase, fd, false);
  }

  private flushOutput(phase: Phase, fd: number, all: boolean): void {
    const text = phase.pending.get(fd);
    if (!text) return;
    const lines = text.split('\n');
    const rest = all ? '' : lines.pop()!;
    for (const line of all && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines) phase.console.record('INFO', line, true);
    phase.pending.set(fd, rest);
  }

  /** A record of the runtime's log device: `<r|j><LEVEL>\0<text>` (runtime.guest.py `emit`). */
  private onLogRecord(bytes: Uint8Array): void {
    const phase = this.phase;
    if (!phase) return;
    const text = new TextDecoder().decode(bytes);
    const cut = text.indexOf('\0');
    if (cut < 1) return;
    const message = text.slice(cut + 1);
    phase.console.record(text.slice(1, cut), message.endsWith('\n') ? message.slice(0, -1) : message, text[0] === 'r');
  }
}

/** Loop checks in a row with the clock standing still after which a phase of `timeoutMs` is stopped. */
function stillClockBudget(timeoutMs: number): number {
  return Math.max(MIN_LOOP_CHECKS, Math.ceil((timeoutMs / 1000) * LOOP_CHECKS_PER_SECOND));
}
